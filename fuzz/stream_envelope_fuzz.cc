// Stream entries as a consumer reads them from Redis: any reply shape and
// any field values through the envelope parser and the signature check (an
// entry nobody signed is never accepted; a signed one stops verifying when
// any field changes), then events of every type each consumer handles,
// with arbitrary payloads, subjects and versions, through that consumer's
// router and handlers.
#include <fuzzer/FuzzedDataProvider.h>
#include <google/protobuf/descriptor.h>

#include <cstdlib>

#include "common/clock.h"
#include "common/common_schema.h"
#include "common/event_router.h"
#include "common/event_signature.h"
#include "common/suite_catalog.h"
#include "common/time_util.h"
#include "common/working_calendar.h"
#include "fuzz/fuzz_deployment.h"
#include "fuzz/rpc_fuzz.h"
#include "fuzz/seeded_database.h"
#include "services/indicators/fake_tasks.h"
#include "services/indicators/indicator_rules.h"
#include "services/indicators/indicators_schema.h"
#include "services/indicators/indicators_service.h"
#include "services/notify/fake_units.h"
#include "services/notify/notify_schema.h"
#include "services/notify/notify_service.h"
#include "services/notify/secret_box.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_service.h"
#include "services/tasks/fake_registry.h"
#include "services/tasks/tasks_schema.h"
#include "services/tasks/tasks_service.h"
#include "uplift/auth/v1/revocation.pb.h"

namespace uplift::fuzz {
namespace {

const char* const kEventFiles[] = {
    "uplift/registry/v1/registry_events.proto", "uplift/tasks/v1/tasks_events.proto",
    "uplift/indicators/v1/indicator_events.proto", "uplift/auth/v1/revocation.proto"};
const char* const kFields[] = {"event_id", "type",    "occurred_at", "source", "subject",
                               "version",  "payload", "key_id",      "sig"};

// (stream, message type) of every event `service` consumes.
std::vector<std::pair<std::string, const google::protobuf::Descriptor*>> EventsOf(
    const std::string& service) {
  std::vector<std::pair<std::string, const google::protobuf::Descriptor*>> events;
  for (const char* file : kEventFiles) {
    const google::protobuf::FileDescriptor* f =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(file);
    if (f == nullptr) MustOk(absl::NotFoundError(file), "the event contracts");
    for (int i = 0; i < f->message_type_count(); ++i) {
      absl::StatusOr<std::string> stream = StreamOfMessage(f->message_type(i));
      if (!stream.ok()) continue;
      for (const suite::v1::Stream* s : StreamsConsumedBy(service)) {
        if (s->name() == *stream) events.emplace_back(*stream, f->message_type(i));
      }
    }
  }
  if (events.empty()) MustOk(absl::NotFoundError(service + " consumes nothing"), "events");
  return events;
}

// One consuming service, built fresh on its own seeded database per input.
struct Consumer {
  std::string name;
  SeededDatabase db;
  std::vector<std::pair<std::string, const google::protobuf::Descriptor*>> events;
  std::function<void(sql::Store*, EventRouter*)> build_and_register;
};

class EnvelopeWorld {
 public:
  EnvelopeWorld()
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime())),
        calendar_(*WorkingCalendar::Builtin()),
        box_(*notify::SecretBox::FromKey(std::string(32, 'k'))) {
    (void)auth::v1::TokenRevoked::descriptor();  // links its contract
    const std::string auth = FuzzDeployment::Get().auth_dir();
    absl::StatusOr<std::unique_ptr<EventVerifier>> verifier =
        EventVerifier::FromDirectory(PublicKeysDir(auth));
    MustOk(verifier.status(), "the event verifier");
    verifier_ = std::move(*verifier);
    for (const suite::v1::Stream& s : SuiteTopology().streams()) {
      if (signers_.count(s.publisher())) continue;
      absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPemFile(
          "events key", ServiceSecretsDir(auth, s.publisher()) + "/events.key");
      MustOk(key.status(), "a publisher's events key");
      signers_.emplace(s.publisher(), std::make_unique<EventSigner>(std::move(*key)));
    }
    indicators_config_.rules = indicators::DefaultRules();
    consumers_.push_back(std::make_unique<Consumer>(
        Consumer{"uplift-tasks", SeededDatabase({CommonMigrations(), tasks::TasksMigrations()}),
                 EventsOf("uplift-tasks"), [this](sql::Store* db, EventRouter* router) {
                   tasks::FakeRegistry registry;
                   tasks::TasksService service(db, &clock_, &calendar_, &registry, "token");
                   service.RegisterEventHandlers(router);
                   Deliver(router);
                 }}));
    consumers_.push_back(std::make_unique<Consumer>(
        Consumer{"uplift-indicators",
                 SeededDatabase({CommonMigrations(), indicators::IndicatorsMigrations()}),
                 EventsOf("uplift-indicators"), [this](sql::Store* db, EventRouter* router) {
                   indicators::FakeTasks tasks;
                   indicators::IndicatorsService service(db, &clock_, &tasks, indicators_config_);
                   service.RegisterEventHandlers(router);
                   Deliver(router);
                 }}));
    consumers_.push_back(std::make_unique<Consumer>(Consumer{
        "uplift-registry", SeededDatabase({CommonMigrations(), registry::RegistryMigrations()}),
        EventsOf("uplift-registry"), [this](sql::Store* db, EventRouter* router) {
          registry::RegistryService service(db, &clock_);
          service.RegisterEventHandlers(router);
          Deliver(router);
        }}));
    consumers_.push_back(std::make_unique<Consumer>(
        Consumer{"uplift-notify", SeededDatabase({CommonMigrations(), notify::NotifyMigrations()}),
                 EventsOf("uplift-notify"), [this](sql::Store* db, EventRouter* router) {
                   notify::FakeUnits units;
                   notify::NotifyService service(db, &clock_, &box_, &units, nullptr);
                   service.RegisterEventHandlers(router);
                   Deliver(router);
                 }}));
  }

  void Run(FuzzedDataProvider& input) {
    input_ = &input;
    ParseAndVerify();
    Consumer& consumer =
        *consumers_[input.ConsumeIntegralInRange<size_t>(0, consumers_.size() - 1)];
    current_ = &consumer;
    std::unique_ptr<sql::Store> db = consumer.db.Fresh();
    EventRouter router(db.get(), &clock_, nullptr);
    consumer.build_and_register(db.get(), &router);
  }

 private:
  // An entry of any shape: parsed, then checked against the real keys.
  void ParseAndVerify() {
    FuzzedDataProvider& in = *input_;
    RedisReply entry;
    entry.type = RedisReply::Type::kArray;
    entry.elements.resize(2);
    entry.elements[0].type = RedisReply::Type::kString;
    entry.elements[0].str = in.ConsumeRandomLengthString(24);
    entry.elements[1].type =
        in.ConsumeBool() ? RedisReply::Type::kArray : RedisReply::Type::kString;
    const int fields = in.ConsumeIntegralInRange<int>(0, 12);
    for (int i = 0; i < fields; ++i) {
      RedisReply name, value;
      name.type = value.type = RedisReply::Type::kString;
      name.str = in.ConsumeBool() ? kFields[in.ConsumeIntegralInRange<int>(0, 8)]
                                  : in.ConsumeRandomLengthString(12);
      value.str = in.ConsumeRandomLengthString(256);
      if (in.ConsumeBool()) value.type = RedisReply::Type::kNil;
      entry.elements[1].elements.push_back(name);
      entry.elements[1].elements.push_back(value);
    }
    absl::StatusOr<StreamEvent> event = ParseStreamEntry(entry);
    if (!event.ok()) return;
    const auto& streams = SuiteTopology().streams();
    const suite::v1::Stream& stream =
        streams[in.ConsumeIntegralInRange<int>(0, streams.size() - 1)];
    if (verifier_->Verify(stream.name(), *event).ok()) std::abort();  // forged and accepted
    // Signed by the stream's publisher it verifies, until a field changes.
    StreamEvent signed_event = *event;
    signed_event.source = stream.publisher();
    signers_.at(stream.publisher())->Sign(stream.name(), &signed_event);
    if (!verifier_->Verify(stream.name(), signed_event).ok()) std::abort();
    StreamEvent changed = signed_event;
    const std::string extra = in.ConsumeRandomLengthString(8);
    switch (in.ConsumeIntegralInRange<int>(0, 4)) {
      case 0:
        changed.payload += extra.empty() ? "x" : extra;
        break;
      case 1:
        changed.subject += extra.empty() ? "x" : extra;
        break;
      case 2:
        changed.version += 1;
        break;
      case 3:
        changed.type += extra.empty() ? "x" : extra;
        break;
      default:
        changed.event_id += extra.empty() ? "x" : extra;
        break;
    }
    if (verifier_->Verify(stream.name(), changed).ok()) std::abort();  // altered and accepted
  }

  // Events of the consumer's types with arbitrary payloads, in one order.
  void Deliver(EventRouter* router) {
    FuzzedDataProvider& in = *input_;
    const int count = in.ConsumeIntegralInRange<int>(1, 6);
    for (int i = 0; i < count && in.remaining_bytes() > 0; ++i) {
      const auto& [stream, type] =
          current_->events[in.ConsumeIntegralInRange<size_t>(0, current_->events.size() - 1)];
      StreamEvent e;
      e.event_id = in.ConsumeRandomLengthString(16);
      e.type = type->full_name();
      e.subject = in.ConsumeRandomLengthString(24);
      e.version = in.ConsumeIntegralInRange<int64_t>(-1, 5);
      e.payload = in.ConsumeRandomLengthString(1024);
      (void)router->Handle(stream, e);
    }
  }

  ManualClock clock_;
  WorkingCalendar calendar_;
  notify::SecretBox box_;
  indicators::IndicatorsConfig indicators_config_;
  std::unique_ptr<EventVerifier> verifier_;
  std::map<std::string, std::unique_ptr<EventSigner>> signers_;
  std::vector<std::unique_ptr<Consumer>> consumers_;
  FuzzedDataProvider* input_ = nullptr;
  Consumer* current_ = nullptr;
};

}  // namespace
}  // namespace uplift::fuzz

UPLIFT_FUZZ_WORLD(uplift::fuzz::EnvelopeWorld)

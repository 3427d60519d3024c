// The shared service runtime.
#include "common/service_runtime.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "common/common_schema.h"
#include "common/deployment_secrets.h"
#include "common/handler_pool.h"
#include "common/idempotency.h"
#include "common/lease.h"
#include "common/log_format.h"
#include "common/metrics/metrics_server.h"
#include "common/metrics/service_gauges.h"
#include "common/outbox.h"
#include "common/page.h"
#include "common/periodic_task.h"
#include "common/processed_events.h"
#include "common/redis_memory_alarm.h"
#include "common/revocation_watcher.h"
#include "common/secret_files.h"
#include "common/service_host.h"
#include "common/status_macros.h"
#include "common/stream_consumer.h"
#include "common/stream_trimmer.h"
#include "common/suite_catalog.h"

namespace uplift {
namespace {

// Processed event ids are kept this long; an entry redelivered later (it
// would have been dead-lettered long before) is still dropped by version.
constexpr absl::Duration kProcessedEventsRetention = absl::Hours(24 * 30);

std::string DefaultReplicaName() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "-", getpid());
}

}  // namespace

ServiceRuntime::ServiceRuntime(std::string name, std::string summary,
                               std::vector<MigrationSet> migrations)
    : name_(std::move(name)), migrations_(std::move(migrations)), app_(name_ + ": " + summary) {
  ServiceHost::PrepareProcess();
  const suite::v1::Service* service = FindService(name_);
  if (service == nullptr) {
    spdlog::critical("{} is not a service of the suite (suite.textproto)", name_);
    std::abort();
  }
  AddServiceFlags(app_, name_, service->env(), service->port(), &flags_);
}

ServiceRuntime::~ServiceRuntime() = default;

void ServiceRuntime::RequireAddress(std::string* address, const std::string& flag,
                                    const std::string& env, const std::string& what) {
  app_.add_option(flag, *address, what)->envname(env);
  required_.push_back({address, flag, env, what});
}

std::optional<int> ServiceRuntime::Init(int argc, char** argv) {
  try {
    app_.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app_.exit(e);
  }
  absl::Status s = SetUp();
  if (!s.ok()) {
    spdlog::critical("{} cannot start: {}", name_, std::string(s.message()));
    return 2;
  }
  return std::nullopt;
}

absl::Status ServiceRuntime::SetUp() {
  RETURN_IF_ERROR(SetLogLevel(flags_.log_level));
  RETURN_IF_ERROR(SetLogFormat(flags_.log_format, name_));
  RETURN_IF_ERROR(CheckServiceFlags(flags_));
  for (const Required& r : required_) {
    RETURN_IF_ERROR(RequiredFlag(*r.value, r.flag, r.env, r.what));
  }
  if (flags_.tls.cert.empty() && !IsLoopbackListen(flags_.listen)) {
    spdlog::warn("{}: serving {} without TLS (--allow-insecure-listen): bearer tokens cross the "
                 "network in clear",
                 name_, flags_.listen);
  }
  if (flags_.consumer_name.empty()) flags_.consumer_name = DefaultReplicaName();
  clock_ = ServiceClock(name_, flags_.testing_clock_offset_file, &owned_clock_);

  // Secrets of this service, public keys of the deployment.
  const std::string& secrets = flags_.secrets_dir;
  ASSIGN_OR_RETURN(redis_password_, ReadSecretFile("the Redis password", secrets + "/redis.password"));
  ASSIGN_OR_RETURN(std::string page_key,
                   ReadSecretFile("the page-token key", secrets + "/page-token.key"));
  if (page_key.size() < 32) {
    return absl::InvalidArgumentError(absl::StrCat(secrets, "/page-token.key is too short"));
  }
  SetPageTokenKey(std::move(page_key));
  ASSIGN_OR_RETURN(Ed25519PrivateKey event_key,
                   Ed25519PrivateKey::FromPemFile("the event signing key", secrets + "/events.key"));
  event_signer_ = std::make_unique<EventSigner>(std::move(event_key));
  if (!FindService(name_)->calls().empty()) {
    ASSIGN_OR_RETURN(service_token_,
                     ReadSecretFile("this service's SERVICE token", secrets + "/service.token"));
    const std::string warning = ServiceTokenWarning(service_token_, clock_->Now());
    if (!warning.empty()) spdlog::warn("{}: {}", name_, warning);
  }
  ASSIGN_OR_RETURN(std::unique_ptr<TokenVerifier> verifier,
                   TokenVerifier::FromPemFile(flags_.public_keys_dir + "/tokens.pub"));
  ASSIGN_OR_RETURN(event_verifier_, EventVerifier::FromDirectory(flags_.public_keys_dir));
  auth_ = std::make_unique<Authenticator>(std::move(verifier), clock_, flags_.token_audience,
                                          &revocations_);

  RETURN_IF_ERROR(EnsurePrivateDir(flags_.data_dir));
  const std::string short_name =
      name_.rfind("uplift-", 0) == 0 ? name_.substr(std::string("uplift-").size()) : name_;
  std::vector<MigrationSet> sets = {CommonMigrations()};
  sets.insert(sets.end(), migrations_.begin(), migrations_.end());
  const std::string url = flags_.database_url.empty()
                              ? "sqlite:" + flags_.data_dir + "/" + short_name + ".db"
                              : flags_.database_url;
  ASSIGN_OR_RETURN(
      db_,
      sql::OpenStore(url, sets, {.rehearse_transactions = flags_.testing_rehearse_transactions}));

  redis_ = std::make_unique<RedisClient>(
      RedisOptions{flags_.redis_addr, redis_password_, flags_.redis_user});
  router_ = std::make_unique<EventRouter>(db_.get(), clock_, event_verifier_.get());
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ServiceRuntime::Channel(const std::string& address,
                                                                       int connection) const {
  return MakeChannel(address, flags_.tls, connection);
}

void ServiceRuntime::Every(const std::string& name, absl::Duration interval,
                           std::function<void()> fn) {
  auto lease = std::make_shared<Lease>(db_.get(), clock_, "periodic:" + name, replica(),
                                       std::max(interval * 3, absl::Seconds(15)));
  auto task = std::make_shared<PeriodicTask>(name, interval, [lease, fn = std::move(fn)] {
    if (lease->Hold()) fn();
  });
  Add([task] { task->Start(); },
      [task, lease] {
        task->Stop();
        lease->Release();
      });
}

void ServiceRuntime::Add(std::function<void()> start, std::function<void()> stop) {
  components_.push_back({std::move(start), std::move(stop)});
}

void ServiceRuntime::AddHousekeeping() {
  Every("housekeeping", absl::Hours(1), [this] {
    absl::Status purged = db_->Write([&](sql::Connection& tx) {
      const int64_t events = PurgeProcessedEvents(tx, clock_->Now(), kProcessedEventsRetention);
      const int64_t keys = PurgeIdempotencyKeys(tx, clock_->Now(), kIdempotencyRetention);
      if (events + keys > 0) {
        spdlog::info("housekeeping: purged {} processed event ids and {} idempotency keys", events,
                     keys);
      }
      return absl::OkStatus();
    });
    if (!purged.ok()) spdlog::warn("housekeeping: {}", purged.ToString());
    for (const suite::v1::Stream* stream : StreamsConsumedBy(name_)) {
      absl::StatusOr<TrimOutcome> t = TrimDeadLetters(*redis_, stream->name(), absl::Now());
      if (!t.ok())
        spdlog::warn("housekeeping: dead letters of {}: {}", stream->name(), t.status().ToString());
    }
  });
  absl::StatusOr<int64_t> threshold = ParseSizeFlag("--redis-memory-alarm", flags_.redis_memory_alarm);
  auto alarm = std::make_shared<RedisMemoryAlarm>(redis_.get(), threshold.ok() ? *threshold : int64_t{1} << 30);
  Every("redis-memory-alarm", absl::Seconds(30), [this, alarm] {
    absl::StatusOr<int64_t> used = alarm->Check(clock_->Now());
    if (!used.ok()) spdlog::debug("redis memory: {}", used.status().ToString());
  });
}

int ServiceRuntime::Serve(const std::vector<grpc::Service*>& services) {
  // What reads Redis blocking gets a connection of its own.
  auto connection = [this] {
    connections_.push_back(std::make_unique<RedisClient>(
        RedisOptions{flags_.redis_addr, redis_password_, flags_.redis_user}));
    return connections_.back().get();
  };
  std::vector<Component> mine;
  std::unique_ptr<OutboxRelay> relay;
  if (!StreamsPublishedBy(name_).empty()) {
    OutboxRelayOptions options;
    options.service = name_;
    options.holder = replica();
    options.wait_replicas = flags_.redis_wait_replicas;
    relay = std::make_unique<OutboxRelay>(db_.get(), connection(), clock_, event_signer_.get(),
                                          options);
  }
  auto watcher = std::make_shared<RevocationWatcher>(connection(), event_verifier_.get(),
                                                     &revocations_, clock_);
  mine.push_back({[watcher] { watcher->Start(); }, [watcher] { watcher->Stop(); }});
  absl::StatusOr<absl::Duration> claim_idle = ParseDurationFlag("--claim-idle", flags_.claim_idle);
  for (const suite::v1::Stream* stream : StreamsConsumedBy(name_)) {
    ConsumerOptions o;
    o.stream = stream->name();
    o.group = name_;
    o.consumer = replica();
    o.claim_idle = claim_idle.ok() ? *claim_idle : absl::Seconds(30);
    o.max_deliveries = flags_.max_deliveries;
    o.batch = flags_.consume_batch;
    const std::string stream_name = stream->name();
    auto consumer = std::make_shared<StreamConsumer>(
        connection(), o, [this, stream_name](const std::vector<StreamEvent>& events) {
          return router_->HandleBatch(stream_name, events);
        });
    mine.push_back({[consumer] { consumer->Start(); }, [consumer] { consumer->Stop(); }});
  }
  AddHousekeeping();
  mine.insert(mine.end(), components_.begin(), components_.end());

  // Prometheus: the calls (counted by the host), the outbox, the consumer
  // groups and their dead letters, the pool.
  std::unique_ptr<metrics::MetricsServer> metrics_server;
  if (!flags_.metrics_listen.empty()) {
    if (relay != nullptr) metrics::AddOutboxGauges(&metrics_, db_.get(), clock_);
    std::vector<std::string> consumed;
    for (const suite::v1::Stream* stream : StreamsConsumedBy(name_)) {
      consumed.push_back(stream->name());
    }
    if (!consumed.empty()) metrics::AddStreamGauges(&metrics_, connection(), name_, consumed);
    metrics::AddDatabaseGauges(&metrics_, db_.get());
    absl::StatusOr<std::unique_ptr<metrics::MetricsServer>> served =
        metrics::MetricsServer::Start(flags_.metrics_listen, &metrics_);
    if (!served.ok()) {
      spdlog::critical("{} cannot start: {}", name_, std::string(served.status().message()));
      return 2;
    }
    metrics_server = std::move(*served);
    spdlog::info("{}: metrics on http://{}/metrics", name_, flags_.metrics_listen);
  }

  HandlerPool::SetDefaultThreads(flags_.handler_threads);
  ServiceHost host;
  absl::Status started = host.Start(
      {name_, flags_.listen, flags_.port_file, flags_.tls, absl::Seconds(5), &metrics_}, services);
  if (!started.ok()) {
    spdlog::critical("{} cannot start: {}", name_, std::string(started.message()));
    return 2;
  }
  spdlog::info("{}: {} database, Redis {} as {}, replica {}", name_, sql::EngineName(db_->engine()),
               flags_.redis_addr, flags_.redis_user, replica());
  if (on_serving_) on_serving_(host.port());
  if (relay != nullptr) relay->Start();
  for (Component& c : mine) c.start();
  host.WaitForTermination();
  for (auto it = mine.rbegin(); it != mine.rend(); ++it) it->stop();
  host.Shutdown();
  if (relay != nullptr) relay->Stop();
  return 0;
}

}  // namespace uplift

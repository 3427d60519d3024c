// uplift-notify's logic under arbitrary requests of every RPC, from every
// role, with inboxes holding an escalation and a reminder, a webhook
// channel, a policy and two people of units. Webhook hosts resolve through a table (no DNS):
// names with "local" to loopback, "intra" to a private address, others to
// a public one, so the address policy is exercised as well.
#include <fuzzer/FuzzedDataProvider.h>

#include "absl/strings/match.h"
#include "common/clock.h"
#include "common/common_schema.h"
#include "common/event_router.h"
#include "common/time_util.h"
#include "fuzz/event_seed.h"
#include "fuzz/rpc_fuzz.h"
#include "fuzz/seeded_database.h"
#include "services/notify/fake_units.h"
#include "services/notify/notify_grpc.h"
#include "services/notify/notify_schema.h"
#include "services/notify/notify_service.h"
#include "services/notify/secret_box.h"
#include "services/notify/webhook_address_policy.h"
#include "tests/support/test_env.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::fuzz {
namespace {

namespace v1 = uplift::notify::v1;
namespace tv1 = uplift::tasks::v1;
namespace av1 = uplift::auth::v1;
using notify::NotifyService;

const std::vector<std::string> kUnits = {"dept-zrj", "dept-kgx", "town-chengan", "leader-equipment",
                                         "nowhere"};

notify::WebhookAddressPolicy TablePolicy() {
  absl::StatusOr<notify::WebhookAddressPolicy> policy =
      notify::WebhookAddressPolicy::Parse("", "", {"127.0.0.1:50054"});
  MustOk(policy.status(), "the webhook address policy");
  policy->set_resolver([](const std::string& host) -> std::vector<std::string> {
    if (absl::StrContains(host, "local")) return {"127.0.0.1", "::1"};
    if (absl::StrContains(host, "intra")) return {"10.1.2.3"};
    if (absl::StrContains(host, "none")) return {};
    return {"93.184.216.34"};
  });
  return *policy;
}

class NotifyWorld {
 public:
  NotifyWorld()
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime())),
        db_({CommonMigrations(), notify::NotifyMigrations()}),
        box_(*notify::SecretBox::FromKey(std::string(32, 'k'))),
        policy_(TablePolicy()),
        table_(ServiceNamed("uplift.notify.v1.Notification")) {
    options_.addresses = &policy_;
#define UPLIFT_FUZZ_UNARY(Method) table_.Unary(#Method, &NotifyService::Method);
    UPLIFT_NOTIFY_UNARY_RPCS(UPLIFT_FUZZ_UNARY)
#undef UPLIFT_FUZZ_UNARY
    table_.Unary("ListAuditRecords", &NotifyService::ListAuditRecords);
    // What a Subscribe does before it streams: the check, then the backlog.
    table_.Add("Subscribe",
               [](NotifyService& service, const Principal& who, const std::string& bytes) {
                 v1::SubscribeRequest req;
                 if (!req.ParseFromString(bytes)) return;
                 if (!service.CanRead(who, "Subscribe", req.unit_id()).ok()) return;
                 (void)service.Backlog(req.unit_id());
               });
    table_.CheckComplete();
    Seed();
  }

  void Run(FuzzedDataProvider& input) {
    std::unique_ptr<sql::Store> db = db_.Fresh();
    notify::FakeUnits units;
    NotifyService service(db.get(), &clock_, &box_, &units, nullptr, options_);
    table_.Run(service, input, kUnits);
  }

 private:
  void Seed() {
    notify::FakeUnits units;
    NotifyService service(db_.seed(), &clock_, &box_, &units, nullptr, options_);
    EventRouter router(db_.seed(), &clock_, nullptr);
    service.RegisterEventHandlers(&router);
    tv1::ProblemEscalated escalated;
    escalated.set_problem_id("pb-000000000001");
    escalated.set_enterprise_name("新乐市华信机械制造有限公司");
    escalated.set_title("用地指标不足");
    escalated.set_from_rung(tv1::RUNG_TOWNSHIP);
    escalated.set_from_unit_id("town-chengan");
    escalated.set_to_rung(tv1::RUNG_DEPARTMENT);
    escalated.set_new_owner_unit_id("dept-zrj");
    escalated.set_reason("乡镇无法解决");
    DeliverEvent(router, escalated);
    tv1::ProgressReminder reminder;
    reminder.set_plan_id("xinle-2023");
    reminder.set_task_id("2.1.1");
    reminder.set_task_title("强化率先发展");
    reminder.set_unit_id("dept-kgx");
    reminder.set_period("2023-05");
    reminder.set_due_on("2023-06-05");
    DeliverEvent(router, reminder);
    const Principal dept =
        testing::TestPrincipal(av1::ROLE_DEPARTMENT, "dept-zrj", "自然资源和规划局");
    v1::AddChannelRequest channel;
    channel.mutable_channel()->set_unit_id("dept-zrj");
    channel.mutable_channel()->set_url("https://oa.xinle.example/hooks/uplift?key=secret");
    channel.mutable_channel()->set_secret("a-shared-secret-of-the-department");
    MustOk(service.AddChannel(dept, channel).status(), "add a channel");
    // People of units: the fuzzer's callers are "fuzz", so preferences and
    // robots are reached as their own (and refused as another's).
    std::vector<v1::Person> people(2);
    people[0].set_login("fuzz");
    people[0].set_unit_id("dept-zrj");
    people[0].set_mobile("13912345678");
    people[0].set_email("fuzz@xinle.gov.cn");
    people[0].set_active(true);
    people[1].set_login("wangqiang");
    people[1].set_unit_id("leader-equipment");
    people[1].set_mobile("13800000001");
    people[1].set_active(true);
    MustOk(service.SyncPeople(people).status(), "the people of units");
  }

  ManualClock clock_;
  SeededDatabase db_;
  notify::SecretBox box_;
  notify::WebhookAddressPolicy policy_;
  notify::NotifyOptions options_;
  RpcTable<NotifyService> table_;
};

}  // namespace
}  // namespace uplift::fuzz

UPLIFT_FUZZ_WORLD(uplift::fuzz::NotifyWorld)

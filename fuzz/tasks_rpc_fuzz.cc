// uplift-tasks' logic under arbitrary requests of every RPC, from every
// role, on the Xinle 2023 plan with an enterprise in the registry and an
// open problem on the ladder.
#include <fuzzer/FuzzedDataProvider.h>

#include "common/clock.h"
#include "common/common_schema.h"
#include "common/time_util.h"
#include "common/working_calendar.h"
#include "fuzz/rpc_fuzz.h"
#include "fuzz/seeded_database.h"
#include "fuzz/xinle_tasks_seed.h"
#include "services/tasks/fake_registry.h"
#include "services/tasks/tasks_grpc.h"
#include "services/tasks/tasks_schema.h"
#include "services/tasks/tasks_service.h"
#include "tests/support/test_env.h"

namespace uplift::fuzz {
namespace {

namespace v1 = uplift::tasks::v1;
namespace rv1 = uplift::registry::v1;
namespace av1 = uplift::auth::v1;
using tasks::TasksService;

const std::vector<std::string> kUnits = {"dept-kgx",         "dept-zrj",    "dept-jrj",
                                         "town-chengan",     "town-huapi",  "zone-xinle",
                                         "leader-equipment", "leader-food", "prov-support"};

class TasksWorld {
 public:
  TasksWorld()
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime())),
        calendar_(*WorkingCalendar::Builtin()),
        db_({CommonMigrations(), tasks::TasksMigrations()}),
        table_(ServiceNamed("uplift.tasks.v1.TaskAssignment")) {
#define UPLIFT_FUZZ_UNARY(Method) table_.Unary(#Method, &TasksService::Method);
    UPLIFT_TASKS_UNARY_RPCS(UPLIFT_FUZZ_UNARY)
#undef UPLIFT_FUZZ_UNARY
    table_.Unary("ListAuditRecords", &TasksService::ListAuditRecords);
    table_.CheckComplete();
    Seed();
  }

  void Run(FuzzedDataProvider& input) {
    std::unique_ptr<sql::Store> db = db_.Fresh();
    tasks::FakeRegistry registry = registry_;
    TasksService service(db.get(), &clock_, &calendar_, &registry, "service-token");
    table_.Run(service, input, kUnits);
  }

 private:
  void Seed() {
    const rv1::Enterprise e = SeedXinleTasks(db_.seed(), &clock_, &calendar_, &registry_);
    TasksService service(db_.seed(), &clock_, &calendar_, &registry_, "service-token");
    const Principal town = testing::TestPrincipal(av1::ROLE_TOWNSHIP, "town-chengan", "承安镇专班");
    v1::RaiseProblemRequest raise;
    raise.mutable_problem()->set_credit_code(e.credit_code());
    raise.mutable_problem()->set_category("land");
    raise.mutable_problem()->set_title("扩建用地指标不足");
    raise.mutable_problem()->set_description("企业计划扩建二期厂房，缺少用地指标约20亩。");
    MustOk(service.RaiseProblem(town, raise).status(), "raise a problem");
  }

  ManualClock clock_;
  WorkingCalendar calendar_;
  SeededDatabase db_;
  tasks::FakeRegistry registry_;
  RpcTable<TasksService> table_;
};

}  // namespace
}  // namespace uplift::fuzz

UPLIFT_FUZZ_WORLD(uplift::fuzz::TasksWorld)

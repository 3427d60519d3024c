// uplift-tasks' project ledger (ProjectLedger) under arbitrary requests of
// every RPC, from every role, on the Xinle 2023 plan with an enterprise in
// the registry and a project under construction with a month reported.
#include <fuzzer/FuzzedDataProvider.h>

#include "common/clock.h"
#include "common/common_schema.h"
#include "common/time_util.h"
#include "common/working_calendar.h"
#include "fuzz/rpc_fuzz.h"
#include "fuzz/seeded_database.h"
#include "fuzz/xinle_tasks_seed.h"
#include "services/tasks/fake_registry.h"
#include "services/tasks/projects_service.h"
#include "services/tasks/tasks_schema.h"
#include "services/tasks/tasks_service.h"
#include "tests/support/test_env.h"

namespace uplift::fuzz {
namespace {

namespace v1 = uplift::tasks::v1;
namespace rv1 = uplift::registry::v1;
using tasks::ProjectsService;
using tasks::TasksService;

const std::vector<std::string> kUnits = {"dept-kgx",    "dept-fgj",   "town-chengan",
                                         "town-huapi",  "zone-xinle", "leader-equipment",
                                         "prov-support"};

class ProjectsWorld {
 public:
  ProjectsWorld()
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime())),
        calendar_(*WorkingCalendar::Builtin()),
        db_({CommonMigrations(), tasks::TasksMigrations()}),
        table_(ServiceNamed("uplift.tasks.v1.ProjectLedger")) {
    table_.Unary("CreateProject", &ProjectsService::CreateProject);
    table_.Unary("GetProject", &ProjectsService::GetProject);
    table_.Unary("ListProjects", &ProjectsService::ListProjects);
    table_.Unary("AdvanceProject", &ProjectsService::AdvanceProject);
    table_.Unary("RecordMilestone", &ProjectsService::RecordMilestone);
    table_.Unary("ReportProjectProgress", &ProjectsService::ReportProjectProgress);
    table_.Unary("ListProjectProgress", &ProjectsService::ListProjectProgress);
    table_.CheckComplete();
    Seed();
  }

  void Run(FuzzedDataProvider& input) {
    std::unique_ptr<sql::Store> db = db_.Fresh();
    tasks::FakeRegistry registry = registry_;
    TasksService tasks(db.get(), &clock_, &calendar_, &registry, "service-token");
    ProjectsService projects(db.get(), &clock_, &registry, tasks.plan_cache());
    table_.Run(projects, input, kUnits);
  }

 private:
  void Seed() {
    const rv1::Enterprise e = SeedXinleTasks(db_.seed(), &clock_, &calendar_, &registry_);
    TasksService tasks(db_.seed(), &clock_, &calendar_, &registry_, "service-token");
    ProjectsService projects(db_.seed(), &clock_, &registry_, tasks.plan_cache());
    const Principal owner = XinlePlanOwner();
    v1::CreateProjectRequest create;
    v1::Project* p = create.mutable_project();
    p->set_name("二期智能装备生产线项目");
    p->set_credit_code(e.credit_code());
    p->set_cluster_id("equipment");
    p->set_township_id("town-chengan");
    p->set_department_unit_id("dept-fgj");
    p->set_kind(v1::PROJECT_KIND_EXPANSION);
    p->set_source(v1::PROJECT_SOURCE_LOCAL_EXPANSION);
    p->set_year(2023);
    p->set_total_investment_fen(200000000000);
    p->set_planned_investment_fen(60000000000);
    create.set_phase(v1::PROJECT_PHASE_CONSTRUCTION);
    absl::StatusOr<v1::CreateProjectResponse> created = projects.CreateProject(owner, create);
    MustOk(created.status(), "create a project");
    v1::ReportProjectProgressRequest report;
    report.mutable_progress()->set_project_id(created->project().project_id());
    report.mutable_progress()->set_period("2023-05");
    report.mutable_progress()->set_investment_fen(2600000000);
    report.mutable_progress()->set_image_progress("厂房封顶");
    MustOk(projects.ReportProjectProgress(owner, report).status(), "report a month");
  }

  ManualClock clock_;
  WorkingCalendar calendar_;
  SeededDatabase db_;
  tasks::FakeRegistry registry_;
  RpcTable<ProjectsService> table_;
};

}  // namespace
}  // namespace uplift::fuzz

UPLIFT_FUZZ_WORLD(uplift::fuzz::ProjectsWorld)

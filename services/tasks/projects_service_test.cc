// The project ledger through ProjectsService on both engines: a project
// checked against the plan and the registry, who may create, advance and
// report, phases forward only, progress summed and held to the total,
// milestones in the past, the events on uplift:events:projects, and a
// problem raised on a project found by it.
#include "services/tasks/projects_service.h"

#include "common/page.h"

#include "services/tasks/tasks_service_test_fixture.h"

namespace uplift::tasks {
namespace {

class ProjectsServiceTest : public TasksServiceTest {
 protected:
  ProjectsServiceTest() : projects_(db_.get(), &clock_, &registry_, service_.plan_cache()) {}

  v1::CreateProjectRequest NewProject() {
    v1::CreateProjectRequest req;
    v1::Project* p = req.mutable_project();
    p->set_name("年产5万吨高端装备零部件项目");
    p->set_credit_code(uplift::registry::TestCreditCode(1));
    p->set_cluster_id("equipment");
    p->set_township_id("town-chengan");
    p->set_department_unit_id("dept-fgj");
    p->set_kind(v1::PROJECT_KIND_EXPANSION);
    p->set_source(v1::PROJECT_SOURCE_LOCAL_EXPANSION);
    p->set_total_investment_fen(50000 * 1000000LL);    // 5亿元
    p->set_planned_investment_fen(12000 * 1000000LL);  // 1.2亿元 in 2023
    p->set_ledger_number("XL-2023-001");
    auto* started = p->add_milestones();
    started->set_kind(v1::MILESTONE_KIND_STARTED);
    started->set_planned_on("2023-05-15");
    return req;
  }
  v1::Project Create(v1::CreateProjectRequest req, v1::ProjectPhase phase = {}) {
    req.set_phase(phase);
    auto r = projects_.CreateProject(fgj_, req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->project() : v1::Project();
  }
  absl::StatusOr<v1::ReportProjectProgressResponse> Report(const Principal& who,
                                                           const std::string& id,
                                                           const std::string& period,
                                                           int64_t wan_yuan,
                                                           int64_t revised_total_wan = 0) {
    v1::ReportProjectProgressRequest req;
    req.mutable_progress()->set_project_id(id);
    req.mutable_progress()->set_period(period);
    req.mutable_progress()->set_investment_fen(wan_yuan * 1000000LL);
    req.mutable_progress()->set_image_progress("主体厂房封顶，设备基础施工");
    req.set_revised_total_investment_fen(revised_total_wan * 1000000LL);
    return projects_.ReportProjectProgress(who, req);
  }
  int OutboxRows() { return static_cast<int>(Outbox().size()); }

  ProjectsService projects_;
  Principal fgj_ = Who(av1::ROLE_DEPARTMENT, "dept-fgj", "发改局");
  Principal huapi_ = Who(av1::ROLE_TOWNSHIP, "town-huapi", "化皮镇专班");
};

TEST_P(ProjectsServiceTest, AProjectIsCreatedWithNamesFromThePlanAndTheRegistry) {
  const v1::Project p = Create(NewProject());
  EXPECT_EQ(p.project_id().rfind("pj-", 0), 0u);
  EXPECT_EQ(p.phase(), v1::PROJECT_PHASE_PLANNING);
  EXPECT_EQ(p.year(), 2023) << "the year defaults to the current one";
  EXPECT_EQ(p.enterprise_name(), "新乐市华信机械制造有限公司");
  EXPECT_EQ(p.investor(), "新乐市华信机械制造有限公司");
  EXPECT_EQ(p.cluster_name(), "装备制造产业集群");
  EXPECT_EQ(p.township_name(), "承安镇");
  EXPECT_EQ(p.department_name(), "市发展改革局");
  EXPECT_EQ(p.leader_unit_id(), "leader-equipment");
  EXPECT_EQ(p.light(), v1::PROJECT_LIGHT_RED)
      << "five months ended with nothing reported (under half the pace)";
  ASSERT_EQ(p.light_reasons_size(), 2);
  EXPECT_EQ(p.light_reasons(0), "开工逾期17天（计划2023-05-15）");

  std::vector<v1::ProjectChanged> events = Published<v1::ProjectChanged>();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].step().action(), v1::ProjectStep::ACTION_CREATED);
  EXPECT_EQ(events[0].project().project_id(), p.project_id());
  bool on_its_stream = false;
  for (const auto& [stream, type] : Outbox()) {
    if (type == "uplift.tasks.v1.ProjectChanged")
      on_its_stream = stream == "uplift:events:projects";
  }
  EXPECT_TRUE(on_its_stream);

  v1::GetProjectRequest get;
  get.set_project_id(p.project_id());
  auto got = projects_.GetProject(Who(av1::ROLE_VIEWER, ""), get);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->project().history_size(), 1);
  EXPECT_EQ(got->project().history(0).actor_unit_id(), "dept-fgj");

  // The same ledger number of the same year is refused, naming the field.
  auto again = projects_.CreateProject(fgj_, NewProject());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("project.ledger_number"), std::string::npos);
}

TEST_P(ProjectsServiceTest, BadProjectsAreRefusedNamingTheFieldAndNothingIsStored) {
  const int before = OutboxRows();
  struct Case {
    std::function<void(v1::CreateProjectRequest*)> spoil;
    std::string field;
    absl::StatusCode code = absl::StatusCode::kInvalidArgument;
  };
  const std::vector<Case> cases = {
      {[](auto* r) { r->mutable_project()->set_cluster_id("textile"); }, "project.cluster_id"},
      {[](auto* r) { r->mutable_project()->set_township_id("town-nowhere"); },
       "project.township_id"},
      {[](auto* r) { r->mutable_project()->set_township_id("dept-zrj"); }, "project.township_id"},
      {[](auto* r) { r->mutable_project()->set_department_unit_id("town-chengan"); },
       "project.department_unit_id"},
      {[](auto* r) { r->mutable_project()->set_credit_code(uplift::registry::TestCreditCode(7)); },
       "project.credit_code"},
      {[](auto* r) { r->mutable_project()->mutable_milestones(0)->set_actual_on("2023-06-02"); },
       "project.milestones[0].actual_on"},
      {[](auto* r) { r->mutable_project()->set_year(2024); }, "project.year",
       absl::StatusCode::kFailedPrecondition},
  };
  for (const Case& c : cases) {
    v1::CreateProjectRequest req = NewProject();
    c.spoil(&req);
    auto r = projects_.CreateProject(fgj_, req);
    EXPECT_EQ(r.status().code(), c.code) << c.field << ": " << r.status();
    EXPECT_EQ(std::string(r.status().message()).rfind(c.field + ":", 0), 0u) << r.status();
  }
  // A department creates only the projects it is responsible for.
  v1::CreateProjectRequest other = NewProject();
  other.mutable_project()->set_department_unit_id("dept-kgx");
  EXPECT_EQ(projects_.CreateProject(fgj_, other).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(projects_.CreateProject(huapi_, NewProject()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(OutboxRows(), before);
  v1::ListProjectsRequest all;
  EXPECT_EQ(projects_.ListProjects(owner_, all)->projects_size(), 0);
}

TEST_P(ProjectsServiceTest, PhasesGoForwardOnlyAndMilestonesAreNeverInTheFuture) {
  const v1::Project p = Create(NewProject(), v1::PROJECT_PHASE_PREPARATION);
  v1::AdvanceProjectRequest up;
  up.set_project_id(p.project_id());
  up.set_phase(v1::PROJECT_PHASE_CONSTRUCTION);
  up.set_on("2023-05-20");
  EXPECT_EQ(projects_.AdvanceProject(huapi_, up).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "another township";
  auto advanced = projects_.AdvanceProject(town_, up);
  ASSERT_TRUE(advanced.ok()) << advanced.status();
  EXPECT_EQ(advanced->project().phase(), v1::PROJECT_PHASE_CONSTRUCTION);
  EXPECT_EQ(advanced->project().milestones(0).actual_on(), "2023-05-20");

  up.set_phase(v1::PROJECT_PHASE_PREPARATION);
  auto back = projects_.AdvanceProject(fgj_, up);
  EXPECT_EQ(back.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(back.status().message()).rfind("phase:", 0), 0u) << back.status();
  up.set_phase(v1::PROJECT_PHASE_PRODUCTION);
  up.set_on("2023-06-02");
  EXPECT_EQ(std::string(projects_.AdvanceProject(fgj_, up).status().message()).rfind("on:", 0), 0u);

  v1::RecordMilestoneRequest landed;
  landed.set_project_id(p.project_id());
  landed.set_milestone(v1::MILESTONE_KIND_LANDED);
  landed.set_actual_on("2023-06-05");
  auto future = projects_.RecordMilestone(fgj_, landed);
  EXPECT_EQ(std::string(future.status().message()).rfind("actual_on:", 0), 0u) << future.status();
  landed.set_actual_on("2023-04-28");
  ASSERT_TRUE(projects_.RecordMilestone(fgj_, landed).ok());

  v1::GetProjectRequest get;
  get.set_project_id(p.project_id());
  auto got = projects_.GetProject(owner_, get);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->project().history_size(), 3) << "created, advanced, landed; refusals left none";
  EXPECT_EQ(got->project().history(2).milestone(), v1::MILESTONE_KIND_LANDED);
}

TEST_P(ProjectsServiceTest, MonthlyProgressIsSummedAndHeldToTheTotal) {
  const v1::Project p = Create(NewProject(), v1::PROJECT_PHASE_CONSTRUCTION);
  EXPECT_EQ(Report(huapi_, p.project_id(), "2023-05", 100).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "a project outside the caller's unit";
  auto may = Report(town_, p.project_id(), "2023-05", 3000);
  ASSERT_TRUE(may.ok()) << may.status();
  EXPECT_FALSE(may->replaced());
  ASSERT_TRUE(Report(fgj_, p.project_id(), "2022-12", 20000).ok()) << "last year's month";
  auto replaced = Report(town_, p.project_id(), "2023-05", 3500);
  ASSERT_TRUE(replaced.ok());
  EXPECT_TRUE(replaced->replaced());
  EXPECT_EQ(replaced->project().completed_investment_fen(), 23500 * 1000000LL);
  EXPECT_EQ(replaced->project().year_completed_investment_fen(), 3500 * 1000000LL);
  EXPECT_EQ(replaced->project().last_period(), "2023-05");

  // 5亿 total: 2.35亿 done, 3亿 more is above it without a revised total.
  auto above = Report(fgj_, p.project_id(), "2023-06", 30000);
  EXPECT_EQ(above.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(above.status().message()).rfind("progress.investment_fen:", 0), 0u)
      << above.status();
  auto too_small = Report(fgj_, p.project_id(), "2023-06", 30000, 52000);
  EXPECT_EQ(std::string(too_small.status().message()).rfind("revised_total_investment_fen:", 0), 0u)
      << too_small.status();
  EXPECT_EQ(Report(fgj_, p.project_id(), "2023-07", 10).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "a month not begun";
  auto revised = Report(fgj_, p.project_id(), "2023-06", 30000, 60000);
  ASSERT_TRUE(revised.ok()) << revised.status();
  EXPECT_EQ(revised->project().total_investment_fen(), 60000 * 1000000LL);

  v1::ListProjectProgressRequest list;
  list.set_project_id(p.project_id());
  auto months = projects_.ListProjectProgress(leader_, list);
  ASSERT_TRUE(months.ok());
  ASSERT_EQ(months->progress_size(), 3);
  EXPECT_EQ(months->progress(0).period(), "2022-12");
  EXPECT_EQ(Published<v1::ProjectProgressReported>().size(), 4u);
  v1::GetProjectRequest get;
  get.set_project_id(p.project_id());
  const v1::Project now = projects_.GetProject(owner_, get)->project();
  EXPECT_EQ(now.history().rbegin()->action(), v1::ProjectStep::ACTION_TOTAL_REVISED);
  EXPECT_EQ(now.history().rbegin()->text(), "总投资 5.00亿元 -> 6.00亿元");
}

TEST_P(ProjectsServiceTest, ListsFilterByPlaceAndColourAndPage) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    v1::CreateProjectRequest req = NewProject();
    req.mutable_project()->set_ledger_number(absl::StrCat("XL-2023-01", i));
    if (i % 2 == 1) req.mutable_project()->set_township_id("town-huapi");
    req.mutable_project()->clear_milestones();
    ids.push_back(Create(req, v1::PROJECT_PHASE_CONSTRUCTION).project_id());
    clock_.Advance(absl::Seconds(1));
  }
  ASSERT_TRUE(Report(fgj_, ids[0], "2023-05", 6000).ok());  // on pace: 5/12 of 1.2亿 is 5000万
  v1::ListProjectsRequest req;
  req.set_page_size(2);
  std::vector<std::string> seen;
  do {
    auto page = projects_.ListProjects(town_, req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Project& p : page->projects()) seen.push_back(p.project_id());
    req.set_page_token(page->next_page_token());
  } while (!req.page_token().empty());
  EXPECT_EQ(seen, ids);

  v1::ListProjectsRequest huapi;
  huapi.set_township_id("town-huapi");
  EXPECT_EQ(projects_.ListProjects(town_, huapi)->projects_size(), 2);
  v1::ListProjectsRequest green;
  green.set_light(v1::PROJECT_LIGHT_GREEN);
  auto greens = projects_.ListProjects(town_, green);
  ASSERT_EQ(greens->projects_size(), 1);
  EXPECT_EQ(greens->projects(0).project_id(), ids[0]);
  green.set_page_token(EncodePageToken("x", "other filters"));
  EXPECT_EQ(projects_.ListProjects(town_, green).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(ProjectsServiceTest, AProblemMetOnAProjectIsFoundByIt) {
  const v1::Project p = Create(NewProject(), v1::PROJECT_PHASE_PREPARATION);
  v1::RaiseProblemRequest raise;
  raise.mutable_problem()->set_credit_code(uplift::registry::TestCreditCode(1));
  raise.mutable_problem()->set_category("land");
  raise.mutable_problem()->set_title("项目用地未落实");
  raise.mutable_problem()->set_description("二期项目用地组卷报批未完成。");
  raise.mutable_problem()->set_project_id("pj-000000000000");
  auto unknown = service_.RaiseProblem(town_, raise);
  EXPECT_EQ(std::string(unknown.status().message()).rfind("problem.project_id:", 0), 0u)
      << unknown.status();
  raise.mutable_problem()->set_project_id(p.project_id());
  auto raised = service_.RaiseProblem(town_, raise);
  ASSERT_TRUE(raised.ok()) << raised.status();
  EXPECT_EQ(raised->problem().project_id(), p.project_id());

  v1::ListProblemsRequest of_project;
  of_project.set_project_id(p.project_id());
  auto found = service_.ListProblems(owner_, of_project);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->problems_size(), 1);
  of_project.set_project_id("pj-111111111111");
  EXPECT_EQ(service_.ListProblems(owner_, of_project)->problems_size(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, ProjectsServiceTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::tasks

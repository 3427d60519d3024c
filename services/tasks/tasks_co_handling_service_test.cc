// 会商 through TasksService on both engines: the plan owner adds
// co-handling departments to a problem at the department rung, they see it
// (GetProblem and ListProblems), are asked through uplift:requests, answer
// into the timeline, and are reminded once when their deadline passes; the
// lead department alone resolves. problem_units is refilled from the bodies.
#include "services/tasks/problem_units_store.h"
#include "services/tasks/tasks_service_test_fixture.h"

namespace uplift::tasks {
namespace {

class TasksCoHandlingTest : public TasksServiceTest {
 protected:
  // A land problem the township sent up to the land department (deadline:
  // 10 working days from 06-01, the end of 06-14).
  v1::Problem AtTheDepartment() {
    v1::Problem p = Raise("land");
    v1::EscalateProblemRequest up;
    up.set_problem_id(p.problem_id());
    up.set_reason("需自然资源部门协调");
    auto r = service_.EscalateProblem(town_, up);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->problem() : p;
  }
  v1::AddCoHandlersRequest Ask(const std::string& problem_id) {
    v1::AddCoHandlersRequest req;
    req.set_problem_id(problem_id);
    req.set_reason("请就项目立项和融资提出意见");
    auto* fgj = req.add_co_handlers();
    fgj->set_unit_id("dept-fgj");
    fgj->set_due_on("2023-06-08");
    auto* jrj = req.add_co_handlers();
    jrj->set_unit_id("dept-jrj");
    jrj->set_due_on("2023-06-07");
    return req;
  }
  int Visible(const Principal& who, const std::string& awaiting = "") {
    v1::ListProblemsRequest all;
    all.set_awaiting_unit_id(awaiting);
    auto r = service_.ListProblems(who, all);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->problems_size() : -1;
  }
  absl::StatusCode Get(const Principal& who, const std::string& id) {
    v1::GetProblemRequest req;
    req.set_problem_id(id);
    return service_.GetProblem(who, req).status().code();
  }
  Principal fgj_ = Who(av1::ROLE_DEPARTMENT, "dept-fgj", "发改局");
  Principal jrj_ = Who(av1::ROLE_DEPARTMENT, "dept-jrj", "金融局");
};

TEST_P(TasksCoHandlingTest, ThePlanOwnerAddsDepartmentsWhoSeeAnswerAndAreRemindedOnce) {
  const v1::Problem p = AtTheDepartment();
  EXPECT_EQ(Get(fgj_, p.problem_id()), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Visible(fgj_), 0);

  v1::AddCoHandlersRequest req = Ask(p.problem_id());
  EXPECT_EQ(service_.AddCoHandlers(land_, req).status().code(), absl::StatusCode::kPermissionDenied)
      << "the lead department does not pick its co-handlers; the plan owner does";
  req.mutable_co_handlers(1)->set_unit_id("town-dayue");
  auto bad = service_.AddCoHandlers(owner_, req);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("co_handlers[1].unit_id:", 0), 0u) << bad.status();
  req = Ask(p.problem_id());
  req.mutable_co_handlers(0)->set_due_on("2023-6-8");
  bad = service_.AddCoHandlers(owner_, req);
  EXPECT_EQ(bad.status().message().rfind("co_handlers[0].due_on:", 0), 0u) << bad.status();
  EXPECT_TRUE(Published<v1::ActionRequested>().empty()) << "refusals change nothing";

  auto added = service_.AddCoHandlers(owner_, Ask(p.problem_id()));
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_EQ(added->problem().co_handlers_size(), 2);
  const std::vector<v1::ActionRequested> asked = Published<v1::ActionRequested>();
  ASSERT_EQ(asked.size(), 2u);
  for (size_t i = 0; i < asked.size(); ++i) {
    EXPECT_EQ(asked[i].action(), v1::ActionRequested::ACTION_CO_HANDLE);
    EXPECT_EQ(asked[i].unit_id(), added->problem().co_handlers(i).unit_id());
    EXPECT_EQ(asked[i].from_unit_name(), "市科学技术和工业信息化局");
    EXPECT_EQ(asked[i].deadline().seconds(), added->problem().co_handlers(i).deadline().seconds());
    EXPECT_FALSE(asked[i].overdue());
  }
  EXPECT_EQ(asked[0].unit_name(), "市发展改革局");
  EXPECT_EQ(Get(fgj_, p.problem_id()), absl::StatusCode::kOk);
  EXPECT_EQ(Visible(fgj_), 1) << "a co-handler finds the problem in its list";
  EXPECT_EQ(Visible(jrj_), 1);
  EXPECT_EQ(Visible(fgj_, "dept-fgj"), 1) << "waiting for its answer";
  EXPECT_EQ(Visible(land_, "dept-zrj"), 0) << "the lead waits for nobody's decision";

  v1::AnswerCoHandlingRequest answer;
  answer.set_problem_id(p.problem_id());
  answer.set_answer("项目已列入市重点项目库，可按程序办理立项");
  EXPECT_EQ(service_.AnswerCoHandling(land_, answer).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "the lead department is no co-handler";
  auto answered = service_.AnswerCoHandling(fgj_, answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->problem().co_handlers(0).state(), v1::CoHandler::STATE_ANSWERED);
  EXPECT_EQ(Visible(fgj_, "dept-fgj"), 0) << "answered: no longer waiting for it";
  EXPECT_EQ(Visible(fgj_), 1);
  v1::ResolveProblemRequest resolve_by_co_handler;
  resolve_by_co_handler.set_problem_id(p.problem_id());
  resolve_by_co_handler.set_resolution("已办结");
  EXPECT_EQ(service_.ResolveProblem(fgj_, resolve_by_co_handler).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "only the lead department (主办) resolves";

  // 06-09: the financing office's deadline (end of 06-07) passed unanswered.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 9, 10, 0, 0), ShanghaiTime()));
  auto swept = service_.Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->co_handlers_overdue, 1);
  EXPECT_EQ(swept->escalated, 0) << "the problem's own deadline is the 14th";
  EXPECT_EQ(service_.Sweep()->co_handlers_overdue, 0) << "reminded once";
  const std::vector<v1::ActionRequested> all = Published<v1::ActionRequested>();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].unit_id(), "dept-jrj");
  EXPECT_TRUE(all[2].overdue());
  EXPECT_EQ(Visible(jrj_, "dept-jrj"), 1) << "reminded, still waiting";

  v1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  auto got = service_.GetProblem(owner_, get);
  ASSERT_TRUE(got.ok());
  std::vector<v1::ProblemStep::Action> actions;
  for (const v1::ProblemStep& s : got->problem().timeline()) actions.push_back(s.action());
  EXPECT_EQ(actions, (std::vector<v1::ProblemStep::Action>{
                         v1::ProblemStep::ACTION_RAISED, v1::ProblemStep::ACTION_ESCALATED,
                         v1::ProblemStep::ACTION_CO_HANDLERS_ADDED,
                         v1::ProblemStep::ACTION_CO_HANDLER_ANSWERED,
                         v1::ProblemStep::ACTION_CO_HANDLER_OVERDUE}));
  EXPECT_EQ(got->problem().timeline(3).actor_unit_id(), "dept-fgj");
  EXPECT_EQ(got->problem().timeline(3).text(), answer.answer());

  v1::ResolveProblemRequest resolve;
  resolve.set_problem_id(p.problem_id());
  resolve.set_resolution("经会商，调整用地规划后办理");
  auto resolved = service_.ResolveProblem(land_, resolve);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->problem().co_handlers(1).state(), v1::CoHandler::STATE_ENDED);
  answer.set_answer("迟到的意见");
  EXPECT_EQ(service_.AnswerCoHandling(jrj_, answer).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Visible(jrj_), 1) << "a co-handler keeps seeing the problem it was asked about";
  EXPECT_EQ(Visible(jrj_, "dept-jrj"), 0) << "resolved: nothing to answer";
}

// problem_units is derived from the stored bodies (tasks migration 4 fills
// it so on an existing database): emptied and refilled, the approver of a
// waiting 延期 and the co-handlers find their problems again.
TEST_P(TasksCoHandlingTest, ProblemUnitsAreRefilledFromTheBodies) {
  const v1::Problem p = AtTheDepartment();
  ASSERT_TRUE(service_.AddCoHandlers(owner_, Ask(p.problem_id())).ok());
  // A second land problem, still at the township, asks for 延期: the land
  // department decides it (the rung above) and must find it in its list.
  v1::RaiseProblemRequest second;
  second.mutable_problem()->set_credit_code(uplift::registry::TestCreditCode(1));
  second.mutable_problem()->set_category("land");
  second.mutable_problem()->set_title("临时用地审批");
  second.mutable_problem()->set_description("施工期间需临时占用道路旁空地。");
  second.set_distinct(true);
  auto raised = service_.RaiseProblem(town_, second);
  ASSERT_TRUE(raised.ok()) << raised.status();
  v1::RequestExtensionRequest ask;
  ask.set_problem_id(raised->problem().problem_id());
  ask.set_due_on("2023-06-30");
  ask.set_reason("需等待规划调整");
  ASSERT_TRUE(service_.RequestExtension(town_, ask).ok());
  EXPECT_EQ(Visible(land_), 2) << "its own problem, and the one whose 延期 it decides";
  EXPECT_EQ(Visible(land_, "dept-zrj"), 1) << "the 延期 waits for its decision";
  ASSERT_TRUE(db_->Write([](sql::Connection& c) {
                   sql::Query(c, "DELETE FROM problem_units").Exec();
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(Visible(fgj_), 0);
  EXPECT_EQ(Visible(land_), 1);
  ASSERT_TRUE(db_->Write([](sql::Connection& c) { return store::FillProblemUnits(c); }).ok());
  EXPECT_EQ(Visible(fgj_), 1);
  EXPECT_EQ(Visible(jrj_), 1);
  EXPECT_EQ(Visible(land_), 2);
  EXPECT_EQ(Visible(land_, "dept-zrj"), 1);
  EXPECT_EQ(Visible(fgj_, "dept-fgj"), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, TasksCoHandlingTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::tasks

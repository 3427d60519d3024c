// TasksService built directly on an in-memory database, a ManualClock and
// an in-memory registry: plans, progress, the ladder by hand and by
// deadline, reminders, access, and what each change publishes.
#include "services/tasks/tasks_service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include <google/protobuf/text_format.h>

#include "services/tasks/tasks_service_test_fixture.h"
#include "uplift/indicators/v1/indicator_events.pb.h"

namespace uplift::tasks {
namespace {

using uplift::registry::TestCreditCode;

TEST_P(TasksServiceTest, ApplyingThePlanCreatesUnitsAndClustersOnceAndIsIdempotent) {
  EXPECT_EQ(registry_.units.size(), 26u);
  EXPECT_EQ(registry_.clusters.size(), 3u);
  const size_t events = Outbox().size();
  v1::ApplyPlanRequest again;
  *again.mutable_plan() = LoadXinlePlan();
  auto r = service_.ApplyPlan(owner_, again);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->changed());
  EXPECT_EQ(r->units_created() + r->units_updated() + r->clusters_created(), 0);
  EXPECT_EQ(Outbox().size(), events) << "applying the same file twice changes nothing";
  v1::ListTasksRequest list;
  list.set_plan_id("xinle-2023");
  EXPECT_EQ(service_.ListTasks(owner_, list)->tasks_size(), 25);

  auto plans = service_.ListPlans(land_, v1::ListPlansRequest());
  ASSERT_TRUE(plans.ok()) << plans.status();
  ASSERT_EQ(plans->plans_size(), 1);
  EXPECT_EQ(plans->plans(0).plan_id(), "xinle-2023");
  EXPECT_EQ(plans->plans(0).year(), 2023);
  EXPECT_EQ(plans->plans(0).tasks_size(), 0) << "tasks come with GetPlan";
  EXPECT_GT(plans->plans(0).problem_categories_size(), 0);
}

TEST_P(TasksServiceTest, OnlyThePlanOwnerEditsThePlan) {
  v1::ApplyPlanRequest apply;
  *apply.mutable_plan() = LoadXinlePlan();
  EXPECT_EQ(service_.ApplyPlan(land_, apply).status().code(), absl::StatusCode::kPermissionDenied);
  Principal other_owner = Who(av1::ROLE_PLAN_OWNER, "dept-fgj");
  EXPECT_EQ(service_.ApplyPlan(other_owner, apply).status().code(), absl::StatusCode::kPermissionDenied);
  v1::AssignTaskRequest assign;
  assign.set_plan_id("xinle-2023");
  assign.set_task_id("2.5.5");
  assign.add_responsible_unit_ids("dept-fgj");
  assign.add_responsible_unit_ids("dept-scj");
  EXPECT_EQ(service_.AssignTask(land_, assign).status().code(), absl::StatusCode::kPermissionDenied);
  auto assigned = service_.AssignTask(owner_, assign);
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  EXPECT_EQ(assigned->task().task().responsible_unit_ids_size(), 2);
  assign.add_responsible_unit_ids("nobody");
  absl::Status bad = service_.AssignTask(owner_, assign).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message().substr(0, 21), "responsible_unit_ids:") << bad;
}

TEST_P(TasksServiceTest, AMalformedPlanChangesNothing) {
  v1::ApplyPlanRequest apply;
  *apply.mutable_plan() = LoadXinlePlan();
  apply.mutable_plan()->mutable_tasks(3)->add_responsible_unit_ids("dept-nowhere");
  absl::Status s = service_.ApplyPlan(owner_, apply).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().substr(0, 37), "plan.tasks[3].responsible_unit_ids[2]") << s;
}

TEST_P(TasksServiceTest, UnitsReportTheirOwnProgressWithFigures) {
  v1::ReportProgressRequest req;
  v1::ProgressReport* r = req.mutable_report();
  r->set_plan_id("xinle-2023");
  r->set_task_id("2.4.1");
  r->set_period("2023-05");
  r->set_text("帮助1家企业建立质量管理体系，3家企业加强全面质量管理");
  auto* f = r->add_figures();
  f->set_target_id("quality-system-built");
  f->set_value(1);
  f = r->add_figures();
  f->set_target_id("tqm-strengthened");
  f->set_value(2);
  Principal mzj = Who(av1::ROLE_DEPARTMENT, "dept-nyj", "农业农村局");
  auto ok = service_.ReportProgress(mzj, req);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_FALSE(ok->replaced());
  EXPECT_FALSE(ok->report().late());  // due 06-05

  // Resubmission replaces.
  req.mutable_report()->mutable_figures(1)->set_value(3);
  EXPECT_TRUE(service_.ReportProgress(mzj, req)->replaced());
  v1::GetTaskRequest get;
  get.set_plan_id("xinle-2023");
  get.set_task_id("2.4.1");
  auto view = service_.GetTask(owner_, get);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->task().progress(1).achieved(), 3);

  // Bad input names the field and stores nothing.
  auto rejected = [&](std::function<void(v1::ProgressReport*)> breaker, absl::StatusCode code,
                      const std::string& field, const Principal& who) {
    v1::ReportProgressRequest bad = req;
    breaker(bad.mutable_report());
    absl::Status s = service_.ReportProgress(who, bad).status();
    EXPECT_EQ(s.code(), code) << s;
    EXPECT_EQ(s.message().substr(0, field.size()), field) << s;
  };
  rejected([](v1::ProgressReport* r) { r->set_period("2023-5"); }, absl::StatusCode::kInvalidArgument,
           "report.period:", mzj);
  rejected([](v1::ProgressReport* r) { r->set_period("2023-07"); }, absl::StatusCode::kInvalidArgument,
           "report.period:", mzj);  // not begun
  rejected([](v1::ProgressReport* r) { r->set_period("2023-03"); }, absl::StatusCode::kInvalidArgument,
           "report.period:", mzj);  // before the plan
  rejected([](v1::ProgressReport* r) { r->set_task_id("9.9.9"); }, absl::StatusCode::kInvalidArgument,
           "report.task_id:", mzj);
  rejected([](v1::ProgressReport* r) { r->set_text(""); }, absl::StatusCode::kInvalidArgument,
           "report.text:", mzj);
  rejected([](v1::ProgressReport* r) { r->mutable_figures(0)->set_value(-1); },
           absl::StatusCode::kInvalidArgument, "report.figures[0].value:", mzj);
  rejected([](v1::ProgressReport* r) { r->mutable_figures(0)->set_target_id("new-high-tech"); },
           absl::StatusCode::kInvalidArgument, "report.figures[0].target_id:", mzj);
  rejected([](v1::ProgressReport* r) { r->set_unit_id("dept-scj"); },
           absl::StatusCode::kPermissionDenied, "report.unit_id:", mzj);
  rejected([](v1::ProgressReport*) {}, absl::StatusCode::kPermissionDenied, "unit dept-zrj",
           land_);  // no part in 2.4.1
  EXPECT_EQ(view->task().progress(1).achieved(), 3);
  // 场次 and 家次 are counted from the activity records, not reported.
  v1::ReportProgressRequest events;
  events.mutable_report()->set_plan_id("xinle-2023");
  events.mutable_report()->set_task_id("2.5.1");
  events.mutable_report()->set_period("2023-05");
  events.mutable_report()->set_text("举办政策宣讲会1场");
  events.mutable_report()->add_figures()->set_target_id("service-events");
  events.mutable_report()->mutable_figures(0)->set_value(1);
  const absl::Status counted = service_.ReportProgress(owner_, events).status();
  EXPECT_EQ(counted.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(counted.message().find("服务活动台账"), std::string::npos) << counted;
}

TEST_P(TasksServiceTest, MissingReportsAreOverdueAndRemindedOnce) {
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 6, 9, 0, 0), ShanghaiTime()));
  v1::ListOverdueReportsRequest req;
  req.set_plan_id("xinle-2023");
  auto overdue = service_.ListOverdueReports(owner_, req);
  ASSERT_TRUE(overdue.ok()) << overdue.status();
  ASSERT_GT(overdue->overdue_size(), 0);
  EXPECT_EQ(overdue->overdue(0).period(), "2023-05");
  EXPECT_EQ(overdue->overdue(0).due_on(), "2023-06-05");
  const int expected = overdue->overdue_size();
  auto first = service_.Sweep();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->reminders, expected);
  EXPECT_EQ(service_.Sweep()->reminders, 0) << "each reminder once";
  int reminders = 0;
  for (const auto& [stream, type] : Outbox()) reminders += stream == "uplift:reminders" ? 1 : 0;
  EXPECT_EQ(reminders, expected);
  // The task shows yellow with the missing units.
  v1::GetTaskRequest get;
  get.set_plan_id("xinle-2023");
  get.set_task_id("2.5.5");
  auto view = service_.GetTask(owner_, get);
  EXPECT_EQ(view->task().status(), v1::TASK_STATUS_BEHIND_PACE);
  EXPECT_EQ(view->task().overdue_report_unit_ids(0), "dept-fgj");
}

TEST_P(TasksServiceTest, AProblemClimbsEveryRungByHand) {
  v1::Problem p = Raise();
  EXPECT_EQ(p.rung(), v1::RUNG_TOWNSHIP);
  EXPECT_EQ(p.owner_unit_id(), "town-chengan");
  EXPECT_EQ(p.enterprise_name(), "新乐市华信机械制造有限公司");

  v1::EscalateProblemRequest up;
  up.set_problem_id(p.problem_id());
  up.set_reason("");
  EXPECT_EQ(service_.EscalateProblem(town_, up).status().code(), absl::StatusCode::kInvalidArgument);
  up.set_reason("乡镇无用地指标调剂权限");
  EXPECT_EQ(service_.EscalateProblem(land_, up).status().code(), absl::StatusCode::kPermissionDenied)
      << "not yet the owner";
  auto r1 = service_.EscalateProblem(town_, up);
  ASSERT_TRUE(r1.ok()) << r1.status();
  EXPECT_EQ(r1->problem().owner_unit_id(), "dept-zrj");  // the category's department

  // The leader is the registry's current one. A person's name is kept with
  // the step they took, for the timeline.
  registry_.clusters["equipment"].set_liaison_leader_unit_id("leader-equipment");
  up.set_reason("指标需全市统筹");
  Principal li_hua = land_;
  li_hua.subject = "li.hua";
  li_hua.subject_name = "李华";
  auto r2 = service_.EscalateProblem(li_hua, up);
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_EQ(r2->problem().rung(), v1::RUNG_CITY_LEADER);
  EXPECT_EQ(r2->problem().owner_unit_id(), "leader-equipment");

  up.set_reason("需省级增加指标");
  auto r3 = service_.EscalateProblem(leader_, up);
  ASSERT_TRUE(r3.ok()) << r3.status();
  EXPECT_EQ(r3->problem().owner_unit_id(), "prov-support");
  EXPECT_EQ(service_.EscalateProblem(province_, up).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Escalations(), 3) << "one message per escalation";

  v1::ResolveProblemRequest resolve;
  resolve.set_problem_id(p.problem_id());
  resolve.set_resolution("省自然资源厅追加年度用地指标20亩");
  ASSERT_TRUE(service_.ResolveProblem(province_, resolve).ok());
  v1::EscalateProblemRequest closed = up;
  EXPECT_EQ(service_.EscalateProblem(province_, closed).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  auto full = service_.GetProblem(town_, get);
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full->problem().timeline_size(), 5);
  EXPECT_EQ(full->problem().timeline(0).action(), v1::ProblemStep::ACTION_RAISED);
  EXPECT_EQ(full->problem().timeline(2).actor(), "li.hua");
  EXPECT_EQ(full->problem().timeline(2).actor_name(), "李华");
  EXPECT_EQ(full->problem().timeline(3).actor_name(), "") << "a token without a name";
  EXPECT_EQ(full->problem().timeline(3).owner_unit_id(), "prov-support");
  EXPECT_EQ(full->problem().timeline(4).text(), "省自然资源厅追加年度用地指标20亩");
  EXPECT_EQ(Escalations(), 3);
}

TEST_P(TasksServiceTest, AProblemClimbsByItselfPastItsDeadline) {
  v1::Problem p = Raise("financing");  // 5 working days: due end of 2023-06-08
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 8, 23, 0, 0), ShanghaiTime()));
  EXPECT_EQ(service_.Sweep()->escalated, 0) << "not yet due";
  std::vector<std::string> owners;
  for (int round = 0; round < 4; ++round) {
    clock_.Advance(absl::Hours(24 * 14));
    auto swept = service_.Sweep();
    ASSERT_TRUE(swept.ok()) << swept.status();
    v1::GetProblemRequest get;
    get.set_problem_id(p.problem_id());
    owners.push_back(service_.GetProblem(owner_, get)->problem().owner_unit_id());
  }
  EXPECT_EQ(owners, (std::vector<std::string>{"dept-jrj", "leader-equipment", "prov-support",
                                              "prov-support"}));
  EXPECT_EQ(Escalations(), 3);
  v1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  auto full = service_.GetProblem(owner_, get);
  const auto& tl = full->problem().timeline();
  EXPECT_EQ(tl[1].action(), v1::ProblemStep::ACTION_AUTO_ESCALATED);
  EXPECT_EQ(tl[tl.size() - 1].action(), v1::ProblemStep::ACTION_OVERDUE_AT_TOP);
  EXPECT_TRUE(full->problem().overdue());
  clock_.Advance(absl::Hours(24 * 14));
  EXPECT_EQ(service_.Sweep()->overdue_at_top, 0) << "recorded once";
}

TEST_P(TasksServiceTest, ARegistryOutageDelaysAutomaticEscalationToTheLeader) {
  v1::Problem p = Raise("labour");
  clock_.Advance(absl::Hours(24 * 14));
  ASSERT_EQ(service_.Sweep()->escalated, 1);  // to the department: no registry needed
  registry_.down = true;
  clock_.Advance(absl::Hours(24 * 14));
  auto swept = service_.Sweep();
  EXPECT_EQ(swept->escalated, 0);
  EXPECT_EQ(swept->skipped, 1);
  registry_.down = false;
  EXPECT_EQ(service_.Sweep()->escalated, 1);
}

TEST_P(TasksServiceTest, TheSameProblemAgainGetsTheOpenCaseBack) {
  v1::Problem first = Raise();
  v1::RaiseProblemRequest again;
  again.mutable_problem()->set_credit_code(TestCreditCode(1));
  again.mutable_problem()->set_category("land");
  again.mutable_problem()->set_title("还是用地");
  again.mutable_problem()->set_description("同一问题再次反映");
  auto r = service_.RaiseProblem(town_, again);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->existing());
  EXPECT_EQ(r->problem().problem_id(), first.problem_id());
  // Another category is another case.
  EXPECT_NE(Raise("financing").problem_id(), first.problem_id());
}

TEST_P(TasksServiceTest, RaisingRefusesBadInput) {
  auto raise = [&](std::function<void(v1::RaiseProblemRequest*)> change, const Principal& who) {
    v1::RaiseProblemRequest req;
    req.mutable_problem()->set_credit_code(TestCreditCode(1));
    req.mutable_problem()->set_category("land");
    req.mutable_problem()->set_title("标题");
    req.mutable_problem()->set_description("描述");
    change(&req);
    return service_.RaiseProblem(who, req).status();
  };
  absl::Status s = raise([](auto* r) { r->mutable_problem()->set_credit_code(TestCreditCode(99)); }, town_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("problem.credit_code: enterprise"), std::string::npos) << s;
  s = raise([](auto* r) { r->mutable_problem()->set_credit_code("91130184MA0000001X"); }, town_);
  EXPECT_EQ(s.message().substr(0, 20), "problem.credit_code:");
  s = raise([](auto* r) { r->mutable_problem()->set_category("weather"); }, town_);
  EXPECT_EQ(s.message().substr(0, 17), "problem.category:");
  s = raise([](auto* r) { r->mutable_problem()->set_description(""); }, town_);
  EXPECT_EQ(s.message().substr(0, 20), "problem.description:");
  s = raise([](auto*) {}, Who(av1::ROLE_TOWNSHIP, "town-dongwang"));
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  s = raise([](auto*) {}, Who(av1::ROLE_VIEWER, ""));
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  registry_.down = true;
  EXPECT_EQ(raise([](auto*) {}, town_).code(), absl::StatusCode::kUnavailable);
}

TEST_P(TasksServiceTest, ReturnSatisfactionAndReopen) {
  v1::Problem p = Raise();
  v1::EscalateProblemRequest up;
  up.set_problem_id(p.problem_id());
  up.set_reason("需部门协调");
  ASSERT_TRUE(service_.EscalateProblem(town_, up).ok());
  v1::ReturnProblemRequest back;
  back.set_problem_id(p.problem_id());
  back.set_reason("材料不全，请乡镇补充后再报");
  auto returned = service_.ReturnProblem(land_, back);
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->problem().owner_unit_id(), "town-chengan");
  EXPECT_EQ(Escalations(), 1) << "a return is not an escalation";

  v1::ResolveProblemRequest resolve;
  resolve.set_problem_id(p.problem_id());
  resolve.set_resolution("补齐材料后在乡镇层面解决");
  ASSERT_TRUE(service_.ResolveProblem(town_, resolve).ok());
  v1::RecordSatisfactionRequest visit;
  visit.set_problem_id(p.problem_id());
  visit.set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  visit.set_comment("企业认为指标仍不足");
  EXPECT_EQ(service_.RecordSatisfaction(land_, visit).status().code(), absl::StatusCode::kPermissionDenied);
  // 不满意: reopened one rung above the township that resolved it, and the
  // department reached as by an escalation.
  auto visited = service_.RecordSatisfaction(town_, visit);
  ASSERT_TRUE(visited.ok()) << visited.status();
  EXPECT_EQ(visited->problem().state(), v1::PROBLEM_STATE_OPEN);
  EXPECT_EQ(visited->problem().rung(), v1::RUNG_DEPARTMENT);
  EXPECT_EQ(visited->problem().owner_unit_id(), "dept-zrj");
  EXPECT_EQ(Escalations(), 2);

  resolve.set_resolution("部门调剂用地指标");
  ASSERT_TRUE(service_.ResolveProblem(land_, resolve).ok());
  visit.set_satisfaction(v1::SATISFACTION_BASICALLY_SATISFIED);
  ASSERT_TRUE(service_.RecordSatisfaction(town_, visit).ok());
  v1::ReopenProblemRequest reopen;
  reopen.set_problem_id(p.problem_id());
  reopen.set_reason("问题反复，重新办理");
  auto reopened = service_.ReopenProblem(town_, reopen);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->problem().state(), v1::PROBLEM_STATE_OPEN);
  EXPECT_EQ(reopened->problem().rung(), v1::RUNG_DEPARTMENT) << "at the rung that resolved it";
}

TEST_P(TasksServiceTest, TwoReturnsBetweenTheSameRungsWaitForThePlanOwnersRuling) {
  v1::Problem p = Raise();
  v1::EscalateProblemRequest up;
  up.set_problem_id(p.problem_id());
  up.set_reason("需部门协调");
  v1::ReturnProblemRequest back;
  back.set_problem_id(p.problem_id());
  back.set_reason("属乡镇职责");
  ASSERT_TRUE(service_.EscalateProblem(town_, up).ok());
  ASSERT_TRUE(service_.ReturnProblem(land_, back).ok());
  ASSERT_TRUE(service_.EscalateProblem(town_, up).ok());
  auto second = service_.ReturnProblem(land_, back);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->problem().state(), v1::PROBLEM_STATE_AWAITING_RULING);
  EXPECT_EQ(second->problem().owner_unit_id(), "dept-kgx");
  const std::vector<v1::ActionRequested> to_rule = Published<v1::ActionRequested>();
  ASSERT_EQ(to_rule.size(), 1u) << "the plan owner is asked to rule, once";
  EXPECT_EQ(to_rule[0].action(), v1::ActionRequested::ACTION_RULE);
  EXPECT_EQ(to_rule[0].unit_id(), "dept-kgx");
  EXPECT_EQ(to_rule[0].from_unit_id(), "dept-zrj");

  v1::RuleOnProblemRequest rule;
  rule.set_problem_id(p.problem_id());
  rule.set_rung(v1::RUNG_DEPARTMENT);
  rule.set_reason("用地指标由自然资源和规划局统筹");
  EXPECT_EQ(service_.RuleOnProblem(land_, rule).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.RuleOnProblem(Who(av1::ROLE_PLAN_OWNER, "dept-fgj"), rule).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "a plan owner of another unit";
  rule.set_rung(v1::RUNG_UNSPECIFIED);
  EXPECT_EQ(service_.RuleOnProblem(owner_, rule).status().code(),
            absl::StatusCode::kInvalidArgument);
  rule.set_rung(v1::RUNG_DEPARTMENT);
  auto ruled = service_.RuleOnProblem(owner_, rule);
  ASSERT_TRUE(ruled.ok()) << ruled.status();
  EXPECT_EQ(ruled->problem().rung(), v1::RUNG_DEPARTMENT);
  EXPECT_EQ(ruled->problem().owner_unit_id(), "dept-zrj");
  EXPECT_EQ(service_.ReturnProblem(land_, back).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  auto got = service_.GetProblem(owner_, get);
  ASSERT_TRUE(got.ok());
  std::vector<v1::ProblemStep::Action> actions;
  for (const auto& step : got->problem().timeline()) actions.push_back(step.action());
  EXPECT_EQ(actions, (std::vector<v1::ProblemStep::Action>{
                         v1::ProblemStep::ACTION_RAISED, v1::ProblemStep::ACTION_ESCALATED,
                         v1::ProblemStep::ACTION_RETURNED, v1::ProblemStep::ACTION_ESCALATED,
                         v1::ProblemStep::ACTION_SENT_FOR_RULING, v1::ProblemStep::ACTION_RULED}));
}

TEST_P(TasksServiceTest, OnlyThePlanOwnerSkipsRungsAndTheTimelineSaysSo) {
  v1::Problem p = Raise();
  v1::EscalateProblemRequest skip;
  skip.set_problem_id(p.problem_id());
  skip.set_reason("涉及省级用地审批，提请省、市部门支持");
  skip.set_to_rung(v1::RUNG_PROVINCE_PREFECTURE);
  EXPECT_EQ(service_.EscalateProblem(town_, skip).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "the rung's owner escalates one rung only";
  skip.set_to_rung(static_cast<v1::Rung>(99));
  EXPECT_EQ(service_.EscalateProblem(owner_, skip).status().code(),
            absl::StatusCode::kInvalidArgument);
  skip.set_to_rung(v1::RUNG_PROVINCE_PREFECTURE);
  auto sent = service_.EscalateProblem(owner_, skip);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->problem().rung(), v1::RUNG_PROVINCE_PREFECTURE);
  EXPECT_EQ(sent->problem().owner_unit_id(), "prov-support");
  EXPECT_EQ(Escalations(), 1) << "the provincial office is reached as by an escalation";
  v1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  auto got = service_.GetProblem(owner_, get);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->problem().timeline().rbegin()->action(), v1::ProblemStep::ACTION_SKIPPED_UP);
}

// 延期 on a land problem (the Xinle plan: the rung above approves) and on
// a financing one (the plan owner approves); the sweep respects the
// approved deadline and not the one merely asked for.
TEST_P(TasksServiceTest, AnExtensionIsAskedByTheRungAndDecidedByItsApprover) {
  v1::Problem p = Raise("land");
  v1::RequestExtensionRequest ask;
  ask.set_problem_id(p.problem_id());
  ask.set_due_on("2023-06-30");
  ask.set_reason("需等待国土空间规划调整");
  EXPECT_EQ(service_.RequestExtension(land_, ask).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "not the rung's owner";
  ask.set_due_on("2023-06-3O");
  auto bad = service_.RequestExtension(town_, ask);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().substr(0, 7), "due_on:");
  ask.set_due_on("2023-06-05");
  EXPECT_EQ(service_.RequestExtension(town_, ask).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "before the current deadline";
  v1::GetProblemRequest before;
  before.set_problem_id(p.problem_id());
  EXPECT_EQ(service_.GetProblem(land_, before).status().code(), absl::StatusCode::kPermissionDenied)
      << "the land department has had no part in it yet";
  ask.set_due_on("2023-06-30");
  auto asked = service_.RequestExtension(town_, ask);
  ASSERT_TRUE(asked.ok()) << asked.status();
  EXPECT_EQ(asked->problem().pending_extension().approver_unit_id(), "dept-zrj");
  const std::vector<v1::ActionRequested> to_decide = Published<v1::ActionRequested>();
  ASSERT_EQ(to_decide.size(), 1u);
  EXPECT_EQ(to_decide[0].action(), v1::ActionRequested::ACTION_DECIDE_EXTENSION);
  EXPECT_EQ(to_decide[0].unit_id(), "dept-zrj");
  EXPECT_EQ(to_decide[0].from_unit_name(), "承安镇");
  EXPECT_EQ(to_decide[0].deadline().seconds(),
            asked->problem().pending_extension().deadline().seconds());
  v1::GetProblemRequest seen;
  seen.set_problem_id(p.problem_id());
  EXPECT_TRUE(service_.GetProblem(land_, seen).ok())
      << "the approver sees the township's problem while it must decide";

  v1::DecideExtensionRequest decide;
  decide.set_problem_id(p.problem_id());
  decide.set_approve(true);
  EXPECT_EQ(service_.DecideExtension(owner_, decide).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "for land, the department above approves, not the plan owner";
  // Approved once the old deadline has passed: the sweep follows the new one.
  clock_.Advance(absl::Hours(24 * 20));  // 2023-06-21
  auto approved = service_.DecideExtension(land_, decide);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_TRUE(service_.GetProblem(land_, seen).ok()) << "and after, having decided";
  EXPECT_EQ(FormatLocalTime(FromProtoTimestamp(approved->problem().deadline())),
            "2023-07-01 00:00:00");
  auto swept = service_.Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status();
  v1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  EXPECT_EQ(service_.GetProblem(owner_, get)->problem().rung(), v1::RUNG_TOWNSHIP)
      << "the sweep respects the approved deadline";
  clock_.Advance(absl::Hours(24 * 11));  // 2023-07-02
  ASSERT_TRUE(service_.Sweep().ok());
  EXPECT_EQ(service_.GetProblem(owner_, get)->problem().rung(), v1::RUNG_DEPARTMENT)
      << "and climbs past it";

  v1::Problem money = Raise("financing");
  ask.set_problem_id(money.problem_id());
  ask.set_due_on("2023-08-31");
  ASSERT_TRUE(service_.RequestExtension(town_, ask).ok());
  decide.set_problem_id(money.problem_id());
  decide.set_approve(false);
  EXPECT_EQ(service_.DecideExtension(owner_, decide).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "a refusal needs its reason";
  decide.set_reason("融资对接可在原时限内完成");
  auto refused = service_.DecideExtension(owner_, decide);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_FALSE(refused->problem().has_pending_extension());
  EXPECT_EQ(refused->problem().deadline().seconds(), money.deadline().seconds());
}

TEST_P(TasksServiceTest, ADistinctProblemOfTheSameEnterpriseAndCategoryIsOpenedBesideTheFirst) {
  v1::Problem first = Raise();
  v1::RaiseProblemRequest again;
  again.mutable_problem()->set_credit_code(first.credit_code());
  again.mutable_problem()->set_category(first.category());
  again.mutable_problem()->set_title("三期仓储用地");
  again.mutable_problem()->set_description("另需仓储用地约5亩，与二期厂房用地无关。");
  auto merged = service_.RaiseProblem(town_, again);
  ASSERT_TRUE(merged.ok());
  EXPECT_TRUE(merged->existing());
  EXPECT_EQ(merged->problem().problem_id(), first.problem_id());
  again.set_distinct(true);
  auto second = service_.RaiseProblem(town_, again);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->existing());
  EXPECT_NE(second->problem().problem_id(), first.problem_id());
  EXPECT_TRUE(second->problem().distinct());
  v1::ListProblemsRequest all;
  EXPECT_EQ(service_.ListProblems(owner_, all)->problems_size(), 2);
}

TEST_P(TasksServiceTest, WhoSeesWhichProblems) {
  v1::Problem p = Raise();
  v1::ListProblemsRequest all;
  EXPECT_EQ(service_.ListProblems(owner_, all)->problems_size(), 1);
  EXPECT_EQ(service_.ListProblems(town_, all)->problems_size(), 1);
  EXPECT_EQ(service_.ListProblems(Who(av1::ROLE_TOWNSHIP, "town-dongwang"), all)->problems_size(), 0);
  EXPECT_EQ(service_.ListProblems(leader_, all)->problems_size(), 1) << "leaders see their clusters";
  EXPECT_EQ(service_.ListProblems(Who(av1::ROLE_LEADER, "leader-food"), all)->problems_size(), 0);
  EXPECT_EQ(service_.ListProblems(land_, all)->problems_size(), 0) << "not yet its problem";
  v1::EscalateProblemRequest up;
  up.set_problem_id(p.problem_id());
  up.set_reason("需部门协调");
  ASSERT_TRUE(service_.EscalateProblem(town_, up).ok());
  EXPECT_EQ(service_.ListProblems(land_, all)->problems_size(), 1);
  v1::ListProblemsRequest filtered;
  filtered.set_rung(v1::RUNG_DEPARTMENT);
  filtered.set_overdue(false);
  EXPECT_EQ(service_.ListProblems(owner_, filtered)->problems_size(), 1);
  filtered.set_overdue(true);
  EXPECT_EQ(service_.ListProblems(owner_, filtered)->problems_size(), 0);
  v1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  EXPECT_EQ(service_.GetProblem(Who(av1::ROLE_DEPARTMENT, "dept-scj"), get).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(TasksServiceTest, IndicatorProgressIsAppliedOnceAndShownOnItsTask) {
  uplift::indicators::v1::TargetProgressChanged progress;
  progress.set_plan_id("xinle-2023");
  progress.set_target_id("new-specialized-sme");
  progress.set_achieved(4);
  progress.set_period("2023-09");
  StreamEvent e;
  e.event_id = "e-1";
  e.type = progress.GetDescriptor()->full_name();
  e.subject = "target/xinle-2023/new-specialized-sme";
  e.version = 1;
  progress.SerializeToString(&e.payload);
  EventRouter router(db_.get(), &clock_, nullptr);
  service_.RegisterEventHandlers(&router);
  ASSERT_TRUE(router.Handle("uplift:events:indicators", e).ok());
  progress.set_achieved(99);  // a redelivery with the same event_id is ignored
  progress.SerializeToString(&e.payload);
  ASSERT_TRUE(router.Handle("uplift:events:indicators", e).ok());
  v1::GetTaskRequest get;
  get.set_plan_id("xinle-2023");
  get.set_task_id("2.2.1");
  auto view = service_.GetTask(owner_, get);
  EXPECT_EQ(view->task().progress(0).achieved(), 4);
  EXPECT_EQ(view->task().progress(0).source(), "企业库称号认定");
}

INSTANTIATE_TEST_SUITE_P(Engines, TasksServiceTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::tasks

namespace uplift::tasks {
namespace {

// Regression: RaiseProblem for an enterprise and category with an open case
// used to return that case in full to anyone; now only to who may see it.
TEST_P(TasksServiceTest, AnOpenProblemComesBackOnlyToWhoMaySeeIt) {
  const v1::Problem first = Raise();
  v1::RaiseProblemRequest again;
  again.mutable_problem()->set_credit_code(TestCreditCode(1));
  again.mutable_problem()->set_category("land");
  again.mutable_problem()->set_title("试探");
  again.mutable_problem()->set_description("另一单位用同一企业和类别试探");
  // A department may raise for any enterprise, but cannot see a case that
  // has not reached it: it learns that one exists, nothing more.
  const Principal finance = Who(av1::ROLE_DEPARTMENT, "dept-jrj");
  auto r = service_.RaiseProblem(finance, again);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(r.status().message().find(first.problem_id()), std::string::npos) << r.status();
  EXPECT_EQ(r.status().message().find("扩建"), std::string::npos) << r.status();
  // The township that raised it gets it back.
  auto mine = service_.RaiseProblem(town_, again);
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_TRUE(mine->existing());
  EXPECT_EQ(mine->problem().problem_id(), first.problem_id());
}

// Regression: idempotency keys were global per (method, request_id) and
// replayed before the access check; now they are the caller's own.
TEST_P(TasksServiceTest, ARequestIdIsTheCallersOwnAndNeverReplaysToAnother) {
  v1::RaiseProblemRequest req;
  req.set_request_id("req-0001");
  req.mutable_problem()->set_credit_code(TestCreditCode(1));
  req.mutable_problem()->set_category("land");
  req.mutable_problem()->set_title("扩建用地指标不足");
  req.mutable_problem()->set_description("企业计划扩建二期厂房。");
  auto first = service_.RaiseProblem(town_, req);
  ASSERT_TRUE(first.ok()) << first.status();
  auto replay = service_.RaiseProblem(town_, req);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->problem().problem_id(), first->problem().problem_id());
  // Another township reusing the id is checked like any caller: refused,
  // and nothing of the first answer comes back.
  auto other = service_.RaiseProblem(Who(av1::ROLE_TOWNSHIP, "town-dongwang"), req);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(other.status().message().find(first->problem().problem_id()), std::string::npos);
}

// Regression: visibility was fixed at raise time. An enterprise that moves
// township takes its problems with it; a cluster's new leader takes over
// the leader rung (the step says so), the old one keeps only what it owned.
TEST_P(TasksServiceTest, VisibilityFollowsTheRegistryAsItIsNow) {
  EventRouter router(db_.get(), &clock_, nullptr);
  service_.RegisterEventHandlers(&router);
  int events = 0;
  auto deliver = [&](const google::protobuf::Message& payload, const std::string& subject) {
    StreamEvent e;
    e.event_id = absl::StrCat("reg-", ++events);
    e.type = payload.GetDescriptor()->full_name();
    e.subject = subject;
    e.version = events;
    payload.SerializeToString(&e.payload);
    ASSERT_TRUE(router.Handle("uplift:events:registry", e).ok());
  };
  const v1::Problem p = Raise();
  v1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  const Principal huapi = Who(av1::ROLE_TOWNSHIP, "town-huapi");
  EXPECT_EQ(service_.GetProblem(huapi, get).status().code(), absl::StatusCode::kPermissionDenied);

  rv1::EnterpriseUpdated moved;
  *moved.mutable_before() = registry_.enterprises[TestCreditCode(1)];
  *moved.mutable_after() = moved.before();
  moved.mutable_after()->set_township_id("town-huapi");
  registry_.enterprises[TestCreditCode(1)] = moved.after();
  deliver(moved, "enterprise/" + TestCreditCode(1));
  EXPECT_TRUE(service_.GetProblem(huapi, get).ok());
  EXPECT_EQ(service_.GetProblem(town_, get).status().code(), absl::StatusCode::kPermissionDenied);
  v1::ListProblemsRequest all;
  EXPECT_EQ(service_.ListProblems(huapi, all)->problems_size(), 1);
  EXPECT_EQ(service_.ListProblems(town_, all)->problems_size(), 0);

  // Up to the leader rung, then the cluster gets a new liaison leader.
  v1::EscalateProblemRequest up;
  up.set_problem_id(p.problem_id());
  up.set_reason("需部门协调");
  ASSERT_TRUE(service_.EscalateProblem(huapi, up).ok());
  ASSERT_TRUE(service_.EscalateProblem(land_, up).ok());
  ASSERT_EQ(service_.GetProblem(owner_, get)->problem().owner_unit_id(), "leader-equipment");
  rv1::ClusterUpdated changed;
  *changed.mutable_before() = registry_.clusters["equipment"];
  *changed.mutable_after() = changed.before();
  changed.mutable_after()->set_liaison_leader_unit_id("leader-food");
  registry_.clusters["equipment"] = changed.after();
  deliver(changed, "cluster/equipment");
  const Principal food = Who(av1::ROLE_LEADER, "leader-food");
  auto now = service_.GetProblem(food, get);
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->problem().owner_unit_id(), "leader-food");
  EXPECT_EQ(now->problem().timeline(now->problem().timeline_size() - 1).action(),
            v1::ProblemStep::ACTION_TRANSFERRED);
  EXPECT_EQ(service_.ListProblems(food, all)->problems_size(), 1);
  // The old leader owned a rung of it: it still sees the case, in its list
  // as in GetProblem, but can no longer act on it.
  EXPECT_TRUE(service_.GetProblem(leader_, get).ok());
  EXPECT_EQ(service_.ListProblems(leader_, all)->problems_size(), 1);
  EXPECT_EQ(service_.EscalateProblem(leader_, up).status().code(),
            absl::StatusCode::kPermissionDenied);
}

// Regression: the sweep took the 200 oldest due problems and stopped at
// those that can never climb, so newer ones never escalated. Those are now
// set aside for an hour and counted.
TEST_P(TasksServiceTest, ProblemsThatCannotClimbNeverHoldUpTheOthers) {
  rv1::Cluster orphan;
  orphan.set_cluster_id("orphan");
  orphan.set_name("无人包联的集群");
  registry_.clusters["orphan"] = orphan;
  std::vector<std::string> stuck;
  for (int n = 0; n < 205; ++n) {  // more than one sweep's batch
    rv1::Enterprise e = registry_.enterprises[TestCreditCode(1)];
    e.set_credit_code(TestCreditCode(1000 + n));
    e.set_cluster_id("orphan");
    registry_.enterprises[e.credit_code()] = e;
    v1::RaiseProblemRequest req;
    req.mutable_problem()->set_credit_code(e.credit_code());
    req.mutable_problem()->set_category("land");
    req.mutable_problem()->set_title("用地");
    req.mutable_problem()->set_description("无人包联");
    auto r = service_.RaiseProblem(town_, req);
    ASSERT_TRUE(r.ok()) << r.status();
    v1::EscalateProblemRequest up;
    up.set_problem_id(r->problem().problem_id());
    up.set_reason("需部门协调");
    ASSERT_TRUE(service_.EscalateProblem(town_, up).ok());
    stuck.push_back(r->problem().problem_id());
  }
  // The cluster is unknown to the registry: the leader rung cannot be found.
  registry_.clusters.erase("orphan");
  clock_.Advance(absl::Hours(24 * 30));
  const v1::Problem fresh = Raise("labour");  // newer, and can climb
  clock_.Advance(absl::Hours(24 * 30));
  int blocked = 0, escalated = 0;
  for (int round = 0; round < 3; ++round) {
    auto swept = service_.Sweep();
    ASSERT_TRUE(swept.ok()) << swept.status();
    blocked += swept->blocked;
    escalated += swept->escalated;
  }
  EXPECT_EQ(blocked, 205);
  EXPECT_GE(escalated, 1) << "the newer problem climbed";
  v1::GetProblemRequest get;
  get.set_problem_id(fresh.problem_id());
  EXPECT_NE(service_.GetProblem(owner_, get)->problem().rung(), v1::RUNG_TOWNSHIP)
      << "the newer problem climbed past the stuck ones";
  get.set_problem_id(stuck[0]);
  EXPECT_EQ(service_.GetProblem(owner_, get)->problem().rung(), v1::RUNG_DEPARTMENT);
}

}  // namespace
}  // namespace uplift::tasks

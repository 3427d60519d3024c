// The ladder as a state machine: every transition, every refusal.
#include "services/tasks/problem_ladder.h"

#include <gtest/gtest.h>

#include "common/time_util.h"

namespace uplift::tasks {
namespace {

using S = v1::ProblemStep;

class ProblemLadderTest : public ::testing::Test {
 protected:
  ProblemLadderTest() : calendar_(*WorkingCalendar::Builtin()), ladder_(&calendar_) {
    owners_ = {"town-chengan", "dept-zrj", "leader-equipment", "prov-support", "dept-kgx"};
    p_.set_problem_id("pb-000000000001");
    p_.set_description("厂房扩建用地指标不足");
    ladder_.Raise(&p_, owners_, 5, now_, {"承安镇专班", "town-chengan"});
  }
  // 2023-06-01 (Thursday) 10:00 in Xinle.
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime());
  WorkingCalendar calendar_;
  ProblemLadder ladder_;
  RungOwners owners_;
  v1::Problem p_;
  Actor town_{"承安镇专班", "town-chengan"};
};

TEST_F(ProblemLadderTest, RaisedAtTheTownshipWithADeadlineInWorkingDays) {
  EXPECT_EQ(p_.rung(), v1::RUNG_TOWNSHIP);
  EXPECT_EQ(p_.owner_unit_id(), "town-chengan");
  EXPECT_EQ(p_.state(), v1::PROBLEM_STATE_OPEN);
  // 5 working days after Thursday 06-01: 02, 05, 06, 07, 08 -> end of 06-08.
  EXPECT_EQ(FormatLocalTime(FromProtoTimestamp(p_.deadline())), "2023-06-09 00:00:00");
}

TEST_F(ProblemLadderTest, ClimbsEveryRungToTheTopAndNoFurther) {
  const std::vector<std::pair<v1::Rung, std::string>> expected = {
      {v1::RUNG_DEPARTMENT, "dept-zrj"},
      {v1::RUNG_CITY_LEADER, "leader-equipment"},
      {v1::RUNG_PROVINCE_PREFECTURE, "prov-support"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    auto step = ladder_.Escalate(&p_, "本级无法解决", owners_, 5, now_, town_, false);
    ASSERT_TRUE(step.ok()) << step.status();
    EXPECT_EQ(step->action(), S::ACTION_ESCALATED);
    EXPECT_EQ(p_.rung(), expected[i].first);
    EXPECT_EQ(p_.owner_unit_id(), expected[i].second);
    EXPECT_EQ(step->owner_unit_id(), expected[i].second);
    EXPECT_EQ(p_.escalations(), static_cast<int>(i + 1));
  }
  auto beyond = ladder_.Escalate(&p_, "再上一级", owners_, 5, now_, town_, false);
  EXPECT_EQ(beyond.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(beyond.status().message().find("top rung"), std::string::npos);
  EXPECT_EQ(p_.rung(), v1::RUNG_PROVINCE_PREFECTURE) << "a refused step changes nothing";
}

TEST_F(ProblemLadderTest, AutomaticEscalationIsMarkedAsSuch) {
  auto step = ladder_.Escalate(&p_, "超时", owners_, 5, now_, Actor::System(), true);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->action(), S::ACTION_AUTO_ESCALATED);
  EXPECT_EQ(step->actor(), "system");
}

TEST_F(ProblemLadderTest, AcceptResolveSatisfactionAndReopen) {
  ASSERT_TRUE(ladder_.Accept(&p_, now_, town_).ok());
  EXPECT_EQ(p_.state(), v1::PROBLEM_STATE_ACCEPTED);
  EXPECT_EQ(ladder_.Accept(&p_, now_, town_).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ladder_.Resolve(&p_, "  ", now_, town_).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ladder_.RecordSatisfaction(&p_, v1::SATISFACTION_SATISFIED, "", owners_, 5, now_, town_)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ladder_.Resolve(&p_, "协调调整用地指标", now_, town_).ok());
  EXPECT_EQ(p_.state(), v1::PROBLEM_STATE_RESOLVED);
  // A resolved problem cannot be acted on until reopened.
  for (absl::Status s : {ladder_.Accept(&p_, now_, town_).status(),
                         ladder_.Resolve(&p_, "again", now_, town_).status(),
                         ladder_.Escalate(&p_, "x", owners_, 5, now_, town_, false).status()}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  }
  EXPECT_EQ(
      ladder_.RecordSatisfaction(&p_, v1::SATISFACTION_UNSPECIFIED, "", owners_, 5, now_, town_)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(ladder_
                  .RecordSatisfaction(&p_, v1::SATISFACTION_BASICALLY_SATISFIED, "", owners_, 5,
                                      now_, town_)
                  .ok());
  EXPECT_EQ(p_.satisfaction(), v1::SATISFACTION_BASICALLY_SATISFIED);
  EXPECT_EQ(p_.state(), v1::PROBLEM_STATE_RESOLVED);
  EXPECT_EQ(ladder_.Reopen(&p_, "", 5, now_, town_).status().code(), absl::StatusCode::kInvalidArgument);
  auto reopened = ladder_.Reopen(&p_, "企业不满意，重新办理", 5, now_, town_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(p_.state(), v1::PROBLEM_STATE_OPEN);
  EXPECT_EQ(p_.rung(), v1::RUNG_TOWNSHIP);
  EXPECT_TRUE(p_.resolution().empty());
  EXPECT_EQ(ladder_.Reopen(&p_, "again", 5, now_, town_).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ProblemLadderTest, AcceptingLeavesTheDeadlineWhereTheDispatchSetIt) {
  const std::string dispatched = FormatLocalTime(FromProtoTimestamp(p_.deadline()));
  ASSERT_TRUE(ladder_.Accept(&p_, now_ + absl::Hours(72), town_).ok());
  EXPECT_EQ(FormatLocalTime(FromProtoTimestamp(p_.deadline())), dispatched);
}

TEST_F(ProblemLadderTest, ReturnGoesOneRungDownButNotBelowTheTownship) {
  EXPECT_EQ(ladder_.Return(&p_, "不属实", owners_, 5, now_, town_).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
  ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
  EXPECT_EQ(ladder_.Return(&p_, "", owners_, 5, now_, town_).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto back = ladder_.Return(&p_, "请部门先行协调", owners_, 5, now_, town_);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->action(), S::ACTION_RETURNED);
  EXPECT_EQ(p_.rung(), v1::RUNG_DEPARTMENT);
  EXPECT_EQ(p_.owner_unit_id(), "dept-zrj");
}

TEST_F(ProblemLadderTest, OnlyTheCurrentOwnerInAFittingRoleMayAct) {
  Principal town;
  town.role = uplift::auth::v1::ROLE_TOWNSHIP;
  town.unit_id = "town-chengan";
  EXPECT_TRUE(ProblemLadder::CheckOwner(p_, town).ok());
  town.unit_id = "town-dongwang";
  EXPECT_EQ(ProblemLadder::CheckOwner(p_, town).code(), absl::StatusCode::kPermissionDenied);
  Principal dept;
  dept.role = uplift::auth::v1::ROLE_DEPARTMENT;
  dept.unit_id = "town-chengan";  // right unit, wrong role
  EXPECT_EQ(ProblemLadder::CheckOwner(p_, dept).code(), absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
  dept.unit_id = "dept-zrj";
  EXPECT_TRUE(ProblemLadder::CheckOwner(p_, dept).ok());
}

TEST_F(ProblemLadderTest, OverdueAtTheTopIsRecordedOnlyThere) {
  EXPECT_FALSE(ladder_.MarkOverdueAtTop(&p_, now_).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
  auto step = ladder_.MarkOverdueAtTop(&p_, now_);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->action(), S::ACTION_OVERDUE_AT_TOP);
}

TEST_F(ProblemLadderTest, EscalationWithoutALeaderIsRefused) {
  ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
  RungOwners no_leader = owners_;
  no_leader.city_leader.clear();
  auto s = ladder_.Escalate(&p_, "up", no_leader, 5, now_, town_, false);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(p_.rung(), v1::RUNG_DEPARTMENT);
}

TEST_F(ProblemLadderTest, AReturnGoesBackToTheRungThatSentIt) {
  auto skipped = ladder_.SkipUp(&p_, v1::RUNG_PROVINCE_PREFECTURE, "需省级部门支持", owners_, 5,
                                now_, {"s", "dept-kgx"});
  ASSERT_TRUE(skipped.ok()) << skipped.status();
  auto back = ladder_.Return(&p_, "请乡镇先核实用地现状", owners_, 5, now_, {"p", "prov-support"});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(p_.rung(), v1::RUNG_TOWNSHIP) << "to the sender, not the rung below";
  EXPECT_EQ(p_.owner_unit_id(), "town-chengan");
  EXPECT_TRUE(p_.route().empty());
}

TEST_F(ProblemLadderTest, TheSecondReturnBetweenTheSameTwoRungsGoesToThePlanOwner) {
  const Actor dept{"d", "dept-zrj"};
  ASSERT_TRUE(ladder_.Escalate(&p_, "本级无法解决", owners_, 5, now_, town_, false).ok());
  ASSERT_TRUE(ladder_.Return(&p_, "属乡镇职责", owners_, 5, now_, dept).ok());
  EXPECT_EQ(p_.rung(), v1::RUNG_TOWNSHIP);
  ASSERT_TRUE(ladder_.Escalate(&p_, "确需部门协调", owners_, 5, now_, town_, false).ok());
  const std::string deadline = FormatLocalTime(FromProtoTimestamp(p_.deadline()));
  auto second = ladder_.Return(&p_, "仍属乡镇职责", owners_, 5, now_ + absl::Hours(1), dept);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->action(), S::ACTION_SENT_FOR_RULING);
  EXPECT_EQ(p_.state(), v1::PROBLEM_STATE_AWAITING_RULING);
  EXPECT_EQ(p_.owner_unit_id(), "dept-kgx");
  EXPECT_EQ(FormatLocalTime(FromProtoTimestamp(p_.deadline())), deadline) << "the deadline stands";
  // Nothing moves it but the ruling.
  for (absl::Status s :
       {ladder_.Accept(&p_, now_, dept).status(), ladder_.Resolve(&p_, "x", now_, dept).status(),
        ladder_.Return(&p_, "x", owners_, 5, now_, dept).status(),
        ladder_.Escalate(&p_, "x", owners_, 5, now_, dept, false).status(),
        ladder_.SkipUp(&p_, v1::RUNG_CITY_LEADER, "x", owners_, 5, now_, dept).status()}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  }
  const Actor owner{"o", "dept-kgx"};
  EXPECT_EQ(ladder_.RuleOn(&p_, v1::RUNG_CITY_LEADER, "x", owners_, 5, now_, owner).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ladder_.RuleOn(&p_, v1::RUNG_DEPARTMENT, " ", owners_, 5, now_, owner).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto ruled =
      ladder_.RuleOn(&p_, v1::RUNG_DEPARTMENT, "土地指标由自然资源局统筹", owners_, 5, now_, owner);
  ASSERT_TRUE(ruled.ok()) << ruled.status();
  EXPECT_EQ(ruled->action(), S::ACTION_RULED);
  EXPECT_EQ(p_.state(), v1::PROBLEM_STATE_OPEN);
  EXPECT_EQ(p_.rung(), v1::RUNG_DEPARTMENT);
  EXPECT_EQ(p_.owner_unit_id(), "dept-zrj");
  // The ruled rung may not return it again; it may still climb.
  EXPECT_EQ(ladder_.Return(&p_, "x", owners_, 5, now_, dept).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ladder_.RuleOn(&p_, v1::RUNG_DEPARTMENT, "x", owners_, 5, now_, owner).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(ladder_.Escalate(&p_, "请包联市领导研究", owners_, 5, now_, dept, false).ok());
}

TEST_F(ProblemLadderTest, ARulingForTheLowerRungSendsItBackThere) {
  const Actor dept{"d", "dept-zrj"};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
    ASSERT_TRUE(ladder_.Return(&p_, "down", owners_, 5, now_, dept).ok());
  }
  ASSERT_EQ(p_.state(), v1::PROBLEM_STATE_AWAITING_RULING);
  ASSERT_TRUE(
      ladder_.RuleOn(&p_, v1::RUNG_TOWNSHIP, "属地办理", owners_, 5, now_, {"o", "dept-kgx"}).ok());
  EXPECT_EQ(p_.rung(), v1::RUNG_TOWNSHIP);
  EXPECT_EQ(p_.owner_unit_id(), "town-chengan");
  EXPECT_TRUE(p_.route().empty());
}

TEST_F(ProblemLadderTest, SkipUpGoesStraightToTheLeaderOrTheProvince) {
  const Actor owner{"o", "dept-kgx"};
  EXPECT_EQ(ladder_.SkipUp(&p_, v1::RUNG_DEPARTMENT, "x", owners_, 5, now_, owner).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ladder_.SkipUp(&p_, v1::RUNG_CITY_LEADER, "", owners_, 5, now_, owner).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto step =
      ladder_.SkipUp(&p_, v1::RUNG_CITY_LEADER, "需包联市领导研究", owners_, 5, now_, owner);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->action(), S::ACTION_SKIPPED_UP);
  EXPECT_EQ(p_.rung(), v1::RUNG_CITY_LEADER);
  EXPECT_EQ(p_.owner_unit_id(), "leader-equipment");
  EXPECT_EQ(p_.escalations(), 1);
  EXPECT_EQ(ladder_.SkipUp(&p_, v1::RUNG_CITY_LEADER, "x", owners_, 5, now_, owner).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "not above the rung it is at";
}

TEST_F(ProblemLadderTest, ADissatisfiedVisitReopensOneRungAboveTheResolver) {
  const Actor dept{"d", "dept-zrj"};
  ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
  ASSERT_TRUE(ladder_.Resolve(&p_, "已协调", now_, dept).ok());
  auto step = ladder_.RecordSatisfaction(&p_, v1::SATISFACTION_DISSATISFIED, "指标仍不够", owners_,
                                         5, now_, town_);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->action(), S::ACTION_REOPENED);
  EXPECT_EQ(step->satisfaction(), v1::SATISFACTION_DISSATISFIED);
  EXPECT_EQ(step->text(), "回访不满意：指标仍不够");
  EXPECT_EQ(p_.state(), v1::PROBLEM_STATE_OPEN);
  EXPECT_EQ(p_.rung(), v1::RUNG_CITY_LEADER);
  EXPECT_EQ(p_.owner_unit_id(), "leader-equipment");
  EXPECT_TRUE(p_.resolution().empty());
  // At the top, it reopens there.
  ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
  ASSERT_TRUE(ladder_.Resolve(&p_, "已支持", now_, {"p", "prov-support"}).ok());
  ASSERT_TRUE(
      ladder_.RecordSatisfaction(&p_, v1::SATISFACTION_DISSATISFIED, "", owners_, 5, now_, town_)
          .ok());
  EXPECT_EQ(p_.rung(), v1::RUNG_PROVINCE_PREFECTURE);
  EXPECT_EQ(p_.state(), v1::PROBLEM_STATE_OPEN);
}

TEST_F(ProblemLadderTest, AnExtensionMovesTheDeadlineOnlyWhenApproved) {
  // The deadline is the end of 2023-06-08 (5 working days from 06-01).
  const std::string before = FormatLocalTime(FromProtoTimestamp(p_.deadline()));
  auto ask = [&](absl::CivilDay day, const std::string& reason) {
    return ladder_.RequestExtension(&p_, day, reason, v1::EXTENSION_APPROVER_PLAN_OWNER, owners_,
                                    now_, town_);
  };
  EXPECT_EQ(ask(absl::CivilDay(2023, 6, 7), "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ask(absl::CivilDay(2023, 6, 8), "x").status().code(),
            absl::StatusCode::kInvalidArgument)
      << "the same day is no extension";
  EXPECT_EQ(ask(absl::CivilDay(2024, 7, 1), "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ask(absl::CivilDay(2023, 6, 20), " ").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto asked = ask(absl::CivilDay(2023, 6, 20), "需等待规划调整公示期满");
  ASSERT_TRUE(asked.ok()) << asked.status();
  EXPECT_EQ(asked->action(), S::ACTION_EXTENSION_REQUESTED);
  EXPECT_EQ(FormatLocalTime(FromProtoTimestamp(asked->deadline())), "2023-06-21 00:00:00");
  EXPECT_EQ(p_.pending_extension().approver_unit_id(), "dept-kgx");
  EXPECT_EQ(FormatLocalTime(FromProtoTimestamp(p_.deadline())), before) << "not moved yet";
  EXPECT_EQ(ask(absl::CivilDay(2023, 6, 30), "再延").status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "one request at a time";

  const Actor owner{"o", "dept-kgx"};
  EXPECT_EQ(ladder_.DecideExtension(&p_, false, "", now_, owner).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "a refusal says why";
  auto refused = ladder_.DecideExtension(&p_, false, "公示期可并行办理", now_, owner);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->action(), S::ACTION_EXTENSION_REFUSED);
  EXPECT_EQ(FormatLocalTime(FromProtoTimestamp(p_.deadline())), before);
  EXPECT_FALSE(p_.has_pending_extension());
  EXPECT_EQ(ladder_.DecideExtension(&p_, true, "", now_, owner).status().code(),
            absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(ask(absl::CivilDay(2023, 6, 20), "公示期满后方可办理").ok());
  auto approved = ladder_.DecideExtension(&p_, true, "", now_, owner);
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->action(), S::ACTION_EXTENDED);
  EXPECT_EQ(FormatLocalTime(FromProtoTimestamp(p_.deadline())), "2023-06-21 00:00:00");
  EXPECT_EQ(p_.extensions(), 1);
}

TEST_F(ProblemLadderTest, TheRungAboveApprovesWhereTheCategorySaysSoAndAClimbDropsTheRequest) {
  auto ask = [&](const Actor& actor) {
    return ladder_.RequestExtension(&p_, absl::CivilDay(2023, 12, 1), "需延期",
                                    v1::EXTENSION_APPROVER_RUNG_ABOVE, owners_, now_, actor);
  };
  ASSERT_TRUE(ask(town_).ok());
  EXPECT_EQ(p_.pending_extension().approver_unit_id(), "dept-zrj");
  ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
  EXPECT_FALSE(p_.has_pending_extension()) << "the township's request left with it";
  ASSERT_TRUE(ask({"d", "dept-zrj"}).ok());
  EXPECT_EQ(p_.pending_extension().approver_unit_id(), "leader-equipment");
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(ladder_.Escalate(&p_, "up", owners_, 5, now_, town_, false).ok());
  ASSERT_TRUE(ask({"p", "prov-support"}).ok());
  EXPECT_EQ(p_.pending_extension().approver_unit_id(), "dept-kgx") << "at the top, the plan owner";
}

// 会商: co-handling departments at the department rung only, departments
// only, each with a deadline not after the problem's; every refusal names
// its field and changes nothing.
TEST_F(ProblemLadderTest, CoHandlersAreDepartmentsAddedAtTheDepartmentRung) {
  const std::map<std::string, std::string> departments = {
      {"dept-zrj", "市自然资源和规划局"}, {"dept-czj", "市财政局"}, {"dept-fgj", "市发展改革局"}};
  const Actor kgx{"科工信局", "dept-kgx"};
  const std::vector<CoHandlerAssignment> czj = {{"dept-czj", absl::CivilDay(2023, 6, 5)}};
  EXPECT_EQ(ladder_.AddCoHandlers(&p_, czj, "会商", departments, now_, kgx).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "at the township rung";
  ASSERT_TRUE(ladder_.Escalate(&p_, "本级无法解决", owners_, 5, now_, town_, false).ok());
  ASSERT_EQ(FormatLocalTime(FromProtoTimestamp(p_.deadline())), "2023-06-09 00:00:00");
  const std::vector<std::pair<std::vector<CoHandlerAssignment>, std::string>> refused = {
      {{{"town-chengan", std::nullopt}}, "co_handlers[0].unit_id"},
      {{{"dept-czj", std::nullopt}, {"dept-zrj", std::nullopt}}, "co_handlers[1].unit_id"},
      {{{"dept-czj", std::nullopt}, {"dept-czj", std::nullopt}}, "co_handlers[1].unit_id"},
      {{{"dept-czj", absl::CivilDay(2023, 6, 9)}}, "co_handlers[0].due_on"},
      {{{"dept-czj", absl::CivilDay(2023, 5, 31)}}, "co_handlers[0].due_on"},
      {{}, "co_handlers"},
      {std::vector<CoHandlerAssignment>(11, {"dept-czj", std::nullopt}), "co_handlers"},
  };
  for (const auto& [assignments, field] : refused) {
    auto s = ladder_.AddCoHandlers(&p_, assignments, "会商", departments, now_, kgx);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_EQ(s.status().message().rfind(field + ":", 0), 0u) << s.status();
  }
  EXPECT_EQ(ladder_.AddCoHandlers(&p_, czj, " ", departments, now_, kgx).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p_.co_handlers_size(), 0) << "a refusal changes nothing";

  auto added = ladder_.AddCoHandlers(
      &p_, {{"dept-czj", absl::CivilDay(2023, 6, 5)}, {"dept-fgj", std::nullopt}},
      "请就贴息资金来源提出意见", departments, now_, kgx);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->action(), S::ACTION_CO_HANDLERS_ADDED);
  EXPECT_EQ(added->text(),
            "协办单位：市财政局（2023-06-06 00:00:00前）、市发展改革局（2023-06-09 00:00:00前）。"
            "事由：请就贴息资金来源提出意见");
  ASSERT_EQ(p_.co_handlers_size(), 2);
  EXPECT_EQ(p_.co_handlers(0).state(), v1::CoHandler::STATE_WAITING);
  EXPECT_EQ(p_.co_handlers(1).deadline().seconds(), p_.deadline().seconds())
      << "without a day, the problem's deadline";
  EXPECT_EQ(p_.owner_unit_id(), "dept-zrj") << "the lead department stays the owner (主办)";
  EXPECT_EQ(ladder_.AddCoHandlers(&p_, czj, "再次", departments, now_, kgx).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "already waiting";
}

TEST_F(ProblemLadderTest, CoHandlersAnswerAndAreRemindedOnceAndStopWaitingWhenTheProblemMoves) {
  const std::map<std::string, std::string> departments = {{"dept-czj", "市财政局"},
                                                          {"dept-fgj", "市发展改革局"}};
  ASSERT_TRUE(ladder_.Escalate(&p_, "本级无法解决", owners_, 5, now_, town_, false).ok());
  ASSERT_TRUE(ladder_
                  .AddCoHandlers(
                      &p_, {{"dept-czj", absl::CivilDay(2023, 6, 5)}, {"dept-fgj", std::nullopt}},
                      "会商", departments, now_, {"科工信局", "dept-kgx"})
                  .ok());
  const Actor czj{"财政局", "dept-czj"};
  EXPECT_EQ(ladder_.AnswerCoHandling(&p_, "同意", now_, {"某局", "dept-other"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ladder_.AnswerCoHandling(&p_, "  ", now_, czj).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Before its deadline nothing is overdue.
  EXPECT_FALSE(ladder_.MarkCoHandlerOverdue(&p_, "dept-czj", "市财政局", now_).ok());
  const absl::Time late = absl::FromCivil(absl::CivilDay(2023, 6, 6), ShanghaiTime());
  auto overdue = ladder_.MarkCoHandlerOverdue(&p_, "dept-czj", "市财政局", late);
  ASSERT_TRUE(overdue.ok()) << overdue.status();
  EXPECT_EQ(overdue->action(), S::ACTION_CO_HANDLER_OVERDUE);
  EXPECT_EQ(overdue->actor(), "system");
  EXPECT_NE(overdue->text().find("市财政局"), std::string::npos) << overdue->text();
  EXPECT_FALSE(ladder_.MarkCoHandlerOverdue(&p_, "dept-czj", "市财政局", late).ok()) << "once";

  auto answered = ladder_.AnswerCoHandling(&p_, "可从技改专项资金列支", late, czj);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->action(), S::ACTION_CO_HANDLER_ANSWERED);
  EXPECT_EQ(answered->text(), "可从技改专项资金列支");
  EXPECT_EQ(p_.co_handlers(0).state(), v1::CoHandler::STATE_ANSWERED);
  ASSERT_TRUE(ladder_.AnswerCoHandling(&p_, "列支上限50万元", late, czj).ok());
  EXPECT_EQ(p_.co_handlers(0).answer(), "列支上限50万元") << "answering again replaces it";

  // A climb ends the waiting of whoever has not answered.
  ASSERT_TRUE(
      ladder_.Escalate(&p_, "需市领导协调", owners_, 5, late, {"自然资源局", "dept-zrj"}, false)
          .ok());
  EXPECT_EQ(p_.co_handlers(0).state(), v1::CoHandler::STATE_ANSWERED);
  EXPECT_EQ(p_.co_handlers(1).state(), v1::CoHandler::STATE_ENDED);
  EXPECT_EQ(
      ladder_.AnswerCoHandling(&p_, "迟到的意见", late, {"发改局", "dept-fgj"}).status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ladder_.MarkCoHandlerOverdue(&p_, "dept-fgj", "市发展改革局", late + absl::Hours(99))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}
}  // namespace
}  // namespace uplift::tasks

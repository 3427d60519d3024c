// 销号 as a state machine: submission, confirmation, return, resubmission,
// and every refusal naming its field or its reason.
#include "services/tasks/task_closure.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/time_util.h"

namespace uplift::tasks {
namespace {

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2023, 12, 20, 10, 0, 0), ShanghaiTime());
const Actor kLead{"u-kgx", "dept-kgx", "张科长"};

class TaskClosureTest : public ::testing::Test {
 protected:
  TaskClosureTest() {
    view_.mutable_task()->set_task_id("2.5.1");
    view_.mutable_task()->set_number("二(五)1");
  }
  // Applies `step` to the view as the service would.
  void Apply(const v1::ClosureStep& step) {
    *view_.add_closure_steps() = step;
    view_.set_closure_state(step.state());
  }
  v1::TargetProgress* Target(int64_t value, int64_t achieved) {
    v1::TargetProgress* p = view_.add_progress();
    p->mutable_target()->set_target_id("service-events");
    p->mutable_target()->set_value(value);
    p->mutable_target()->set_unit("场次");
    p->set_achieved(achieved);
    p->set_met(achieved >= value);
    return p;
  }
  v1::TaskView view_;
};

TEST_F(TaskClosureTest, SubmittedConfirmedAndClosedForGood) {
  absl::StatusOr<v1::ClosureStep> s =
      SubmitCompletion(view_, " 全年组织服务活动12场 ", {"活动台账.pdf", "签到表"}, kNow, kLead);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state(), v1::CLOSURE_STATE_SUBMITTED);
  EXPECT_EQ(s->seq(), 1);
  EXPECT_EQ(s->text(), "全年组织服务活动12场");
  EXPECT_EQ(s->evidence_size(), 2);
  EXPECT_EQ(s->actor_name(), "张科长");
  Apply(*s);
  EXPECT_EQ(SubmitCompletion(view_, "再次提交", {"x"}, kNow, kLead).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<v1::ClosureStep> c = DecideCompletion(view_, true, "", kNow, kLead);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->state(), v1::CLOSURE_STATE_CONFIRMED);
  EXPECT_EQ(c->seq(), 2);
  Apply(*c);
  EXPECT_EQ(DecideCompletion(view_, false, "重新核实", kNow, kLead).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(SubmitCompletion(view_, "再次提交", {"x"}, kNow, kLead).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(TaskClosureTest, AReturnNeedsAReasonAndTheLeadMaySubmitAgain) {
  Apply(*SubmitCompletion(view_, "已完成", {"台账"}, kNow, kLead));
  absl::Status no_reason = DecideCompletion(view_, false, "  ", kNow, kLead).status();
  EXPECT_EQ(no_reason.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(no_reason.message(), "reason:")) << no_reason;
  absl::StatusOr<v1::ClosureStep> r = DecideCompletion(view_, false, "佐证材料不全", kNow, kLead);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state(), v1::CLOSURE_STATE_RETURNED);
  Apply(*r);
  absl::StatusOr<v1::ClosureStep> again =
      SubmitCompletion(view_, "补充材料后再次提请", {"台账", "照片"}, kNow, kLead);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->seq(), 3);
}

TEST_F(TaskClosureTest, NothingIsDecidedBeforeASubmission) {
  EXPECT_EQ(DecideCompletion(view_, true, "", kNow, kLead).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(TaskClosureTest, EveryTargetMustBeMet) {
  Target(5, 3);
  absl::Status s = SubmitCompletion(view_, "已完成", {"台账"}, kNow, kLead).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("service-events is not met (3场次 of 5场次)"), std::string::npos) << s;
  view_.mutable_progress(0)->set_achieved(5);
  view_.mutable_progress(0)->set_met(true);
  EXPECT_TRUE(SubmitCompletion(view_, "已完成", {"台账"}, kNow, kLead).ok());
}

TEST_F(TaskClosureTest, BadInputNamesItsField) {
  struct Case {
    std::string summary;
    std::vector<std::string> evidence;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"", {"台账"}, "summary:"},
      {std::string(2001, 'x'), {"台账"}, "summary:"},
      {"已完成", {}, "evidence:"},
      {"已完成", std::vector<std::string>(21, "台账"), "evidence:"},
      {"已完成", {"台账", " "}, "evidence[1]:"},
      {"已完成", {std::string(201, 'x')}, "evidence[0]:"},
      {"已完成", {"bad\x01"}, "evidence[0]:"},
  };
  for (const Case& c : cases) {
    absl::Status s = SubmitCompletion(view_, c.summary, c.evidence, kNow, kLead).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_TRUE(absl::StartsWith(s.message(), c.field)) << s;
  }
}

TEST(ClosureSteps, TheStateIsTheLastStepsOrNoneBeforeAny) {
  std::vector<v1::ClosureStep> steps;
  EXPECT_EQ(ClosureStateOf(steps), v1::CLOSURE_STATE_UNSPECIFIED);
  steps.emplace_back().set_state(v1::CLOSURE_STATE_SUBMITTED);
  steps.emplace_back().set_state(v1::CLOSURE_STATE_RETURNED);
  EXPECT_EQ(ClosureStateOf(steps), v1::CLOSURE_STATE_RETURNED);
}

}  // namespace
}  // namespace uplift::tasks

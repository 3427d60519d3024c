// The supervision colours of a task.
#include "services/tasks/task_status.h"

#include <gtest/gtest.h>

#include "common/time_util.h"

namespace uplift::tasks {
namespace {

v1::Target Target(const std::string& id, int64_t value, v1::CountedBy by,
                  v1::Metric metric = v1::METRIC_SERVICE_EVENTS) {
  v1::Target t;
  t.set_target_id(id);
  t.set_value(value);
  t.set_counted_by(by);
  t.set_metric(metric);
  t.set_unit("场次");
  return t;
}

class TaskStatusTest : public ::testing::Test {
 protected:
  TaskStatusTest() : calendar_(*WorkingCalendar::Builtin()) {
    facts_.task.set_task_id("2.5.1");
    facts_.task.set_due_on("2023-12-31");
    *facts_.task.add_targets() = Target("service-events", 5, v1::COUNTED_BY_UNIT_REPORTS);
    facts_.plan_start = absl::CivilDay(2023, 5, 27);
  }
  static v1::ClosureStep Closure(v1::ClosureState state, const std::string& text) {
    v1::ClosureStep step;
    step.set_state(state);
    step.set_text(text);
    *step.mutable_time() = ToProtoTimestamp(
        absl::FromCivil(absl::CivilSecond(2023, 12, 20, 10, 0, 0), ShanghaiTime()));
    return step;
  }
  v1::TaskView At(absl::CivilDay today) {
    facts_.today = today;
    return BuildTaskView("xinle-2023", facts_, calendar_);
  }
  WorkingCalendar calendar_;
  TaskFacts facts_;
};

TEST_F(TaskStatusTest, OnTrackEarlyInTheYear) {
  v1::TaskView v = At(absl::CivilDay(2023, 6, 10));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_ON_TRACK) << v.status_reason();
  EXPECT_EQ(v.progress(0).expected_now(), 0);
}

TEST_F(TaskStatusTest, BehindThePlannedPaceIsYellow) {
  facts_.reported["service-events"].achieved = 1;
  // Two thirds of the way through: 3 of 5 expected.
  v1::TaskView v = At(absl::CivilDay(2023, 10, 10));
  EXPECT_EQ(v.progress(0).expected_now(), 3);
  EXPECT_EQ(v.status(), v1::TASK_STATUS_BEHIND_PACE) << v.status_reason();
  EXPECT_NE(v.status_reason().find("service-events"), std::string::npos);
  facts_.reported["service-events"].achieved = 3;
  EXPECT_EQ(At(absl::CivilDay(2023, 10, 10)).status(), v1::TASK_STATUS_ON_TRACK);
}

TEST_F(TaskStatusTest, AMissingMonthlyReportIsYellow) {
  facts_.overdue_report_units = {"dept-mzj"};
  facts_.last_period_due = "2023-06";
  v1::TaskView v = At(absl::CivilDay(2023, 7, 10));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_BEHIND_PACE);
  EXPECT_NE(v.status_reason().find("dept-mzj"), std::string::npos);
}

TEST_F(TaskStatusTest, NearTheDeadlineIsBlue) {
  facts_.reported["service-events"].achieved = 4;
  EXPECT_EQ(At(absl::CivilDay(2023, 12, 20)).status(), v1::TASK_STATUS_NEAR_DEADLINE);
}

// Met targets do not close a task: only a confirmed 销号 does.
TEST_F(TaskStatusTest, PastDueIsRedUntilClosedAndOnlyAConfirmedClosureIsDone) {
  facts_.reported["service-events"].achieved = 4;
  EXPECT_EQ(At(absl::CivilDay(2024, 1, 2)).status(), v1::TASK_STATUS_OVERDUE);
  facts_.reported["service-events"].achieved = 5;
  v1::TaskView v = At(absl::CivilDay(2023, 12, 1));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_ON_TRACK);
  EXPECT_NE(v.status_reason().find("待牵头单位提请销号"), std::string::npos) << v.status_reason();
  v = At(absl::CivilDay(2024, 1, 2));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_OVERDUE);
  EXPECT_NE(v.status_reason().find("未销号"), std::string::npos) << v.status_reason();

  facts_.closure_steps.push_back(Closure(v1::CLOSURE_STATE_SUBMITTED, "全年完成服务活动5场次"));
  v = At(absl::CivilDay(2024, 1, 2));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_AWAITING_CLOSURE);
  EXPECT_EQ(v.closure_state(), v1::CLOSURE_STATE_SUBMITTED);
  EXPECT_EQ(v.closure_steps_size(), 1);
  facts_.closure_steps.push_back(Closure(v1::CLOSURE_STATE_CONFIRMED, ""));
  v = At(absl::CivilDay(2024, 1, 2));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_DONE);
  EXPECT_NE(v.status_reason().find("已销号(2023-12-20)"), std::string::npos) << v.status_reason();
}

TEST_F(TaskStatusTest, AReturnedClosureColoursAgainAndSaysWhy) {
  facts_.reported["service-events"].achieved = 5;
  facts_.closure_steps.push_back(Closure(v1::CLOSURE_STATE_SUBMITTED, "已完成"));
  facts_.closure_steps.push_back(Closure(v1::CLOSURE_STATE_RETURNED, "佐证材料不全"));
  v1::TaskView v = At(absl::CivilDay(2023, 12, 21));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_NEAR_DEADLINE);
  EXPECT_EQ(v.closure_state(), v1::CLOSURE_STATE_RETURNED);
  EXPECT_NE(v.status_reason().find("销号被退回(佐证材料不全)"), std::string::npos)
      << v.status_reason();
}

// A qualitative task (no targets) keeps pace by its quarterly milestones.
TEST_F(TaskStatusTest, AQuarterEndedWithoutItsMilestoneIsYellow) {
  facts_.task.clear_targets();
  v1::Milestone* m = facts_.task.add_milestones();
  m->set_quarter(2);
  m->set_text("完成包联企业全覆盖走访");
  EXPECT_EQ(At(absl::CivilDay(2023, 6, 30)).status(), v1::TASK_STATUS_ON_TRACK);
  v1::TaskView v = At(absl::CivilDay(2023, 7, 1));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_BEHIND_PACE);
  EXPECT_NE(v.status_reason().find("第2季度节点未完成(完成包联企业全覆盖走访)"), std::string::npos)
      << v.status_reason();
  facts_.milestones_reached = {2};
  v = At(absl::CivilDay(2023, 7, 1));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_ON_TRACK) << v.status_reason();
  ASSERT_EQ(v.milestones_reached_size(), 1);
  EXPECT_EQ(v.milestones_reached(0), 2);
}

TEST_F(TaskStatusTest, RatesCompareOnlyOnceAFigureExists) {
  facts_.task.clear_targets();
  *facts_.task.add_targets() = Target("cluster-revenue-growth", 1200, v1::COUNTED_BY_INDICATORS,
                                      v1::METRIC_CLUSTER_REVENUE_GROWTH);
  EXPECT_EQ(At(absl::CivilDay(2023, 9, 1)).status(), v1::TASK_STATUS_ON_TRACK);
  facts_.counted_elsewhere["cluster-revenue-growth"].achieved = 950;  // 9.5 %
  v1::TaskView v = At(absl::CivilDay(2023, 9, 1));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_BEHIND_PACE);
  EXPECT_NE(v.status_reason().find("9.5%"), std::string::npos) << v.status_reason();
  facts_.counted_elsewhere["cluster-revenue-growth"].achieved = 1310;
  v = At(absl::CivilDay(2023, 9, 1));
  EXPECT_EQ(v.status(), v1::TASK_STATUS_ON_TRACK);
  EXPECT_TRUE(v.progress(0).met());
}

}  // namespace
}  // namespace uplift::tasks

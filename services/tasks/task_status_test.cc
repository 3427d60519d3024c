// The supervision colours of a task.
#include "services/tasks/task_status.h"

#include <gtest/gtest.h>

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

TEST_F(TaskStatusTest, PastDueIsRedAndMetIsDone) {
  facts_.reported["service-events"].achieved = 4;
  EXPECT_EQ(At(absl::CivilDay(2024, 1, 2)).status(), v1::TASK_STATUS_OVERDUE);
  facts_.reported["service-events"].achieved = 5;
  EXPECT_EQ(At(absl::CivilDay(2024, 1, 2)).status(), v1::TASK_STATUS_DONE);
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
  EXPECT_EQ(At(absl::CivilDay(2023, 9, 1)).status(), v1::TASK_STATUS_DONE);
}

}  // namespace
}  // namespace uplift::tasks

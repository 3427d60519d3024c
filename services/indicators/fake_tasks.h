// uplift-tasks as uplift-indicators sees it, holding the shipped Xinle plan
// (task 2.5.1 behind pace, dept-mzj overdue): for unit tests and fuzz
// targets of IndicatorsService (never linked into the service).
#pragma once

#include <string>
#include <vector>

#include "services/indicators/tasks_directory.h"
#include "services/tasks/xinle_plan_testdata.h"

namespace uplift::indicators {

class FakeTasks : public TasksDirectory {
 public:
  absl::StatusOr<tv1::Plan> GetPlan(const CallAs&, const std::string& plan_id) override {
    if (plan_id != plan.plan_id()) return absl::NotFoundError("no plan " + plan_id);
    return plan;
  }
  absl::StatusOr<std::vector<tv1::TaskView>> ListTasks(const CallAs&, const std::string&,
                                                       const std::string& as_of) override {
    as_of_asked.push_back(as_of);
    std::vector<tv1::TaskView> views;
    for (const tv1::Task& t : plan.tasks()) {
      tv1::TaskView v;
      *v.mutable_task() = t;
      v.set_status(t.task_id() == "2.5.1" ? tv1::TASK_STATUS_BEHIND_PACE
                                          : tv1::TASK_STATUS_ON_TRACK);
      if (t.task_id() == "2.5.1") v.add_overdue_report_unit_ids("dept-mzj");
      views.push_back(v);
    }
    return views;
  }
  absl::StatusOr<tv1::GetProblemStatisticsResponse> GetProblemStatistics(
      const CallAs&, const std::string& plan_id, const std::string& from,
      const std::string& until) override {
    windows_asked.push_back(from + ".." + until);
    tv1::GetProblemStatisticsResponse out = problem_statistics;
    out.set_plan_id(plan_id);
    out.set_from(from);
    out.set_until(until);
    return out;
  }
  tv1::Plan plan = uplift::tasks::LoadXinlePlan();
  tv1::GetProblemStatisticsResponse problem_statistics;  // what GetProblemStatistics answers
  std::vector<std::string> windows_asked;                // "from..until", in order
  std::vector<std::string> as_of_asked;  // by ListTasks, in order
};

}  // namespace uplift::indicators

// A task's supervision colour (督办) from its facts, free of storage:
//   DONE          已销号: the plan owner confirmed its completion
//   AWAITING_CLOSURE 待销号: the lead unit submitted completion
//   OVERDUE       红: past due and not closed (met targets do not close it)
//   BEHIND_PACE   黄: a target behind the planned pace, a quarter ended
//                 without its milestone reached, or a responsible unit's
//                 monthly report overdue
//   NEAR_DEADLINE 蓝: due within kNearDeadlineWorkingDays working days
//   ON_TRACK      otherwise
// The planned pace of a count is linear from the plan's start to the due
// date; a rate (growth, coverage in basis points) is compared as it stands
// once a figure exists.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/working_calendar.h"
#include "services/tasks/plan_metrics.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

inline constexpr int kNearDeadlineWorkingDays = 10;

struct CountedFigure {
  int64_t achieved = 0;
  absl::Time as_of = absl::InfinitePast();
};

struct TaskFacts {
  v1::Task task;
  absl::CivilDay plan_start;  // issued_on, or the 1st of January
  absl::CivilDay today;
  // Sum of the figures units reported, per target counted by unit reports.
  std::map<std::string, CountedFigure> reported;
  // What other services counted, per target (from uplift:events:indicators).
  std::map<std::string, CountedFigure> counted_elsewhere;
  std::vector<std::string> overdue_report_units;
  std::string last_period_due;
  std::vector<std::string> co_owner_unit_ids;
  // 销号 steps up to `today`, oldest first.
  std::vector<v1::ClosureStep> closure_steps;
  // Quarters whose milestone the lead unit reported reached by `today`.
  std::set<int> milestones_reached;
};

v1::TaskView BuildTaskView(const std::string& plan_id, const TaskFacts& facts,
                           const WorkingCalendar& calendar);

}  // namespace uplift::tasks

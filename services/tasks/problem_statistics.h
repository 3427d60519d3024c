// 问题办理情况: the plan's problems counted as they stood at the end of a day,
// by replaying each problem's timeline up to that day (so the report of a
// past period reads as it stood then). A township answers for the problems
// of its enterprises wherever they are on the ladder (属地); a department for
// those that reached it at the department rung; the county counts them all.
// Plain logic over problems with their timelines; the service loads them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/working_calendar.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

inline constexpr int kLongestOpenNamed = 5;

struct ProblemWindow {
  absl::CivilDay from;   // first day counted as `raised`
  absl::CivilDay until;  // the problems as they stood at the end of this day (Shanghai)
};

// `problems` carry their timelines. `unit_name` names a unit id ("" if unknown).
v1::GetProblemStatisticsResponse CountProblems(
    const std::vector<v1::Problem>& problems, const ProblemWindow& window,
    const WorkingCalendar& calendar,
    const std::function<std::string(const std::string&)>& unit_name);

}  // namespace uplift::tasks

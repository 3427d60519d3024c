// What the views of a plan's tasks are built from, as they stood at the end
// of a day: figures units reported for the periods up to that day's month,
// what other services counted up to that month, 销号 steps and milestones
// reported up to that moment. Loaded once per plan, so that listing every
// task reads each table once. Like tasks_store, it checks nothing.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/sql/connection.h"
#include "services/tasks/task_status.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks::store {

struct PlanFactsAsOf {
  std::map<std::string, CountedFigure> reported;                      // by target
  std::map<std::string, CountedFigure> counted_elsewhere;             // by target
  std::map<std::string, std::vector<v1::ClosureStep>> closure_steps;  // by task, oldest first
  // (task, unit) -> quarters that unit reported its milestone reached.
  std::map<std::pair<std::string, std::string>, std::set<int>> milestones_reached;
  // The last reporting period due by that day, and the (task, unit) pairs
  // that reported it: read once for every task of a list.
  std::string last_period_due;
  std::set<std::pair<std::string, std::string>> reported_last_due;
};

// `end` is the end of the day (exclusive); `month` that day's month.
PlanFactsAsOf LoadPlanFacts(sql::Connection& db, const std::string& plan_id, absl::CivilMonth month,
                            absl::Time end);

std::vector<v1::ClosureStep> ClosureSteps(sql::Connection& db, const std::string& plan_id,
                                          const std::string& task_id);
void AppendClosureStep(sql::Connection& db, const std::string& plan_id, const std::string& task_id,
                       const v1::ClosureStep& step);

// What another service counted for a target, kept per period (the newest
// version of each period's figure).
void SaveTargetProgressOfPeriod(sql::Connection& db, const std::string& plan_id,
                                const std::string& target_id, int64_t achieved,
                                const std::string& period, absl::Time as_of);

}  // namespace uplift::tasks::store

// Access in the tasks service. The suite's access table decides who may
// call what (docs/access.md); this says what "own unit" means for the tasks
// service's resources:
//   a plan (ApplyPlan, AssignTask): its owner unit is the caller's;
//   progress: the report is for the caller's unit;
//   a task's 销号: the caller's unit leads the task (submitting) or owns
//     its plan (deciding);
//   an enterprise's problem (RaiseProblem, satisfaction, reopening): the
//     enterprise is in the caller's township now;
//   a ladder step: the caller's unit owns the current rung, in the role
//     that fits it (ProblemLadder::CheckOwner);
//   seeing a problem: TOWNSHIP, its township is the enterprise's now;
//     LEADER, it leads the enterprise's cluster now or owns or owned the
//     problem; DEPARTMENT, PROVINCE: it owns the problem or owned it before;
//     any of them while it must decide the problem's request for a later
//     deadline, once it has taken a step on it, and as a co-handler (协办);
//   answering as a co-handler: the caller's unit is one.
// Townships and leaders are kept current from the registry's events, so
// visibility follows the registry as it is now.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/access_table.h"
#include "common/auth/principal.h"
#include "services/tasks/tasks_store.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

class TasksAccess {
 public:
  absl::Status Gate(const Principal& who, absl::string_view method) const;
  absl::Status CheckPlan(const Principal& who, absl::string_view method,
                         const v1::Plan& plan) const;
  absl::Status CheckUnit(const Principal& who, absl::string_view method,
                         absl::string_view unit_id) const;
  // The caller's unit leads the task (its first responsible unit).
  absl::Status CheckTaskLead(const Principal& who, absl::string_view method,
                             const v1::Task& task) const;
  absl::Status CheckRungOwner(const Principal& who, absl::string_view method,
                              const v1::Problem& p) const;
  absl::Status CheckCoHandler(const Principal& who, absl::string_view method,
                              const v1::Problem& p) const;
  static bool IsCoHandler(const v1::Problem& p, const std::string& unit_id);
  // `leader_unit_id` is the current leader of the problem's cluster.
  absl::Status CheckVisible(const Principal& who, absl::string_view method, const v1::Problem& p,
                            const std::string& leader_unit_id,
                            const std::vector<v1::ProblemStep>& steps) const;
  // Narrows `filter` to what `who` may see of ListProblems.
  void RestrictList(const Principal& who, store::ProblemFilter* filter) const;

 private:
  const ServiceAccess table_{"uplift.tasks.v1.TaskAssignment"};
};

}  // namespace uplift::tasks

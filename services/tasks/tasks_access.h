// Who may do what in the tasks service (docs/tasks.md has the table). Only
// the plan owner edits plans and tasks; a unit reports only its own
// progress; only the owner of a problem's current rung acts on it (see
// ProblemLadder::CheckOwner); leaders see the problems of their clusters.
#pragma once

#include "absl/status/status.h"
#include "common/auth/principal.h"
#include "services/tasks/tasks_store.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

absl::Status CanEditPlan(const Principal& who, const v1::Plan& plan);
absl::Status CanReportProgress(const Principal& who);
absl::Status CanRaiseProblem(const Principal& who);
// Satisfaction visits (回访) and reopening: the enterprise's township, the
// plan owner, ADMIN.
absl::Status CanFollowUp(const Principal& who, const v1::Problem& p);
// Narrows `filter` to what `who` may see.
absl::Status RestrictProblemView(const Principal& who, store::ProblemFilter* filter);
// Whether `who` may see this one problem; `leader_unit_id` is the problem's.
absl::Status CanSeeProblem(const Principal& who, const v1::Problem& p,
                           const std::string& leader_unit_id,
                           const std::vector<v1::ProblemStep>& steps);

}  // namespace uplift::tasks

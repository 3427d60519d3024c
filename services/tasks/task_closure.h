// 销号 as a state machine, free of storage: a task's lead unit submits its
// completion (a summary and evidence, every target met); the plan owner
// confirms it or returns it with a reason; a returned task may be
// submitted again. The state at any time is that of the last step up to
// it, so a report for a past period sees the task as it stood then.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/tasks/problem_ladder.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

inline constexpr size_t kMaxClosureSummary = 2000;
inline constexpr int kMaxClosureEvidence = 20;
inline constexpr size_t kMaxEvidenceChars = 200;

// The state after the last of `steps` (oldest first).
v1::ClosureState ClosureStateOf(const std::vector<v1::ClosureStep>& steps);

// The submission step for `view` (the task as it stands now), or why not:
// INVALID_ARGUMENT naming summary or evidence; FAILED_PRECONDITION when it
// waits for a decision, is closed already, or a target is not met.
absl::StatusOr<v1::ClosureStep> SubmitCompletion(const v1::TaskView& view,
                                                 const std::string& summary,
                                                 const std::vector<std::string>& evidence,
                                                 absl::Time now, const Actor& actor);
// The plan owner's decision on a submitted task: confirmed, or returned
// (a reason required).
absl::StatusOr<v1::ClosureStep> DecideCompletion(const v1::TaskView& view, bool confirm,
                                                 const std::string& reason, absl::Time now,
                                                 const Actor& actor);

}  // namespace uplift::tasks

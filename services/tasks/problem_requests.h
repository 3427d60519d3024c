// What a ladder step asks of other units: the ActionRequested events
// (uplift:requests, notify's KIND_REQUEST) that reach the unit that must
// act next: the approver of a 延期, the plan owner for a 裁定, each
// co-handler added to a 会商, and a co-handler whose deadline passed.
#pragma once

#include <string>
#include <vector>

#include "uplift/tasks/v1/tasks.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::tasks {

// `before` and `after` are the problem around `step`. Names are left for
// the caller to fill.
std::vector<v1::ActionRequested> RequestsOfStep(const v1::Problem& before, const v1::Problem& after,
                                                const v1::ProblemStep& step,
                                                const std::string& plan_owner_unit_id);

}  // namespace uplift::tasks

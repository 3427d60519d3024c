// Checks of a plan before it is applied: every id well formed and unique,
// every reference resolved within the plan (units, clusters, programmes,
// categories), targets sane. Errors are INVALID_ARGUMENT and name the field
// by its path, e.g. "plan.tasks[3].responsible_unit_ids[1]: no unit ...",
// which upliftctl turns into a line of the plan file.
#pragma once

#include "absl/status/status.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

// Normalizes (trims text, fills defaults such as due_on) and checks `plan`.
absl::Status NormalizeAndCheckPlan(v1::Plan* plan);

// Task ids are dotted numbers: "1.2", "2.2.1".
absl::Status CheckTaskId(const std::string& field, const std::string& id);

// The units that co-own every task: each township, subdistrict and
// development zone of the plan.
std::vector<std::string> CoOwnerUnits(const v1::Plan& plan);

}  // namespace uplift::tasks

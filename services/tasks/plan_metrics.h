// What a plan's target metrics are: counts, or rates in basis points. Shared
// by the tasks service and the indicator service (library uplift_plan_model).
#pragma once

#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

// Whether `metric` is a rate in basis points rather than a count.
bool IsRateMetric(uplift::tasks::v1::Metric metric);

}  // namespace uplift::tasks

// What a plan's target metrics are: counts, or rates in basis points. Shared
// by the tasks service and the indicator service (library uplift_plan_model).
#pragma once

#include <cstdint>
#include <string>

#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

// Whether `metric` is a rate in basis points rather than a count.
bool IsRateMetric(uplift::tasks::v1::Metric metric);

// `value` of `target` for people: "12.0%" for a rate, "5场次" for a count.
std::string FormatTargetValue(const uplift::tasks::v1::Target& target, int64_t value);

}  // namespace uplift::tasks

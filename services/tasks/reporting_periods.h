// The monthly reporting rhythm of a plan (月调度): periods run from the
// month the plan was issued to December of its year; the report for month
// M is due by the plan's reporting day of month M+1.
#pragma once

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

absl::CivilMonth FirstPeriod(const uplift::tasks::v1::Plan& plan);
absl::CivilMonth LastPeriod(const uplift::tasks::v1::Plan& plan);
// The last day a report for `period` is on time.
absl::CivilDay DueDay(const uplift::tasks::v1::Plan& plan, absl::CivilMonth period);
// The latest period whose due day is before `today`, if any.
std::optional<absl::CivilMonth> LastPeriodDue(const uplift::tasks::v1::Plan& plan,
                                              absl::CivilDay today);

}  // namespace uplift::tasks

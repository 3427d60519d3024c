// Reporting periods and due days.
#include "services/tasks/reporting_periods.h"

#include "common/time_util.h"

namespace uplift::tasks {

absl::CivilMonth FirstPeriod(const uplift::tasks::v1::Plan& plan) {
  absl::StatusOr<absl::CivilDay> issued = ParseDate("issued_on", plan.issued_on());
  if (issued.ok() && issued->year() == plan.year()) return absl::CivilMonth(*issued);
  return absl::CivilMonth(plan.year(), 1);
}

absl::CivilMonth LastPeriod(const uplift::tasks::v1::Plan& plan) {
  return absl::CivilMonth(plan.year(), 12);
}

absl::CivilDay DueDay(const uplift::tasks::v1::Plan& plan, absl::CivilMonth period) {
  const absl::CivilMonth next = period + 1;
  return absl::CivilDay(next.year(), next.month(), plan.reporting_day());
}

std::optional<absl::CivilMonth> LastPeriodDue(const uplift::tasks::v1::Plan& plan,
                                              absl::CivilDay today) {
  std::optional<absl::CivilMonth> last;
  for (absl::CivilMonth m = FirstPeriod(plan); m <= LastPeriod(plan); ++m) {
    if (DueDay(plan, m) < today) last = m;
  }
  return last;
}

}  // namespace uplift::tasks

// Periods ("2023-09"), dates, RFC 3339 times and quarters ("2023-Q3") as
// requests carry them: what parses formats back to the same text, and no
// error echoes the input whole.
#include <cstdlib>
#include <string>

#include "common/time_util.h"
#include "services/indicators/quarter.h"

namespace {

void Bounded(const absl::Status& status) {
  if (!status.ok() && status.message().size() > 512) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<absl::CivilMonth> period = uplift::ParsePeriod("report.period", text);
  Bounded(period.status());
  if (period.ok() && uplift::FormatPeriod(*period) != text) std::abort();
  absl::StatusOr<absl::CivilDay> day = uplift::ParseDate("awarded_on", text);
  Bounded(day.status());
  if (day.ok() && uplift::FormatDate(*day) != text) std::abort();
  absl::StatusOr<absl::Time> time = uplift::ParseRfc3339(text);
  Bounded(time.status());
  if (time.ok()) {
    absl::StatusOr<absl::Time> again = uplift::ParseRfc3339(uplift::FormatRfc3339(*time));
    if (!again.ok()) std::abort();  // what we write we read
  }
  absl::StatusOr<uplift::indicators::Quarter> quarter =
      uplift::indicators::ParseQuarter("quarter", text);
  Bounded(quarter.status());
  if (quarter.ok() && quarter->ToString() != text) std::abort();
  return 0;
}

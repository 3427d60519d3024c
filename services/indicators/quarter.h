// Quarters (季度) as "YYYY-Qn", for the bulletin and the township ranking.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace uplift::indicators {

struct Quarter {
  int year = 0;
  int number = 0;  // 1..4
  int first_month() const { return number * 3 - 2; }
  int last_month() const { return number * 3; }
  absl::CivilMonth last_period() const { return absl::CivilMonth(year, last_month()); }
  std::string ToString() const;  // "2023-Q2"
  std::string Label() const;       // "2023年第二季度"
  std::string ShortLabel() const;  // "第二季度"
};

// Strict "YYYY-Qn" (n in 1..4); errors name `field`.
absl::StatusOr<Quarter> ParseQuarter(absl::string_view field, absl::string_view text);

}  // namespace uplift::indicators

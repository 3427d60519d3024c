// The county as the CSV files people import: enterprises.csv in the
// registry's import format and reports.csv in the indicator service's
// (amounts in yuan, land in mu).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "tools/county/county_model.h"

namespace uplift::county {

// Reports cover January of the year before the plan year to `through_month`
// of the plan year.
absl::Status WriteCountyCsv(const CountyModel& county, int through_month, const std::string& dir);

}  // namespace uplift::county

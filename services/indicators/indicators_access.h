// Who may do what in the indicator service (docs/indicators.md has the
// table). Figures are submitted by the enterprise's township (its own
// enterprises only), the plan owner, departments (statistics, tax) and
// services; a township sees single enterprises' figures only for its own;
// closing a month is for the plan owner; everyone signed in reads the
// aggregates, targets, rankings and reports.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/auth/principal.h"

namespace uplift::indicators {

absl::Status CanSubmitReports(const Principal& who);
// `township_id` is the enterprise's.
absl::Status CanReportFor(const Principal& who, const std::string& credit_code,
                          const std::string& township_id, const std::string& field);
// Whether `who` may see one enterprise's own figures.
bool SeesEnterprise(const Principal& who, const std::string& township_id);
absl::Status CanClosePeriod(const Principal& who);

}  // namespace uplift::indicators

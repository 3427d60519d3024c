// The rules of the indicator service as configuration: the built-in default
// (deploy/indicator-rules.textproto, compiled in) or a file, checked at
// start so that a bad file fails fast naming the field. Also the 亩均
// grading those rules define.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "uplift/indicators/v1/indicator_rules.pb.h"

namespace uplift::indicators {

// The built-in rules.
v1::IndicatorRules DefaultRules();
// Parses a text proto file and checks it; a missing `limits` or `ranking`
// takes the default's.
absl::StatusOr<v1::IndicatorRules> LoadRules(const std::string& path);
absl::StatusOr<v1::IndicatorRules> ParseRules(const std::string& text, const std::string& origin);
absl::Status CheckRules(const v1::IndicatorRules& rules);

// Per-mu figures over a year: `months` of figures scaled to twelve, divided
// by the land in mu (centi-mu / 100). 0 when there is no land.
int64_t PerMuAnnualised(int64_t amount_fen, int months, int64_t land_centi_mu);

// The first grade whose thresholds both per-mu figures meet, or nullptr.
const v1::GradeRule* GradeFor(const v1::IndicatorRules& rules, int64_t tax_per_mu_fen,
                              int64_t revenue_per_mu_fen);

}  // namespace uplift::indicators

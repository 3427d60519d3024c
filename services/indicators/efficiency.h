// 亩均 (per-mu) efficiency of one enterprise over the year to date: its
// revenue and tax, annualised, per mu of the land it last reported, and the
// grade the rules give it (none without land).
#pragma once

#include <optional>

#include "services/indicators/indicator_data.h"
#include "uplift/indicators/v1/indicator_rules.pb.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::indicators {

// nullopt when enterprise `e` reported nothing in months 1..`month`.
std::optional<v1::EfficiencyRow> EfficiencyOf(const IndicatorData& data,
                                              const IndicatorData::YearView& year, int e,
                                              int month, const v1::IndicatorRules& rules);

}  // namespace uplift::indicators

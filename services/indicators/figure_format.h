// Figures for people: money in 万元 (10,000 yuan) with two decimals, rates
// in per cent with one or two decimals, land in mu. Integer arithmetic, so
// what is printed is exactly what is stored, rounded half away from zero.
#pragma once

#include <cstdint>
#include <string>

#include "common/money_format.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::indicators {

using uplift::FormatWanYuan;                     // 123456789 -> "123.46"
std::string FormatYuan(int64_t fen);             // 1234567 -> "12345.67"
using uplift::FormatAmountText;
std::string FormatPercent(int64_t basis_points); // 1234 -> "12.34%"
std::string FormatMu(int64_t centi_mu);          // 12345 -> "123.45"
// Growth in words: "+12.34%", or "—" when it has no base.
std::string FormatGrowth(const uplift::indicators::v1::Growth& growth);
// A target's amount in its own terms: per cent for rate metrics, else the
// number with the target's unit ("6家").
std::string FormatTargetAmount(const uplift::indicators::v1::CountedTarget& target, int64_t value);

}  // namespace uplift::indicators

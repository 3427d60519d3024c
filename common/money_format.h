// Money and fixed-point figures for people: 万元 and 亿元 with two
// decimals. Integer arithmetic, so what is printed is exactly what is
// stored, rounded half away from zero.
#pragma once

#include <cstdint>
#include <string>

namespace uplift {

// value / divisor with `decimals` decimals (divisor = 10^k, decimals <= k).
std::string FormatFixed(int64_t value, int64_t divisor, int decimals);
std::string FormatWanYuan(int64_t fen);  // 123456789 -> "123.46"
// For prose: "2370.60亿元" from 1亿 up, else "123.46万元".
std::string FormatAmountText(int64_t fen);

}  // namespace uplift

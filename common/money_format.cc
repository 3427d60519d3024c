// Formatting of money.
#include "common/money_format.h"

#include "absl/strings/str_format.h"

namespace uplift {

std::string FormatFixed(int64_t value, int64_t divisor, int decimals) {
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const int64_t step = divisor / scale;
  const bool negative = value < 0;
  __int128 v = negative ? -static_cast<__int128>(value) : value;
  v = (v + step / 2) / step;  // half away from zero
  const int64_t whole = static_cast<int64_t>(v / scale), frac = static_cast<int64_t>(v % scale);
  std::string out = absl::StrFormat("%s%d", negative && v != 0 ? "-" : "", whole);
  if (decimals > 0) out += absl::StrFormat(".%0*d", decimals, frac);
  return out;
}

std::string FormatWanYuan(int64_t fen) { return FormatFixed(fen, 1000000, 2); }

std::string FormatAmountText(int64_t fen) {
  constexpr int64_t kYi = 10000000000;  // 1亿元 in fen
  if (fen >= kYi || fen <= -kYi) return FormatFixed(fen, kYi, 2) + "亿元";
  return FormatWanYuan(fen) + "万元";
}

}  // namespace uplift

// Formatting of figures.
#include "services/indicators/figure_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/tasks/plan_metrics.h"

namespace uplift::indicators {
namespace {

// value / divisor with `decimals` decimals (divisor = 10^k, decimals <= k).
std::string Fixed(int64_t value, int64_t divisor, int decimals) {
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

}  // namespace

std::string FormatWanYuan(int64_t fen) { return Fixed(fen, 1000000, 2); }
std::string FormatYuan(int64_t fen) { return Fixed(fen, 100, 2); }
std::string FormatAmountText(int64_t fen) {
  constexpr int64_t kYi = 10000000000;  // 1亿元 in fen
  if (fen >= kYi || fen <= -kYi) return Fixed(fen, kYi, 2) + "亿元";
  return FormatWanYuan(fen) + "万元";
}

std::string FormatPercent(int64_t bp) { return Fixed(bp, 100, 2) + "%"; }
std::string FormatMu(int64_t centi_mu) { return Fixed(centi_mu, 100, 2); }

std::string FormatGrowth(const uplift::indicators::v1::Growth& g) {
  if (!g.defined()) return "—";
  return (g.growth_bp() > 0 ? "+" : "") + FormatPercent(g.growth_bp());
}

std::string FormatTargetAmount(const v1::CountedTarget& target, int64_t value) {
  uplift::tasks::v1::Metric metric = uplift::tasks::v1::METRIC_UNSPECIFIED;
  uplift::tasks::v1::Metric_Parse(target.metric(), &metric);
  if (uplift::tasks::IsRateMetric(metric)) return FormatPercent(value);
  return absl::StrCat(value, target.unit());
}

}  // namespace uplift::indicators

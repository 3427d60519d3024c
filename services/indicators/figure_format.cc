// Formatting of figures.
#include "services/indicators/figure_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/tasks/plan_metrics.h"

namespace uplift::indicators {

std::string FormatYuan(int64_t fen) { return FormatFixed(fen, 100, 2); }

std::string FormatPercent(int64_t bp) { return FormatFixed(bp, 100, 2) + "%"; }
std::string FormatMu(int64_t centi_mu) { return FormatFixed(centi_mu, 100, 2); }

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

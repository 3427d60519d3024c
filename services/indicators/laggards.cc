// Finding laggards in one scan.
#include "services/indicators/laggards.h"

#include <algorithm>

namespace uplift::indicators {

Laggards FindLaggards(const IndicatorData& data, int year, int month, int64_t decline_bp,
                      size_t listed) {
  Laggards out;
  const IndicatorData::YearView cur = data.Year(year), prev = data.Year(year - 1);
  const MonthMask ytd = MonthsBetween(1, month);
  const MonthMask last = MonthsBetween(month, month);
  std::vector<Laggards::Decline> declines;
  for (int e = 0; e < data.enterprise_count(); ++e) {
    const MonthMask cp = cur.Present(e);
    if ((cp & last) == 0) {
      ++out.not_reporting_count;
      ++out.not_reporting_by_township[data.enterprise(e).township];
      if (out.not_reporting.size() < listed) out.not_reporting.push_back(e);
    }
    GrowthTally one;
    one.Add(e, ytd, cp, cur.Months(e), prev.Present(e), prev.Months(e));
    bool defined = false;
    const int64_t bp = one.basis_points(&defined);
    if (defined && bp < -decline_bp) declines.push_back({e, bp});
  }
  std::sort(declines.begin(), declines.end(), [](const Laggards::Decline& a, const Laggards::Decline& b) {
    return a.growth_bp != b.growth_bp ? a.growth_bp < b.growth_bp : a.enterprise < b.enterprise;
  });
  out.declining_count = static_cast<int>(declines.size());
  if (declines.size() > listed) declines.resize(listed);
  out.declining = std::move(declines);
  return out;
}

}  // namespace uplift::indicators

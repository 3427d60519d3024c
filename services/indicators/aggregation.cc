// The aggregation scan: one pass over the enterprises per query.
#include "services/indicators/aggregation.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace uplift::indicators {
namespace {

absl::Status CheckTotals(const GroupTotals& t, const std::string& where) {
  RETURN_IF_ERROR(CheckNoOverflow(t.window, where + ".month"));
  RETURN_IF_ERROR(CheckNoOverflow(t.ytd, where + ".year_to_date"));
  if (t.window_growth.overflowed() || t.ytd_growth.overflowed()) {
    return absl::OutOfRangeError(absl::StrCat(
        where, ".growth: the comparable revenue exceeds what a 64-bit integer holds (9.2e18 "
               "fen); the figures behind it cannot be real, check the imported reports"));
  }
  return absl::OkStatus();
}

}  // namespace

void GroupTotals::Merge(const GroupTotals& o) {
  window += o.window;
  ytd += o.ytd;
  enterprises += o.enterprises;
  reporting += o.reporting;
  reported_in_window += o.reported_in_window;
  window_growth.Merge(o.window_growth);
  ytd_growth.Merge(o.ytd_growth);
}

int SumMonths(const Figures* months, MonthMask present, MonthMask range, Figures* out) {
  const MonthMask have = present & range;
  if (have == 0 || months == nullptr) return 0;
  int counted = 0, latest = -1;
  for (int m = 0; m < 12; ++m) {
    if ((have & (1u << m)) == 0) continue;
    out->AddFlows(months[m]);
    latest = m;
    ++counted;
  }
  out->AddStocks(months[latest]);
  return counted;
}

absl::StatusOr<std::vector<GroupTotals>> Aggregate(const IndicatorData& data,
                                                   const AggregateQuery& q) {
  const int clusters = static_cast<int>(data.clusters().size()) + 1;
  const int townships = static_cast<int>(data.units().size()) + 1;
  const bool by_cluster = q.grouping == Grouping::kCluster || q.grouping == Grouping::kClusterTownship;
  const bool by_township = q.grouping == Grouping::kTownship || q.grouping == Grouping::kClusterTownship;
  std::vector<GroupTotals> groups((by_cluster ? clusters : 1) * (by_township ? townships : 1));
  std::vector<bool> used(groups.size(), false);

  const IndicatorData::YearView cur = data.Year(q.year), prev = data.Year(q.year - 1);
  const MonthMask window = MonthsBetween(q.first_month, q.last_month);
  const MonthMask ytd = MonthsBetween(1, q.last_month);
  const MonthMask last = MonthsBetween(q.last_month, q.last_month);
  for (int e = 0; e < data.enterprise_count(); ++e) {
    const EnterpriseInfo& info = data.enterprise(e);
    if (q.cluster >= 0 && info.cluster != q.cluster) continue;
    if (q.township >= 0 && info.township != q.township) continue;
    const int c = by_cluster ? info.cluster + 1 : 0;
    const int t = by_township ? info.township + 1 : 0;
    const size_t g = static_cast<size_t>(c) * (by_township ? townships : 1) + t;
    GroupTotals& totals = groups[g];
    used[g] = true;
    ++totals.enterprises;
    const MonthMask cp = cur.Present(e), pp = prev.Present(e);
    if ((cp | pp) == 0) continue;
    const Figures* cm = cur.Months(e);
    const Figures* pm = prev.Months(e);
    SumMonths(cm, cp, window, &totals.window);
    SumMonths(cm, cp, ytd, &totals.ytd);
    if (cp & last) ++totals.reporting;
    if (cp & window) ++totals.reported_in_window;
    totals.window_growth.Add(e, window, cp, cm, pp, pm);
    totals.ytd_growth.Add(e, ytd, cp, cm, pp, pm);
  }
  std::vector<GroupTotals> out;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (!used[g]) continue;
    GroupTotals& totals = groups[g];
    const int c = static_cast<int>(g / (by_township ? townships : 1));
    const int t = static_cast<int>(g % (by_township ? townships : 1));
    totals.cluster = by_cluster ? c - 1 : -1;
    totals.township = by_township ? t - 1 : -1;
    std::string where = "the county";
    if (totals.cluster >= 0) where = data.clusters()[totals.cluster].name;
    if (totals.township >= 0) {
      absl::StrAppend(&where, totals.cluster >= 0 ? " × " : "", data.units()[totals.township].name);
    }
    RETURN_IF_ERROR(CheckTotals(totals, where));
    out.push_back(std::move(totals));
  }
  return out;
}

absl::StatusOr<GroupTotals> Overall(const std::vector<GroupTotals>& groups) {
  GroupTotals all;
  for (const GroupTotals& g : groups) all.Merge(g);
  RETURN_IF_ERROR(CheckTotals(all, "total"));
  return all;
}

}  // namespace uplift::indicators

// Aggregation over the in-memory data: totals by county, cluster, township
// or cluster x township for a window of months (one month, a quarter) and
// for the year to date, with comparable growth of both. Flows (revenue,
// output value, tax, R&D) are summed over the months; stocks (employees,
// land) are each enterprise's latest reported month in the range, summed.
// Enterprises are grouped where the registry has them now.
#pragma once

#include <vector>

#include "absl/status/statusor.h"

#include "services/indicators/comparable_growth.h"
#include "services/indicators/figures.h"
#include "services/indicators/indicator_data.h"

namespace uplift::indicators {

enum class Grouping { kCounty, kCluster, kTownship, kClusterTownship };

struct AggregateQuery {
  int year = 0;
  int first_month = 0;  // the window: first_month..last_month (1..12)
  int last_month = 0;   // also the end of the year to date
  Grouping grouping = Grouping::kCounty;
  int cluster = -1;     // only this cluster (index), -1 for all
  int township = -1;    // only this township (unit index), -1 for all
};

struct GroupTotals {
  int cluster = -1;   // set when grouped by cluster
  int township = -1;  // set when grouped by township
  Figures window;
  Figures ytd;
  int enterprises = 0;  // registered in the group
  int reporting = 0;    // of which reported last_month
  int reported_in_window = 0;  // of which reported any month first_month..last_month
  GrowthTally window_growth;
  GrowthTally ytd_growth;

  void Merge(const GroupTotals& o);
};

// Groups with at least one registered enterprise, by (cluster, township).
// OUT_OF_RANGE naming the group and the figure if a sum does not fit in
// int64 (only absurd imports get there).
absl::StatusOr<std::vector<GroupTotals>> Aggregate(const IndicatorData& data,
                                                   const AggregateQuery& query);
// Every group merged; OUT_OF_RANGE as above.
absl::StatusOr<GroupTotals> Overall(const std::vector<GroupTotals>& groups);

// Sums `months` over the months in `range` that are `present`: flows added,
// stocks from the latest month. Returns how many months counted.
int SumMonths(const Figures* months, MonthMask present, MonthMask range, Figures* out);

}  // namespace uplift::indicators

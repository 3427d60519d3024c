// A realistic, reproducible county for tests, demonstrations and the
// benchmark: enterprises spread over the plan's clusters and territorial
// units, their sizes, land and growth, tier awards and pools, and two years
// of monthly figures computed on demand (nothing is stored, so 100,000
// enterprises cost nothing until asked). The same seed gives the same county.
//
// What makes it realistic: sizes spread over three orders of magnitude with
// a few large key enterprises; each cluster grows at its own pace around the
// plan's 12 % with some enterprises falling; February dips for the Spring
// Festival and December peaks; a few enterprises start reporting only in the
// plan year (new entrants), a few stop (closed or moved out), a few skip a
// month; tax 2-6 % and R&D 1-5 % of revenue; land 3-500 mu.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/indicators/figures.h"
#include "uplift/registry/v1/registry.pb.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::county {

namespace rv1 = uplift::registry::v1;

struct AwardPlan {
  rv1::Tier tier = rv1::TIER_UNSPECIFIED;
  rv1::Level level = rv1::LEVEL_PROVINCE;
  std::string awarded_on;  // YYYY-MM-DD
  std::string revoked_on;  // empty: stands
};

struct CountyEnterprise {
  rv1::Enterprise enterprise;  // credit_code, name, cluster, township, key, above_size(_since)
  int64_t base_revenue_fen = 0;  // a typical month of the year before the plan year
  int64_t land_centi_mu = 0;
  double growth = 0;             // plan year over the year before
  int first_year = 0;            // first year it reports
  int last_month_reported = 0;   // months reported in the plan year (12: all)
  int skipped_month = 0;         // a month of the plan year it missed (0: none)
  std::vector<AwardPlan> awards;
  std::string above_size_pool_on;  // entered the above-size pool (empty: never)
  std::string marked_above_size_on;  // became above size in the plan year (empty: no)
  std::string listing_pool_on;     // entered the listing reserve pool
};

struct CountyOptions {
  int enterprises = 3000;
  uint64_t seed = 2023;
  int year = 2023;  // the plan year; figures cover it and the year before
};

class CountyModel {
 public:
  // Clusters and territorial units come from the plan.
  CountyModel(const uplift::tasks::v1::Plan& plan, CountyOptions options);

  const std::vector<CountyEnterprise>& enterprises() const { return enterprises_; }
  int year() const { return options_.year; }
  // The figures of enterprise `e` for a month; nullopt if it did not report.
  std::optional<uplift::indicators::Figures> Month(int e, int year, int month) const;

 private:
  CountyOptions options_;
  std::vector<CountyEnterprise> enterprises_;
};

}  // namespace uplift::county

// Counting tier targets under award and revocation.
#include "services/indicators/tier_targets.h"

#include <algorithm>
#include <set>

namespace uplift::indicators {

namespace tv1 = uplift::tasks::v1;

std::optional<TierRule> TierRuleFor(tv1::Metric metric) {
  switch (metric) {
    case tv1::METRIC_NEW_FRONT_RUNNER:
      return TierRule{rv1::TIER_FRONT_RUNNER, rv1::LEVEL_UNSPECIFIED, {}, true};
    case tv1::METRIC_NEW_SPECIALIZED_SME:
      return TierRule{rv1::TIER_SPECIALIZED_SME, rv1::LEVEL_UNSPECIFIED, {rv1::TIER_INNOVATIVE_SME}, false};
    case tv1::METRIC_NEW_LITTLE_GIANT:
      return TierRule{rv1::TIER_LITTLE_GIANT, rv1::LEVEL_UNSPECIFIED, {rv1::TIER_SPECIALIZED_SME}, false};
    case tv1::METRIC_NEW_SINGLE_CHAMPION:
      return TierRule{rv1::TIER_SINGLE_CHAMPION, rv1::LEVEL_PROVINCE, {rv1::TIER_LITTLE_GIANT}, false};
    case tv1::METRIC_NEW_TECH_LEADER:
      return TierRule{rv1::TIER_TECH_LEADER, rv1::LEVEL_UNSPECIFIED,
                      {rv1::TIER_HIGH_TECH, rv1::TIER_GAZELLE}, false};
    case tv1::METRIC_NEW_HIGH_TECH:
      return TierRule{rv1::TIER_HIGH_TECH, rv1::LEVEL_UNSPECIFIED, {rv1::TIER_TECH_SME}, false};
    default:
      return std::nullopt;
  }
}

TierCount CountNewTier(const TierRule& rule, const std::vector<AwardFact>& awards, int year,
                       absl::CivilDay as_of, const std::vector<int>& pool_members) {
  const absl::CivilDay eve = absl::CivilDay(year, 1, 1) - 1;
  std::set<int> held_before, holders, counted, candidates;
  for (const AwardFact& a : awards) {
    if (a.tier != rule.tier) continue;
    if (a.StandsOn(eve)) held_before.insert(a.enterprise);
    if (a.StandsOn(as_of)) holders.insert(a.enterprise);
  }
  for (const AwardFact& a : awards) {
    if (a.tier == rule.tier && a.level >= rule.min_level && a.awarded_on.year() == year &&
        a.StandsOn(as_of) && held_before.count(a.enterprise) == 0) {
      counted.insert(a.enterprise);
    }
  }
  for (const AwardFact& a : awards) {
    const bool lower = std::find(rule.candidate_tiers.begin(), rule.candidate_tiers.end(),
                                 a.tier) != rule.candidate_tiers.end();
    if (lower && a.StandsOn(as_of) && holders.count(a.enterprise) == 0) {
      candidates.insert(a.enterprise);
    }
  }
  if (rule.pool_candidates) {
    for (int e : pool_members) {
      if (holders.count(e) == 0) candidates.insert(e);
    }
  }
  TierCount out;
  out.counted.assign(counted.begin(), counted.end());
  out.candidates.assign(candidates.begin(), candidates.end());
  return out;
}

}  // namespace uplift::indicators

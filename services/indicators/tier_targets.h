// Counted targets met by tier awards (registry): how many enterprises
// earned the tier in the plan year, and who could still earn it.
//
// An enterprise counts for a year when an award of the tier (at the rule's
// level or above) dated in that year stands on the as-of day, and it held no
// standing award of the tier on the last day of the year before (a renewal
// is not new). A revoked award stops counting from its revocation day.
// Candidates are the enterprises holding, on the as-of day, a tier one rung
// below on the ladder (创新型 -> 专精特新 -> 小巨人 -> 单项冠军; 科技型中小
// -> 高新技术 -> 科技领军), or, for 领跑者, key enterprises and those in the
// listing reserve pool, that neither count nor hold the tier already.
#pragma once

#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "uplift/registry/v1/registry.pb.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::indicators {

namespace rv1 = uplift::registry::v1;

struct AwardFact {
  int enterprise = -1;
  rv1::Tier tier = rv1::TIER_UNSPECIFIED;
  rv1::Level level = rv1::LEVEL_UNSPECIFIED;
  absl::CivilDay awarded_on;
  std::optional<absl::CivilDay> revoked_on;

  bool StandsOn(absl::CivilDay day) const {
    return awarded_on <= day && (!revoked_on.has_value() || *revoked_on > day);
  }
};

struct TierRule {
  rv1::Tier tier = rv1::TIER_UNSPECIFIED;
  rv1::Level min_level = rv1::LEVEL_UNSPECIFIED;
  std::vector<rv1::Tier> candidate_tiers;
  bool pool_candidates = false;  // key enterprises and the listing pool
};

// The rule of a metric counted by tier awards; nullopt for other metrics.
std::optional<TierRule> TierRuleFor(uplift::tasks::v1::Metric metric);

struct TierCount {
  std::vector<int> counted;     // enterprise ids, ascending
  std::vector<int> candidates;  // enterprise ids, ascending
};

// `pool_members`: the key enterprises and those in the listing reserve
// pool (used only when the rule has pool_candidates).
TierCount CountNewTier(const TierRule& rule, const std::vector<AwardFact>& awards, int year,
                       absl::CivilDay as_of, const std::vector<int>& pool_members);

}  // namespace uplift::indicators

// Counts of tier targets under award and revocation, renewals, levels and
// candidates.
#include "services/indicators/tier_targets.h"

#include <gtest/gtest.h>

namespace uplift::indicators {
namespace {

namespace tv1 = uplift::tasks::v1;
using absl::CivilDay;

AwardFact Award(int e, rv1::Tier tier, CivilDay on, std::optional<CivilDay> revoked = std::nullopt,
                rv1::Level level = rv1::LEVEL_PROVINCE) {
  return AwardFact{e, tier, level, on, revoked};
}

class TierTargetsTest : public ::testing::Test {
 protected:
  TierRule sme_ = *TierRuleFor(tv1::METRIC_NEW_SPECIALIZED_SME);
};

TEST_F(TierTargetsTest, AnAwardThisYearCountsAndARevokedOneStops) {
  std::vector<AwardFact> awards = {
      Award(1, rv1::TIER_SPECIALIZED_SME, CivilDay(2023, 3, 1)),
      Award(2, rv1::TIER_SPECIALIZED_SME, CivilDay(2023, 5, 1), CivilDay(2023, 8, 1)),
      Award(3, rv1::TIER_SPECIALIZED_SME, CivilDay(2022, 11, 1)),  // last year: not new
      Award(4, rv1::TIER_SPECIALIZED_SME, CivilDay(2023, 10, 1)),  // after the as-of day
  };
  EXPECT_EQ(CountNewTier(sme_, awards, 2023, CivilDay(2023, 6, 30), {}).counted,
            (std::vector<int>{1, 2}));
  // Revoked on 1 August: counted in July, not from August.
  EXPECT_EQ(CountNewTier(sme_, awards, 2023, CivilDay(2023, 7, 31), {}).counted,
            (std::vector<int>{1, 2}));
  EXPECT_EQ(CountNewTier(sme_, awards, 2023, CivilDay(2023, 8, 31), {}).counted,
            (std::vector<int>{1}));
  EXPECT_EQ(CountNewTier(sme_, awards, 2023, CivilDay(2023, 12, 31), {}).counted,
            (std::vector<int>{1, 4}));
}

TEST_F(TierTargetsTest, ARenewalOfAStandingAwardIsNotNew) {
  std::vector<AwardFact> awards = {
      Award(1, rv1::TIER_SPECIALIZED_SME, CivilDay(2020, 6, 1)),
      Award(1, rv1::TIER_SPECIALIZED_SME, CivilDay(2023, 6, 1)),  // renewed
      // Held before but revoked in 2022, awarded again in 2023: new again.
      Award(2, rv1::TIER_SPECIALIZED_SME, CivilDay(2020, 6, 1), CivilDay(2022, 3, 1)),
      Award(2, rv1::TIER_SPECIALIZED_SME, CivilDay(2023, 6, 1)),
  };
  EXPECT_EQ(CountNewTier(sme_, awards, 2023, CivilDay(2023, 12, 31), {}).counted,
            (std::vector<int>{2}));
}

TEST_F(TierTargetsTest, ChampionsCountFromProvincialLevelOnly) {
  const TierRule champion = *TierRuleFor(tv1::METRIC_NEW_SINGLE_CHAMPION);
  std::vector<AwardFact> awards = {
      Award(1, rv1::TIER_SINGLE_CHAMPION, CivilDay(2023, 4, 1), std::nullopt, rv1::LEVEL_PREFECTURE),
      Award(2, rv1::TIER_SINGLE_CHAMPION, CivilDay(2023, 4, 1), std::nullopt, rv1::LEVEL_NATION),
  };
  EXPECT_EQ(CountNewTier(champion, awards, 2023, CivilDay(2023, 12, 31), {}).counted,
            (std::vector<int>{2}));
}

TEST_F(TierTargetsTest, CandidatesHoldTheRungBelowAndNotTheTier) {
  std::vector<AwardFact> awards = {
      Award(1, rv1::TIER_INNOVATIVE_SME, CivilDay(2022, 1, 1)),
      Award(2, rv1::TIER_INNOVATIVE_SME, CivilDay(2022, 1, 1)),
      Award(2, rv1::TIER_SPECIALIZED_SME, CivilDay(2023, 2, 1)),  // climbed: counts, not a candidate
      Award(3, rv1::TIER_INNOVATIVE_SME, CivilDay(2021, 1, 1), CivilDay(2023, 1, 5)),  // lost it
      Award(4, rv1::TIER_HIGH_TECH, CivilDay(2022, 1, 1)),  // another ladder
  };
  const TierCount c = CountNewTier(sme_, awards, 2023, CivilDay(2023, 6, 30), {});
  EXPECT_EQ(c.counted, (std::vector<int>{2}));
  EXPECT_EQ(c.candidates, (std::vector<int>{1}));
}

TEST_F(TierTargetsTest, FrontRunnerCandidatesComeFromThePools) {
  const TierRule front = *TierRuleFor(tv1::METRIC_NEW_FRONT_RUNNER);
  std::vector<AwardFact> awards = {Award(5, rv1::TIER_FRONT_RUNNER, CivilDay(2021, 1, 1))};
  const TierCount c = CountNewTier(front, awards, 2023, CivilDay(2023, 6, 30), {5, 6, 7});
  EXPECT_TRUE(c.counted.empty());
  EXPECT_EQ(c.candidates, (std::vector<int>{6, 7}));  // 5 is a front runner already
}

TEST(TierRuleFor, OnlyTierMetricsHaveRules) {
  EXPECT_TRUE(TierRuleFor(tv1::METRIC_NEW_HIGH_TECH).has_value());
  EXPECT_EQ(TierRuleFor(tv1::METRIC_NEW_HIGH_TECH)->candidate_tiers,
            (std::vector<rv1::Tier>{rv1::TIER_TECH_SME}));
  EXPECT_FALSE(TierRuleFor(tv1::METRIC_SERVICE_EVENTS).has_value());
  EXPECT_FALSE(TierRuleFor(tv1::METRIC_CLUSTER_REVENUE_GROWTH).has_value());
}

}  // namespace
}  // namespace uplift::indicators

// Counting targets from activity records: 场次 by kind, 家次 once per
// enterprise an activity, coverage over the population with the uncovered
// listed, and only the activities held in the window.
#include "services/indicators/activity_targets.h"

#include <gtest/gtest.h>

namespace uplift::indicators {
namespace {

namespace tv1 = uplift::tasks::v1;

ActivityFact Held(int month, int day, v1::ActivityKind kind, std::vector<int> enterprises,
                  std::vector<int> clusters = {}) {
  return {absl::CivilDay(2023, month, day), kind, std::move(enterprises), std::move(clusters)};
}

const absl::CivilDay kFrom(2023, 1, 1);
const absl::CivilDay kUntil(2023, 9, 30);

TEST(ActivityTargets, EventsCountTheirKindOnlyAndOnlyInTheWindow) {
  const std::vector<ActivityFact> facts = {
      Held(3, 1, v1::ACTIVITY_KIND_SERVICE_EVENT, {1, 2, 3}),
      Held(5, 9, v1::ACTIVITY_KIND_SERVICE_EVENT, {2}),
      Held(6, 1, v1::ACTIVITY_KIND_TECH_DIAGNOSIS, {4}),
      Held(10, 8, v1::ACTIVITY_KIND_SERVICE_EVENT, {5}),  // after the window
  };
  const ActivityRule events = *ActivityRuleFor(tv1::METRIC_SERVICE_EVENTS);
  EXPECT_EQ(CountActivities(events, facts, {}, kFrom, kUntil).achieved, 2);
  // 家次: every kind, each enterprise once an activity.
  const ActivityRule served = *ActivityRuleFor(tv1::METRIC_ENTERPRISE_SERVICES);
  std::vector<ActivityFact> twice = facts;
  twice[0].enterprises.push_back(1);  // named twice in one record: once
  EXPECT_EQ(CountActivities(served, twice, {}, kFrom, kUntil).achieved, 5);
}

TEST(ActivityTargets, CoverageIsOverThePopulationWithTheUncoveredListed) {
  const std::vector<ActivityFact> facts = {
      Held(4, 2, v1::ACTIVITY_KIND_TECH_DIAGNOSIS, {10, 11, 99}),  // 99: not a 领跑者
      Held(4, 3, v1::ACTIVITY_KIND_FINANCIAL_SERVICE, {12}),       // another kind
      Held(7, 3, v1::ACTIVITY_KIND_TECH_DIAGNOSIS, {11}),          // covered again
  };
  const ActivityRule diagnosis = *ActivityRuleFor(tv1::METRIC_TECH_DIAGNOSIS_COVERAGE);
  const ActivityCount c = CountActivities(diagnosis, facts, {10, 11, 12, 13}, kFrom, kUntil);
  EXPECT_TRUE(c.defined);
  EXPECT_EQ(c.population, 4);
  EXPECT_EQ(c.achieved, 5000) << "2 of 4 领跑者, in basis points";
  EXPECT_EQ(c.covered, (std::vector<int>{10, 11}));
  EXPECT_EQ(c.uncovered, (std::vector<int>{12, 13}));
  const ActivityCount none = CountActivities(diagnosis, facts, {}, kFrom, kUntil);
  EXPECT_FALSE(none.defined) << "no population: no figure, never 100 %";
  EXPECT_EQ(none.achieved, 0);
}

TEST(ActivityTargets, ClusterCoverageCountsTheClustersServed) {
  const std::vector<ActivityFact> facts = {
      Held(5, 5, v1::ACTIVITY_KIND_RESEARCH_SERVICE, {}, {0}),
      Held(5, 6, v1::ACTIVITY_KIND_RESEARCH_SERVICE, {7}, {2}),
  };
  const ActivityRule clusters = *ActivityRuleFor(tv1::METRIC_KEY_CLUSTER_COVERAGE);
  const ActivityCount c = CountActivities(clusters, facts, {0, 1, 2}, kFrom, kUntil);
  EXPECT_EQ(c.achieved, 6666);
  EXPECT_EQ(c.uncovered, (std::vector<int>{1}));
}

TEST(ActivityTargets, OnlyTheActivityMetricsHaveARule) {
  EXPECT_FALSE(ActivityRuleFor(tv1::METRIC_NEW_SPECIALIZED_SME).has_value());
  EXPECT_TRUE(ActivityRuleFor(tv1::METRIC_INTEGRATION_ASSESSMENT_COVERAGE).has_value());
  EXPECT_TRUE(ActivityRuleFor(tv1::METRIC_FINANCIAL_SERVICE_COVERAGE).has_value());
}

}  // namespace
}  // namespace uplift::indicators

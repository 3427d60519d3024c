// The rules as configuration: the built-in file, bad files, 亩均 grades and
// the township ranking.
#include "services/indicators/indicator_rules.h"

#include <gtest/gtest.h>

#include "services/indicators/township_ranking.h"

namespace uplift::indicators {
namespace {

TEST(IndicatorRules, TheBuiltInRulesAreValid) {
  const v1::IndicatorRules rules = DefaultRules();
  EXPECT_TRUE(CheckRules(rules).ok()) << CheckRules(rules);
  ASSERT_EQ(rules.grades_size(), 4);
  EXPECT_EQ(rules.grades(0).label(), "优先发展类");
  EXPECT_GT(rules.limits().max_revenue_fen(), 0);
}

TEST(IndicatorRules, ABadFileNamesWhereAndWhat) {
  auto syntax = ParseRules("grades { grade: \"A\" min_tax: 1 }", "rules.textproto");
  EXPECT_EQ(syntax.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(syntax.status().message().find("rules.textproto:1:"), std::string::npos) << syntax.status();
  auto no_floor = ParseRules(
      "grades { grade: \"A\" min_tax_per_mu_fen: 100 } ranking { rules { measure: RANKING_MEASURE_REVENUE weight: 1 } }",
      "r");
  EXPECT_NE(no_floor.status().message().find("last grade must have zero thresholds"), std::string::npos)
      << no_floor.status();
  auto inverted = ParseRules(
      "grades { grade: \"A\" min_tax_per_mu_fen: 100 } grades { grade: \"B\" min_tax_per_mu_fen: 200 } "
      "grades { grade: \"C\" } ranking { rules { measure: RANKING_MEASURE_REVENUE weight: 1 } }",
      "r");
  EXPECT_NE(inverted.status().message().find("grades[1]"), std::string::npos) << inverted.status();
  auto no_weights = ParseRules("grades { grade: \"D\" }", "r");
  EXPECT_NE(no_weights.status().message().find("ranking.rules"), std::string::npos) << no_weights.status();
}

TEST(Grades, BothPerMuFiguresMustMeetTheThresholds) {
  const v1::IndicatorRules rules = DefaultRules();  // A: tax 1.5万, revenue 50万 per mu
  EXPECT_EQ(GradeFor(rules, 1500000, 50000000)->grade(), "A");
  EXPECT_EQ(GradeFor(rules, 1499999, 50000000)->grade(), "B");
  EXPECT_EQ(GradeFor(rules, 9000000, 29999999)->grade(), "C");  // high tax, low revenue
  EXPECT_EQ(GradeFor(rules, 0, 0)->grade(), "D");
}

TEST(Grades, PerMuFiguresAreAnnualisedOverTheLandReported) {
  // Six months of 30万元 tax on 20 mu: 60万元 a year, 3万元 per mu.
  EXPECT_EQ(PerMuAnnualised(30000000, 6, 2000), 3000000);
  EXPECT_EQ(PerMuAnnualised(30000000, 12, 2000), 1500000);
  EXPECT_EQ(PerMuAnnualised(30000000, 6, 0), 0);  // no land, no figure
}

TownshipMeasures Town(const std::string& id, std::optional<double> growth, double awards) {
  TownshipMeasures t;
  t.township_id = id;
  t.values[v1::RANKING_MEASURE_REVENUE_GROWTH] = growth;
  t.values[v1::RANKING_MEASURE_NEW_AWARDS] = awards;
  return t;
}

v1::RankingRules Rules() {
  v1::RankingRules r;
  auto* g = r.add_rules();
  g->set_measure(v1::RANKING_MEASURE_REVENUE_GROWTH);
  g->set_weight(60);
  auto* a = r.add_rules();
  a->set_measure(v1::RANKING_MEASURE_NEW_AWARDS);
  a->set_weight(40);
  r.add_points_by_rank(3);
  r.add_points_by_rank(2);
  r.set_last_place_points(-1);
  return r;
}

TEST(TownshipRanking, WeightsScaleEachMeasureBetweenWorstAndBest) {
  const std::vector<RankedTownship> ranked =
      RankTownships(Rules(), {Town("town-a", 1000, 0), Town("town-b", 2000, 2), Town("town-c", 1500, 4)});
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].township_id, "town-b");  // 60 + 20
  EXPECT_DOUBLE_EQ(ranked[0].score, 80);
  EXPECT_EQ(ranked[1].township_id, "town-c");  // 30 + 40
  EXPECT_DOUBLE_EQ(ranked[1].score, 70);
  EXPECT_EQ(ranked[2].township_id, "town-a");
  EXPECT_DOUBLE_EQ(ranked[2].score, 0);
  EXPECT_DOUBLE_EQ(ranked[0].parts.at("营收增速"), 60);
  EXPECT_EQ(ranked[0].points, 3);
  EXPECT_EQ(ranked[1].points, 2);
  EXPECT_EQ(ranked[2].points, -1);  // last place, beyond the ranks that earn points
}

TEST(TownshipRanking, EqualScoresShareARankAndItsPointsAndMissingValuesScoreNothing) {
  const std::vector<RankedTownship> ranked =
      RankTownships(Rules(), {Town("town-z", 1000, 1), Town("town-y", std::nullopt, 3),
                              Town("town-x", 1000, 1), Town("town-w", std::nullopt, 0)});
  ASSERT_EQ(ranked.size(), 4u);
  // town-y: no comparable growth (0 of 60) but the most awards (40).
  EXPECT_EQ(ranked[0].township_id, "town-y");
  EXPECT_DOUBLE_EQ(ranked[0].score, 40);
  EXPECT_EQ(ranked[0].rank, 1);
  // town-x and town-z tie on everything: both second, both earn the second rank's points.
  EXPECT_EQ(ranked[1].township_id, "town-x");
  EXPECT_EQ(ranked[2].township_id, "town-z");
  EXPECT_EQ(ranked[1].rank, 2);
  EXPECT_EQ(ranked[2].rank, 2);
  EXPECT_EQ(ranked[1].points, 2);
  EXPECT_EQ(ranked[2].points, 2);
  // The next rank is skipped: 1, 2, 2, 4; the last takes the deduction.
  EXPECT_EQ(ranked[3].township_id, "town-w");
  EXPECT_EQ(ranked[3].rank, 4);
  EXPECT_EQ(ranked[3].points, -1);
}

TEST(TownshipRanking, TiesAtTheLastRankAllTakeTheDeduction) {
  const std::vector<RankedTownship> ranked = RankTownships(
      Rules(), {Town("a", 900, 2), Town("b", 1000, 3), Town("c", 500, 0), Town("d", 500, 0)});
  EXPECT_EQ(ranked[0].points, 3);
  EXPECT_EQ(ranked[1].points, 2);
  EXPECT_EQ(ranked[2].rank, 3);
  EXPECT_EQ(ranked[3].rank, 3);
  EXPECT_EQ(ranked[2].points, -1);
  EXPECT_EQ(ranked[3].points, -1);
}

TEST(TownshipRanking, EveryoneEqualIsEveryoneFirstWithoutADeduction) {
  const std::vector<RankedTownship> ranked =
      RankTownships(Rules(), {Town("a", 1000, 1), Town("b", 1000, 1), Town("c", 1000, 1)});
  for (const RankedTownship& t : ranked) {
    EXPECT_EQ(t.rank, 1) << t.township_id;
    EXPECT_EQ(t.points, 3) << t.township_id;
  }
}

TEST(TownshipRanking, ATownshipWithoutDataIsNotRankedAndEarnsNothing) {
  TownshipMeasures silent;
  silent.township_id = "town-a";  // no figures: no value for any measure
  TownshipMeasures unknown = Town("town-b", std::nullopt, 0);
  unknown.values[v1::RANKING_MEASURE_NEW_AWARDS] = std::nullopt;
  const std::vector<RankedTownship> ranked =
      RankTownships(Rules(), {silent, Town("town-c", 1000, 1), unknown, Town("town-d", 500, 0)});
  ASSERT_EQ(ranked.size(), 4u);
  EXPECT_EQ(ranked[0].township_id, "town-c");
  EXPECT_EQ(ranked[0].rank, 1);
  EXPECT_EQ(ranked[1].township_id, "town-d");
  EXPECT_EQ(ranked[1].rank, 2);
  EXPECT_EQ(ranked[1].points, 2);  // two ranked, both earn: no deduction for the last
  for (int i : {2, 3}) {
    EXPECT_EQ(ranked[i].rank, 0) << ranked[i].township_id;
    EXPECT_EQ(ranked[i].points, 0) << ranked[i].township_id;
    EXPECT_DOUBLE_EQ(ranked[i].score, 0) << ranked[i].township_id;
  }
  EXPECT_EQ(ranked[2].township_id, "town-a");
  EXPECT_EQ(ranked[3].township_id, "town-b");
}

TEST(TownshipRanking, TwoTownshipsBothEarnRankPointsAndNoDeduction) {
  const std::vector<RankedTownship> ranked =
      RankTownships(Rules(), {Town("a", 1, 0), Town("b", 2, 0)});
  EXPECT_EQ(ranked[0].points, 3);
  EXPECT_EQ(ranked[1].points, 2);
  const std::string rules = DescribeRankingRules(Rules());
  EXPECT_NE(rules.find("末位-1分"), std::string::npos) << rules;
  EXPECT_NE(rules.find("本县自定规则"), std::string::npos) << rules;
  EXPECT_NE(rules.find("名次并列"), std::string::npos) << rules;
}

}  // namespace
}  // namespace uplift::indicators

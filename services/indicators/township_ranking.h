// Township ranking for a quarter (季度排名) under configurable rules: each
// measure is scored 0..1 between the worst and the best township (all equal:
// 0 for everyone; no value, e.g. growth with nothing to compare: 0), times
// its weight; the sum is the score. Ties go to the higher revenue growth,
// then the township id. Assessment points (年度考核加分) by rank, and the
// configured deduction for the last place when more townships are ranked
// than ranks earn points.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "uplift/indicators/v1/indicator_rules.pb.h"

namespace uplift::indicators {

struct TownshipMeasures {
  std::string township_id;
  std::map<v1::RankingMeasure, std::optional<double>> values;
};

struct RankedTownship {
  std::string township_id;
  int rank = 0;
  double score = 0;
  int points = 0;
  std::map<std::string, double> parts;  // rule label -> weighted part
};

std::vector<RankedTownship> RankTownships(const v1::RankingRules& rules,
                                          const std::vector<TownshipMeasures>& townships);

// The rules in words, for the bulletin.
std::string DescribeRankingRules(const v1::RankingRules& rules);

// A label for a measure when the rule gives none.
std::string MeasureLabel(const v1::RankingRule& rule);

}  // namespace uplift::indicators

// Township ranking for a quarter (季度排名) under configurable rules: each
// measure is scored 0..1 between the worst and the best township (all equal:
// 0 for everyone; no value, e.g. growth with nothing to compare: 0), times
// its weight; the sum is the score. Equal scores share a rank (并列) and its
// points, the next rank is skipped (1, 2, 2, 4). A township with no value for
// any measure has no data: it is listed unranked (rank 0) and earns nothing.
// Assessment points (年度考核加分) by rank are the county's own rule (the seed
// only says active townships 在年度考核中作为加分因素), with the configured
// deduction for the last rank when more townships are ranked than ranks earn
// points.
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
  int rank = 0;  // 0: no data, not ranked
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

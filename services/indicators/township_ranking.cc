// Scoring, ranking and points of townships.
#include "services/indicators/township_ranking.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace uplift::indicators {

std::string MeasureLabel(const v1::RankingRule& rule) {
  if (!rule.label().empty()) return rule.label();
  switch (rule.measure()) {
    case v1::RANKING_MEASURE_REVENUE_GROWTH: return "营收增速";
    case v1::RANKING_MEASURE_REVENUE: return "营业收入";
    case v1::RANKING_MEASURE_TAX_PER_MU: return "亩均税收";
    case v1::RANKING_MEASURE_NEW_ABOVE_SIZE: return "新增规上企业";
    case v1::RANKING_MEASURE_NEW_AWARDS: return "新增梯度企业";
    case v1::RANKING_MEASURE_REPORTING_RATE: return "月报报送率";
    default: return "其他";
  }
}

std::vector<RankedTownship> RankTownships(const v1::RankingRules& rules,
                                          const std::vector<TownshipMeasures>& townships) {
  std::vector<RankedTownship> out(townships.size());
  std::vector<double> growth(townships.size(), -std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < townships.size(); ++i) {
    out[i].township_id = townships[i].township_id;
    auto g = townships[i].values.find(v1::RANKING_MEASURE_REVENUE_GROWTH);
    if (g != townships[i].values.end() && g->second.has_value()) growth[i] = *g->second;
  }
  for (const v1::RankingRule& rule : rules.rules()) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const TownshipMeasures& t : townships) {
      auto it = t.values.find(rule.measure());
      if (it == t.values.end() || !it->second.has_value()) continue;
      lo = std::min(lo, *it->second);
      hi = std::max(hi, *it->second);
    }
    const std::string label = MeasureLabel(rule);
    for (size_t i = 0; i < townships.size(); ++i) {
      auto it = townships[i].values.find(rule.measure());
      double part = 0;
      if (it != townships[i].values.end() && it->second.has_value() && hi > lo) {
        part = rule.weight() * (*it->second - lo) / (hi - lo);
      }
      out[i].parts[label] += part;
      out[i].score += part;
    }
  }
  std::vector<size_t> order(townships.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (out[a].score != out[b].score) return out[a].score > out[b].score;
    if (growth[a] != growth[b]) return growth[a] > growth[b];
    return out[a].township_id < out[b].township_id;
  });
  std::vector<RankedTownship> ranked;
  ranked.reserve(order.size());
  for (size_t r = 0; r < order.size(); ++r) {
    RankedTownship t = out[order[r]];
    t.rank = static_cast<int>(r) + 1;
    if (r < static_cast<size_t>(rules.points_by_rank_size())) t.points = rules.points_by_rank(r);
    ranked.push_back(std::move(t));
  }
  if (!ranked.empty() && ranked.size() > static_cast<size_t>(rules.points_by_rank_size())) {
    ranked.back().points = rules.last_place_points();
  }
  return ranked;
}

std::string DescribeRankingRules(const v1::RankingRules& rules) {
  std::vector<std::string> parts;
  for (const v1::RankingRule& r : rules.rules()) {
    parts.push_back(absl::StrFormat("%s %g分", MeasureLabel(r), r.weight()));
  }
  std::string text = absl::StrCat("各项按乡镇间最低至最高折算后加权: ", absl::StrJoin(parts, "、"), "。");
  if (rules.points_by_rank_size() > 0) {
    std::vector<std::string> points;
    for (int i = 0; i < rules.points_by_rank_size(); ++i) {
      points.push_back(absl::StrCat("第", i + 1, "名", rules.points_by_rank(i), "分"));
    }
    absl::StrAppend(&text, " 年度考核加分: ", absl::StrJoin(points, "、"));
    if (rules.last_place_points() != 0) {
      absl::StrAppend(&text, "，末位", rules.last_place_points(), "分");
    }
    absl::StrAppend(&text, "。");
  }
  return text;
}

}  // namespace uplift::indicators

// Scoring, ranking and points of townships.
#include "services/indicators/township_ranking.h"

#include <algorithm>
#include <cmath>
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

namespace {

bool HasData(const TownshipMeasures& t) {
  for (const auto& [measure, value] : t.values) {
    if (value.has_value()) return true;
  }
  return false;
}

// Scores this close are equal: a sum of weighted fractions must not split a tie by rounding.
bool SameScore(double a, double b) { return std::abs(a - b) < 1e-9; }

}  // namespace

std::vector<RankedTownship> RankTownships(const v1::RankingRules& rules,
                                          const std::vector<TownshipMeasures>& townships) {
  std::vector<RankedTownship> out(townships.size());
  for (size_t i = 0; i < townships.size(); ++i) out[i].township_id = townships[i].township_id;
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
  std::vector<size_t> ranked_order, unranked_order;
  for (size_t i = 0; i < townships.size(); ++i) {
    (HasData(townships[i]) ? ranked_order : unranked_order).push_back(i);
  }
  std::sort(ranked_order.begin(), ranked_order.end(), [&](size_t a, size_t b) {
    if (!SameScore(out[a].score, out[b].score)) return out[a].score > out[b].score;
    return out[a].township_id < out[b].township_id;  // only the order of listing among equals
  });
  std::sort(unranked_order.begin(), unranked_order.end(),
            [&](size_t a, size_t b) { return out[a].township_id < out[b].township_id; });
  std::vector<RankedTownship> ranked;
  ranked.reserve(townships.size());
  for (size_t r = 0; r < ranked_order.size(); ++r) {
    RankedTownship t = out[ranked_order[r]];
    t.rank = r > 0 && SameScore(t.score, ranked.back().score) ? ranked.back().rank
                                                              : static_cast<int>(r) + 1;
    if (t.rank <= rules.points_by_rank_size()) t.points = rules.points_by_rank(t.rank - 1);
    ranked.push_back(std::move(t));
  }
  if (!ranked.empty() && ranked.back().rank > rules.points_by_rank_size()) {
    const int last = ranked.back().rank;
    for (RankedTownship& t : ranked) {
      if (t.rank == last) t.points = rules.last_place_points();
    }
  }
  for (size_t i : unranked_order) {
    RankedTownship t = out[i];
    t.score = 0;
    t.parts.clear();
    ranked.push_back(std::move(t));
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
    absl::StrAppend(&text, " 年度考核加分（本县自定规则，方案只定“在年度考核中作为加分因素”）: ",
                    absl::StrJoin(points, "、"));
    if (rules.last_place_points() != 0) {
      absl::StrAppend(&text, "，末位", rules.last_place_points(), "分");
    }
    absl::StrAppend(&text, "。");
  }
  absl::StrAppend(&text, " 得分相同者名次并列、加分相同；无数据的乡镇不排名、不加分。");
  return text;
}

}  // namespace uplift::indicators

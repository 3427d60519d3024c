// The county's enterprises and their months.
#include "tools/county/county_model.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/registry/credit_code.h"
#include "services/registry/registry_rules.h"

namespace uplift::county {
namespace {

namespace tv1 = uplift::tasks::v1;

// A stable hash of a few numbers, for per-month noise.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
double Unit(uint64_t h) { return static_cast<double>(h >> 11) / 9007199254740992.0; }

constexpr double kSeason[12] = {0.88, 0.70, 1.00, 1.00, 1.02, 1.04, 0.98, 0.97, 1.03, 1.05, 1.09, 1.24};

const char* const kBrands[] = {
    "华信", "宏达", "恒泰", "鑫源", "金诺", "瑞丰", "盛邦", "天宇", "永安", "正和", "博远", "嘉禾",
    "冀中", "新乐", "伏羲", "中山", "汇通", "德润", "富康", "明辉", "长城", "宝隆", "凯达", "东升",
    "顺发", "利民", "昌盛", "广源", "和信", "安泰", "联创", "科瑞", "泰和", "同力", "万通", "兴业",
    "亿丰", "众鑫", "卓越", "中兴", "华北", "燕赵", "承安", "木村", "化皮", "正莫", "大岳", "邯邰"};
constexpr int kBrandCount = sizeof(kBrands) / sizeof(kBrands[0]);

// Industry words by the cluster's position in the plan.
const std::vector<std::vector<const char*>>& Industries() {
  static const std::vector<std::vector<const char*>> words = {
      {"机械制造", "精密铸造", "汽车零部件", "电器设备", "轴承", "智能装备"},
      {"食品", "面业", "饮品", "肉类加工", "粮油", "调味品"},
      {"药业", "生物科技", "医疗器械", "制药", "健康科技", "医药包装"},
  };
  return words;
}

std::string Date(int year, int month, int day) { return absl::StrFormat("%04d-%02d-%02d", year, month, day); }

}  // namespace

CountyModel::CountyModel(const tv1::Plan& plan, CountyOptions options) : options_(options) {
  std::mt19937_64 rng(options.seed);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::normal_distribution<double> spread(0, 0.12);
  std::normal_distribution<double> size(0, 1.3);
  std::vector<std::string> clusters;
  for (const rv1::Cluster& c : plan.clusters()) clusters.push_back(c.cluster_id());
  std::vector<std::string> places;
  std::vector<double> place_weights;
  for (const rv1::Unit& u : plan.units()) {
    if (!uplift::registry::IsTerritorial(u.kind())) continue;
    places.push_back(u.unit_id());
    place_weights.push_back(u.kind() == rv1::UNIT_KIND_DEVELOPMENT_ZONE ? 5 : 1 + uniform(rng));
  }
  if (clusters.empty() || places.empty()) return;
  std::vector<double> cluster_weights;
  for (size_t i = 0; i < clusters.size(); ++i) cluster_weights.push_back(i == 0 ? 45 : i == 1 ? 30 : 25);
  std::discrete_distribution<size_t> pick_cluster(cluster_weights.begin(), cluster_weights.end());
  std::discrete_distribution<size_t> pick_place(place_weights.begin(), place_weights.end());
  const double cluster_growth[] = {0.13, 0.085, 0.17};
  const int y = options.year;

  enterprises_.resize(options.enterprises);
  for (int e = 0; e < options.enterprises; ++e) {
    CountyEnterprise& ce = enterprises_[e];
    const size_t c = pick_cluster(rng);
    rv1::Enterprise& ent = ce.enterprise;
    ent.set_credit_code(uplift::registry::WithCheckCharacter(absl::StrFormat("91130184MA%07d", e + 1)));
    const auto& words = Industries()[c % Industries().size()];
    ent.set_name(absl::StrCat("新乐市", kBrands[e % kBrandCount], kBrands[(e / kBrandCount + e) % kBrandCount],
                              words[(e / (kBrandCount * kBrandCount)) % words.size()],
                              e >= kBrandCount * kBrandCount * static_cast<int>(words.size())
                                  ? absl::StrCat(e)
                                  : "",
                              "有限公司"));
    ent.set_cluster_id(clusters[c]);
    ent.set_township_id(places[pick_place(rng)]);
    ent.set_industry(words[e % words.size()]);
    // A typical month: log-normal around 30万 yuan (most enterprises small,
    // about one in eleven 规上, a handful of 骨干 from 800万 a month).
    const double yuan = std::clamp(300000.0 * std::exp(size(rng)), 30000.0, 300000000.0);
    ce.base_revenue_fen = static_cast<int64_t>(yuan * 100);
    ent.set_key_enterprise(yuan >= 8000000);
    if (yuan * 12 >= 20000000) {  // 2000万元 a year: 规上
      ent.set_above_size(true);
      ent.set_above_size_since(Date(y - 3 - static_cast<int>(uniform(rng) * 5), 1, 1));
    }
    // 亩均 revenue of 8千 to 4.8万 yuan a month.
    ce.land_centi_mu = static_cast<int64_t>(std::clamp(yuan / (8000 + uniform(rng) * 40000), 3.0, 500.0) * 100);
    ce.growth = cluster_growth[c % 3] + spread(rng);
    if (uniform(rng) < 0.05) ce.growth = -0.2 - uniform(rng) * 0.25;
    const double fate = uniform(rng);
    ce.first_year = fate < 0.04 ? y : y - 1;
    ce.last_month_reported = fate >= 0.04 && fate < 0.06 ? 3 + static_cast<int>(uniform(rng) * 7) : 12;
    ce.skipped_month = fate >= 0.06 && fate < 0.08 ? 1 + static_cast<int>(uniform(rng) * 9) : 0;
  }

  // Tiers: a ladder below the plan's targets, some climbing this year.
  auto month_day = [&](int year) {
    return Date(year, 1 + static_cast<int>(uniform(rng) * 8), 1 + static_cast<int>(uniform(rng) * 27));
  };
  std::vector<int> innovative, specialized, tech_sme;
  for (int e = 0; e < options.enterprises; ++e) {
    CountyEnterprise& ce = enterprises_[e];
    const double r = uniform(rng);
    if (r < 0.12) {
      ce.awards.push_back({rv1::TIER_INNOVATIVE_SME, rv1::LEVEL_PROVINCE, month_day(y - 1 - (e % 2)), ""});
      if (uniform(rng) < 0.2) {
        ce.awards.push_back({rv1::TIER_SPECIALIZED_SME, rv1::LEVEL_PROVINCE, month_day(y - 1), ""});
        specialized.push_back(e);
      } else {
        innovative.push_back(e);
      }
    }
    if (uniform(rng) < 0.10) {
      ce.awards.push_back({rv1::TIER_TECH_SME, rv1::LEVEL_PROVINCE, month_day(y - 1), ""});
      tech_sme.push_back(e);
    } else if (uniform(rng) < 0.05) {
      ce.awards.push_back({rv1::TIER_HIGH_TECH, rv1::LEVEL_PROVINCE, month_day(y - 2), ""});
    }
    if (uniform(rng) < 0.02) ce.awards.push_back({rv1::TIER_GAZELLE, rv1::LEVEL_PREFECTURE, month_day(y - 1), ""});
    if (!ce.enterprise.above_size() && ce.base_revenue_fen >= 50000000 && uniform(rng) < 0.3) {
      ce.above_size_pool_on = Date(y - 1, 6, 15);
      if (uniform(rng) < 0.25) ce.marked_above_size_on = Date(y, 3 + static_cast<int>(uniform(rng) * 6), 10);
    }
    if (ce.enterprise.key_enterprise() && uniform(rng) < 0.3) ce.listing_pool_on = Date(y - 1, 9, 1);
  }
  // This year's climbers: 4 专精特新 (target 6), 1 小巨人 (target 3), 3 高新 (target 5), one of
  // them revoked again.
  auto climb = [&](std::vector<int>& from, size_t n, rv1::Tier tier, rv1::Level level) {
    std::vector<int> chosen;
    for (size_t i = 0; i < n && !from.empty(); ++i) {
      const size_t at = static_cast<size_t>(uniform(rng) * from.size()) % from.size();
      const int e = from[at];
      from.erase(from.begin() + static_cast<long>(at));
      enterprises_[e].awards.push_back({tier, level, month_day(y), ""});
      chosen.push_back(e);
    }
    return chosen;
  };
  climb(innovative, 4, rv1::TIER_SPECIALIZED_SME, rv1::LEVEL_PROVINCE);
  climb(specialized, 1, rv1::TIER_LITTLE_GIANT, rv1::LEVEL_NATION);
  std::vector<int> high_tech = climb(tech_sme, 3, rv1::TIER_HIGH_TECH, rv1::LEVEL_PROVINCE);
  if (!high_tech.empty()) {
    AwardPlan& a = enterprises_[high_tech.back()].awards.back();
    a.revoked_on = Date(y, 9, 28);
  }
}

std::optional<uplift::indicators::Figures> CountyModel::Month(int e, int year, int month) const {
  const CountyEnterprise& ce = enterprises_[e];
  const int y = options_.year;
  if (year < ce.first_year || year > y || year < y - 1 || month < 1 || month > 12) return std::nullopt;
  if (year == y && (month > ce.last_month_reported || month == ce.skipped_month)) return std::nullopt;
  const uint64_t h = Mix(options_.seed ^ Mix(static_cast<uint64_t>(e) * 1000003 + year * 13 + month));
  const double noise = 1 + (Unit(h) - 0.5) * 0.12;
  const double growth = year == y ? 1 + ce.growth : 1;
  const int64_t revenue = static_cast<int64_t>(static_cast<double>(ce.base_revenue_fen) * kSeason[month - 1] *
                                               growth * noise);
  const uint64_t k = Mix(static_cast<uint64_t>(e) ^ options_.seed);
  uplift::indicators::Figures f;
  f.revenue_fen = revenue;
  f.output_value_fen = revenue + revenue / 20;
  f.tax_fen = revenue * (20 + static_cast<int64_t>(k % 41)) / 1000;           // 2-6 %
  f.rnd_fen = revenue * (10 + static_cast<int64_t>((k >> 8) % 41)) / 1000;    // 1-5 %
  f.employees = std::max<int64_t>(5, revenue / 100 / 50000);
  f.land_centi_mu = ce.land_centi_mu;
  return f;
}

}  // namespace uplift::county

// Counting targets from service activity records.
#include "services/indicators/activity_targets.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "services/indicators/indicator_data.h"
#include "services/tasks/tasks_labels.h"

namespace uplift::indicators {

namespace tv1 = uplift::tasks::v1;
using Count = ActivityRule::Count;
using Population = ActivityRule::Population;

std::optional<ActivityRule> ActivityRuleFor(tv1::Metric metric) {
  switch (metric) {
    case tv1::METRIC_SERVICE_EVENTS:
      return ActivityRule{Count::kEvents, v1::ACTIVITY_KIND_SERVICE_EVENT, Population::kNone};
    case tv1::METRIC_ENTERPRISE_SERVICES:
      return ActivityRule{Count::kAttendances, v1::ACTIVITY_KIND_UNSPECIFIED, Population::kNone};
    case tv1::METRIC_TECH_DIAGNOSIS_COVERAGE:
      return ActivityRule{Count::kEnterpriseCoverage, v1::ACTIVITY_KIND_TECH_DIAGNOSIS,
                          Population::kFrontRunners};
    case tv1::METRIC_FINANCIAL_SERVICE_COVERAGE:
      return ActivityRule{Count::kEnterpriseCoverage, v1::ACTIVITY_KIND_FINANCIAL_SERVICE,
                          Population::kFrontRunners};
    case tv1::METRIC_INTEGRATION_ASSESSMENT_COVERAGE:
      return ActivityRule{Count::kEnterpriseCoverage, v1::ACTIVITY_KIND_INTEGRATION_ASSESSMENT,
                          Population::kAboveSizeInClusters};
    case tv1::METRIC_KEY_CLUSTER_COVERAGE:
      return ActivityRule{Count::kClusterCoverage, v1::ACTIVITY_KIND_RESEARCH_SERVICE,
                          Population::kClusters};
    default:
      return std::nullopt;
  }
}

ActivityCount CountActivities(const ActivityRule& rule, const std::vector<ActivityFact>& facts,
                              const std::vector<int>& population, absl::CivilDay from,
                              absl::CivilDay until) {
  ActivityCount out;
  std::set<int> reached;
  for (const ActivityFact& f : facts) {
    if (f.held_on < from || f.held_on > until) continue;
    if (rule.kind != v1::ACTIVITY_KIND_UNSPECIFIED && f.kind != rule.kind) continue;
    switch (rule.count) {
      case Count::kEvents:
        ++out.achieved;
        break;
      case Count::kAttendances:
        out.achieved +=
            static_cast<int64_t>(std::set<int>(f.enterprises.begin(), f.enterprises.end()).size());
        break;
      case Count::kEnterpriseCoverage:
        reached.insert(f.enterprises.begin(), f.enterprises.end());
        break;
      case Count::kClusterCoverage:
        reached.insert(f.clusters.begin(), f.clusters.end());
        break;
    }
  }
  if (rule.count == Count::kEvents || rule.count == Count::kAttendances) return out;
  const std::set<int> members(population.begin(), population.end());
  out.population = static_cast<int>(members.size());
  for (int m : members) (reached.count(m) ? out.covered : out.uncovered).push_back(m);
  out.defined = out.population > 0;
  out.achieved =
      out.defined ? static_cast<int64_t>(out.covered.size()) * 10000 / out.population : 0;
  return out;
}

std::vector<int> PopulationOf(const ActivityRule& rule, const IndicatorData& data,
                              absl::CivilDay day) {
  std::vector<int> out;
  switch (rule.population) {
    case Population::kNone:
      break;
    case Population::kClusters:
      for (int c = 0; c < static_cast<int>(data.clusters().size()); ++c) out.push_back(c);
      break;
    case Population::kFrontRunners:
      for (const AwardFact& a : data.awards()) {
        if (a.tier == uplift::registry::v1::TIER_FRONT_RUNNER && a.StandsOn(day)) {
          out.push_back(a.enterprise);
        }
      }
      break;
    case Population::kAboveSizeInClusters:
      for (int e = 0; e < data.enterprise_count(); ++e) {
        const EnterpriseInfo& info = data.enterprise(e);
        if (info.above_size && info.cluster >= 0 &&
            (!info.above_size_since.has_value() || *info.above_size_since <= day)) {
          out.push_back(e);
        }
      }
      break;
  }
  return out;
}

std::vector<ActivityFact> ActivityFacts(const std::vector<v1::Activity>& activities,
                                        const IndicatorData& data) {
  std::vector<ActivityFact> out;
  for (const v1::Activity& a : activities) {
    absl::StatusOr<absl::CivilDay> day = ParseDate("held_on", a.held_on());
    if (!day.ok()) continue;
    ActivityFact f;
    f.held_on = *day;
    f.kind = a.kind();
    std::set<int> clusters;
    for (const std::string& code : a.credit_codes()) {
      std::optional<int> e = data.FindEnterprise(code);
      if (!e.has_value()) continue;
      f.enterprises.push_back(*e);
      if (data.enterprise(*e).cluster >= 0) clusters.insert(data.enterprise(*e).cluster);
    }
    for (const std::string& id : a.cluster_ids()) {
      if (std::optional<int> c = data.FindCluster(id)) clusters.insert(*c);
    }
    f.clusters.assign(clusters.begin(), clusters.end());
    out.push_back(std::move(f));
  }
  return out;
}

bool FillActivityTarget(const tv1::Target& t, const ActivityRule& rule, const ActivityCount& count,
                        const IndicatorData& data, size_t listed, v1::CountedTarget* out) {
  out->set_source(uplift::tasks::CountedByLabel(tv1::COUNTED_BY_ACTIVITIES));
  out->set_achieved(count.achieved);
  const bool coverage =
      rule.count == Count::kEnterpriseCoverage || rule.count == Count::kClusterCoverage;
  if (!coverage) {
    const int64_t shortfall = std::max<int64_t>(0, t.value() - count.achieved);
    out->set_shortfall(static_cast<int32_t>(shortfall));
    out->set_note(shortfall == 0 ? "已完成" : absl::StrCat("缺口", shortfall, t.unit()));
    return true;
  }
  const bool clusters = rule.count == Count::kClusterCoverage;
  auto id_of = [&](int i) {
    return clusters ? data.clusters()[i].cluster_id : data.enterprise(i).credit_code;
  };
  auto name_of = [&](int i) {
    return clusters ? data.clusters()[i].name : data.enterprise(i).name;
  };
  out->set_population(count.population);
  for (int i : count.covered) out->add_credit_codes(id_of(i));
  out->set_candidates(static_cast<int32_t>(count.uncovered.size()));
  for (size_t i = 0; i < count.uncovered.size() && i < listed; ++i) {
    out->add_candidate_codes(id_of(count.uncovered[i]));
    out->add_candidate_names(name_of(count.uncovered[i]));
  }
  const char* what = clusters ? "个集群" : "家";
  if (!count.defined) {
    out->set_note(clusters ? "企业库中没有产业集群" : "企业库中暂无覆盖对象");
    return false;
  }
  out->set_note(count.uncovered.empty()
                    ? absl::StrCat("已全覆盖（", count.population, what, "）")
                    : absl::StrCat("已覆盖", count.covered.size(), what, "，共", count.population,
                                   what, "，未覆盖", count.uncovered.size(), what));
  return true;
}

}  // namespace uplift::indicators

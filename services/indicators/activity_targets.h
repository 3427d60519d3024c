// Targets counted from the service activity records (服务活动台账), each
// activity recorded once by its organiser: 场次 (service events held), 家次
// (enterprises served, each attendance once), and coverage against the
// registry (科技巡诊 and financial services over the 领跑者, 两化融合评估
// over the clusters' above-size enterprises, research services over the
// key clusters): covered / the registry's own count, with those not yet
// covered listed. Plain logic over indices of the working set.
#pragma once

#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "uplift/indicators/v1/indicators.pb.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::indicators {

class IndicatorData;

// One activity as counted: its day, kind, the enterprises that attended and
// the clusters it served (its own and its enterprises'), as indices.
struct ActivityFact {
  absl::CivilDay held_on;
  v1::ActivityKind kind = v1::ACTIVITY_KIND_UNSPECIFIED;
  std::vector<int> enterprises;
  std::vector<int> clusters;
};

// How a metric is counted from activities.
struct ActivityRule {
  enum class Count { kEvents, kAttendances, kEnterpriseCoverage, kClusterCoverage };
  Count count;
  // The kind counted; UNSPECIFIED: every kind (家次).
  v1::ActivityKind kind = v1::ACTIVITY_KIND_UNSPECIFIED;
  enum class Population { kNone, kFrontRunners, kAboveSizeInClusters, kClusters };
  Population population = Population::kNone;
};
std::optional<ActivityRule> ActivityRuleFor(uplift::tasks::v1::Metric metric);

struct ActivityCount {
  bool defined = true;         // false: a coverage over an empty population
  int64_t achieved = 0;        // a count, or basis points of coverage
  int population = 0;          // coverage: what it is divided by
  std::vector<int> covered;    // coverage: enterprises (or clusters) covered
  std::vector<int> uncovered;  // coverage: the population not yet covered
};

// Counts `facts` held from `from` to `until` (inclusive). `population`:
// enterprise indices (or cluster indices for cluster coverage) for a
// coverage rule, ignored otherwise.
ActivityCount CountActivities(const ActivityRule& rule, const std::vector<ActivityFact>& facts,
                              const std::vector<int>& population, absl::CivilDay from,
                              absl::CivilDay until);

// The registry's population of a coverage rule as it stands on `day`.
std::vector<int> PopulationOf(const ActivityRule& rule, const IndicatorData& data,
                              absl::CivilDay day);

// The stored activities as counted: enterprises and clusters the working
// set does not know are left out.
std::vector<ActivityFact> ActivityFacts(const std::vector<v1::Activity>& activities,
                                        const IndicatorData& data);

// Fills the target's figure from `count`: achieved, the enterprises (or
// clusters) covered, those not yet covered as candidates (at most
// `listed`), the population and a note. False when there is no figure (a
// coverage over an empty population).
bool FillActivityTarget(const uplift::tasks::v1::Target& t, const ActivityRule& rule,
                        const ActivityCount& count, const IndicatorData& data, size_t listed,
                        v1::CountedTarget* out);

}  // namespace uplift::indicators

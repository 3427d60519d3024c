// The indicator service's working set in memory: the directory (enterprises,
// units, clusters, tier awards) and every report, in dense per-year arrays
// indexed by enterprise, so that aggregations scan memory instead of
// querying SQLite. SQLite stays the record: CatchUp applies the rows
// written since the last call (by this process or another replica sharing
// the file), found by their `seq`. Not thread-safe; the owner locks.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "common/sql/connection.h"
#include "services/indicators/comparable_growth.h"
#include "services/indicators/figures.h"
#include "services/indicators/indicator_store.h"
#include "services/indicators/tier_targets.h"

namespace uplift::indicators {

struct EnterpriseInfo {
  std::string credit_code;
  std::string name;
  int cluster = -1;   // index into clusters(); -1 if unknown
  int township = -1;  // index into units(); -1 if unknown
  bool key_enterprise = false;
  bool above_size = false;
  std::optional<absl::CivilDay> above_size_since;
  bool in_listing_pool = false;
  bool in_above_size_pool = false;
};

struct UnitInfo {
  std::string unit_id;
  std::string name;
  int kind = 0;  // uplift.registry.v1.UnitKind
  bool IsTerritorial() const;  // township, subdistrict or development zone
};

struct ClusterInfo {
  std::string cluster_id;
  std::string name;
  std::string liaison_leader_unit_id;
  std::string lead_department_unit_id;
};

class IndicatorData {
 public:
  // Applies every row with a seq above what was seen. Cheap when nothing
  // changed (indexed lookups that find nothing).
  void CatchUp(sql::Connection& db);

  int enterprise_count() const { return static_cast<int>(enterprises_.size()); }
  const EnterpriseInfo& enterprise(int e) const { return enterprises_[e]; }
  std::optional<int> FindEnterprise(const std::string& credit_code) const;

  const std::vector<UnitInfo>& units() const { return units_; }
  std::optional<int> FindUnit(const std::string& unit_id) const;
  const std::vector<ClusterInfo>& clusters() const { return clusters_; }
  std::optional<int> FindCluster(const std::string& cluster_id) const;
  const std::vector<AwardFact>& awards() const { return awards_; }

  // One year's reports: an enterprise's twelve months and which of them it
  // reported (no months: nothing that year). Valid until the next CatchUp.
  struct YearView {
    const std::array<Figures, 12>* months = nullptr;
    const MonthMask* present = nullptr;
    size_t size = 0;
    MonthMask Present(int e) const { return static_cast<size_t>(e) < size ? present[e] : 0; }
    const Figures* Months(int e) const {
      return static_cast<size_t>(e) < size ? months[e].data() : nullptr;
    }
  };
  YearView Year(int year) const;

 private:
  struct YearBlock {
    std::vector<std::array<Figures, 12>> months;  // by enterprise
    std::vector<MonthMask> present;               // by enterprise
  };
  void ApplyEnterprise(const store::EnterpriseRow& row);
  void ApplyReport(const store::ReportRow& row);
  int UnitIndex(const std::string& unit_id);
  int ClusterIndex(const std::string& cluster_id);

  int64_t seen_seq_ = 0;
  std::vector<EnterpriseInfo> enterprises_;
  absl::flat_hash_map<std::string, int> enterprise_index_;
  std::vector<UnitInfo> units_;
  absl::flat_hash_map<std::string, int> unit_index_;
  std::vector<ClusterInfo> clusters_;
  absl::flat_hash_map<std::string, int> cluster_index_;
  std::vector<AwardFact> awards_;
  absl::flat_hash_map<std::string, int> award_index_;
  absl::flat_hash_map<int, YearBlock> years_;
};

}  // namespace uplift::indicators

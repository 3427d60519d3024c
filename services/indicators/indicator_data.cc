// Catching up with SQLite and reading the in-memory data.
#include "services/indicators/indicator_data.h"

#include <algorithm>

#include "common/sql/connection.h"
#include "common/time_util.h"
#include "services/registry/registry_rules.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::indicators {
namespace {

std::optional<absl::CivilDay> DayOrNone(const std::string& text) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = ParseDate("date", text);
  if (!day.ok()) return std::nullopt;
  return *day;
}

}  // namespace

bool UnitInfo::IsTerritorial() const {
  return registry::IsTerritorial(static_cast<rv1::UnitKind>(kind));
}

void IndicatorData::CatchUp(sql::Connection& db) {
  // Called in Store::Read, one read transaction: a consistent snapshot
  // across the tables, so no report is seen before its enterprise.
  int64_t top = seen_seq_;
  auto saw = [&top](int64_t seq) { top = std::max(top, seq); };
  store::ForEachUnitSince(db, seen_seq_, [&](const store::UnitRow& u) {
    UnitInfo& info = units_[UnitIndex(u.unit_id)];
    info.name = u.name;
    info.kind = u.kind;
    saw(u.seq);
  });
  store::ForEachClusterSince(db, seen_seq_, [&](const store::ClusterRow& c) {
    ClusterInfo& info = clusters_[ClusterIndex(c.cluster_id)];
    info.name = c.name;
    info.liaison_leader_unit_id = c.liaison_leader_unit_id;
    info.lead_department_unit_id = c.lead_department_unit_id;
    saw(c.seq);
  });
  store::ForEachEnterpriseSince(db, seen_seq_, [&](const store::EnterpriseRow& e) {
    ApplyEnterprise(e);
    saw(e.seq);
  });
  store::ForEachAwardSince(db, seen_seq_, [&](const store::AwardRow& a) {
    auto e = FindEnterprise(a.credit_code);
    std::optional<absl::CivilDay> awarded = DayOrNone(a.awarded_on);
    saw(a.seq);
    if (!e.has_value() || !awarded.has_value()) return;
    AwardFact fact{*e, static_cast<rv1::Tier>(a.tier), static_cast<rv1::Level>(a.level), *awarded,
                   DayOrNone(a.revoked_on)};
    auto [it, inserted] = award_index_.try_emplace(a.award_id, static_cast<int>(awards_.size()));
    if (inserted) {
      awards_.push_back(fact);
    } else {
      awards_[it->second] = fact;
    }
  });
  store::ForEachReportSince(db, seen_seq_, [&](const store::ReportRow& r) {
    ApplyReport(r);
    saw(r.seq);
  });
  seen_seq_ = top;
}

int IndicatorData::UnitIndex(const std::string& unit_id) {
  auto [it, inserted] = unit_index_.try_emplace(unit_id, static_cast<int>(units_.size()));
  if (inserted) units_.push_back(UnitInfo{unit_id, unit_id, 0});
  return it->second;
}

int IndicatorData::ClusterIndex(const std::string& cluster_id) {
  auto [it, inserted] = cluster_index_.try_emplace(cluster_id, static_cast<int>(clusters_.size()));
  if (inserted) clusters_.push_back(ClusterInfo{cluster_id, cluster_id, "", ""});
  return it->second;
}

void IndicatorData::ApplyEnterprise(const store::EnterpriseRow& row) {
  auto [it, inserted] = enterprise_index_.try_emplace(row.credit_code,
                                                      static_cast<int>(enterprises_.size()));
  if (inserted) enterprises_.emplace_back();
  EnterpriseInfo& e = enterprises_[it->second];
  e.credit_code = row.credit_code;
  e.name = row.name;
  e.cluster = row.cluster_id.empty() ? -1 : ClusterIndex(row.cluster_id);
  e.township = row.township_id.empty() ? -1 : UnitIndex(row.township_id);
  e.key_enterprise = row.key_enterprise;
  e.above_size = row.above_size;
  e.above_size_since = DayOrNone(row.above_size_since);
  e.in_listing_pool = row.listing_stage != rv1::LISTING_STAGE_UNSPECIFIED &&
                      row.listing_stage != rv1::LISTING_STAGE_LISTED;
  e.in_above_size_pool = row.in_above_size_pool;
}

void IndicatorData::ApplyReport(const store::ReportRow& row) {
  auto e = FindEnterprise(row.credit_code);
  if (!e.has_value()) return;  // written only for known enterprises
  const int year = row.period / 100, month = row.period % 100;
  if (month < 1 || month > 12) return;
  YearBlock& block = years_[year];
  if (block.present.size() < enterprises_.size()) {
    block.present.resize(enterprises_.size(), 0);
    block.months.resize(enterprises_.size());
  }
  block.present[*e] |= static_cast<MonthMask>(1u << (month - 1));
  block.months[*e][month - 1] = row.figures;
}

std::optional<int> IndicatorData::FindEnterprise(const std::string& credit_code) const {
  auto it = enterprise_index_.find(credit_code);
  if (it == enterprise_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> IndicatorData::FindUnit(const std::string& unit_id) const {
  auto it = unit_index_.find(unit_id);
  if (it == unit_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> IndicatorData::FindCluster(const std::string& cluster_id) const {
  auto it = cluster_index_.find(cluster_id);
  if (it == cluster_index_.end()) return std::nullopt;
  return it->second;
}

IndicatorData::YearView IndicatorData::Year(int year) const {
  auto it = years_.find(year);
  if (it == years_.end()) return {};
  return {it->second.months.data(), it->second.present.data(), it->second.present.size()};
}

}  // namespace uplift::indicators

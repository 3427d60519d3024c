// SQL of the registry.
#include "services/registry/registry_store.h"

#include "absl/strings/str_cat.h"
#include "common/statement_cache.h"
#include "common/time_util.h"

namespace uplift::registry::store {
namespace {

void SetTime(google::protobuf::Timestamp* ts, const std::string& text) {
  absl::StatusOr<absl::Time> t = ParseRfc3339(text);
  if (t.ok()) *ts = ToProtoTimestamp(*t);
}

std::string TimeText(const google::protobuf::Timestamp& ts) {
  return FormatRfc3339(FromProtoTimestamp(ts));
}

v1::Unit UnitFromRow(SQLite::Statement& q) {
  v1::Unit u;
  u.set_unit_id(q.getColumn(0).getString());
  u.set_name(q.getColumn(1).getString());
  u.set_kind(static_cast<v1::UnitKind>(q.getColumn(2).getInt()));
  u.set_supervisor_unit_id(q.getColumn(3).getString());
  u.set_contact(q.getColumn(4).getString());
  SetTime(u.mutable_create_time(), q.getColumn(5).getString());
  SetTime(u.mutable_update_time(), q.getColumn(6).getString());
  return u;
}
constexpr const char* kUnitColumns =
    "unit_id, name, kind, supervisor_unit_id, contact, create_time, update_time";

v1::Cluster ClusterFromRow(SQLite::Statement& q) {
  v1::Cluster c;
  c.set_cluster_id(q.getColumn(0).getString());
  c.set_name(q.getColumn(1).getString());
  c.set_liaison_leader_unit_id(q.getColumn(2).getString());
  c.set_lead_department_unit_id(q.getColumn(3).getString());
  c.set_description(q.getColumn(4).getString());
  SetTime(c.mutable_create_time(), q.getColumn(5).getString());
  SetTime(c.mutable_update_time(), q.getColumn(6).getString());
  return c;
}
constexpr const char* kClusterColumns =
    "cluster_id, name, liaison_leader_unit_id, lead_department_unit_id, description,"
    " create_time, update_time";

constexpr const char* kEnterpriseColumns =
    "credit_code, name, cluster_id, township_id, park, address, industry, key_enterprise,"
    " above_size, above_size_since, listing_stage, listing_stage_since, in_above_size_pool,"
    " above_size_pool_since, create_time, update_time, version";

v1::Enterprise EnterpriseFromRow(SQLite::Statement& q) {
  v1::Enterprise e;
  e.set_credit_code(q.getColumn(0).getString());
  e.set_name(q.getColumn(1).getString());
  e.set_cluster_id(q.getColumn(2).getString());
  e.set_township_id(q.getColumn(3).getString());
  e.set_park(q.getColumn(4).getString());
  e.set_address(q.getColumn(5).getString());
  e.set_industry(q.getColumn(6).getString());
  e.set_key_enterprise(q.getColumn(7).getInt() != 0);
  e.set_above_size(q.getColumn(8).getInt() != 0);
  e.set_above_size_since(q.getColumn(9).getString());
  e.set_listing_stage(static_cast<v1::ListingStage>(q.getColumn(10).getInt()));
  e.set_listing_stage_since(q.getColumn(11).getString());
  e.set_in_above_size_pool(q.getColumn(12).getInt() != 0);
  e.set_above_size_pool_since(q.getColumn(13).getString());
  SetTime(e.mutable_create_time(), q.getColumn(14).getString());
  SetTime(e.mutable_update_time(), q.getColumn(15).getString());
  e.set_etag(absl::StrCat("v", q.getColumn(16).getInt64()));
  return e;
}

constexpr const char* kAwardColumns =
    "award_id, tier, level, awarded_on, evidence, revoked_on, revoke_reason, awarded_by,"
    " revoked_by, credit_code";

v1::TierAward AwardFromRow(SQLite::Statement& q) {
  v1::TierAward a;
  a.set_award_id(q.getColumn(0).getString());
  a.set_tier(static_cast<v1::Tier>(q.getColumn(1).getInt()));
  a.set_level(static_cast<v1::Level>(q.getColumn(2).getInt()));
  a.set_awarded_on(q.getColumn(3).getString());
  a.set_evidence(q.getColumn(4).getString());
  a.set_revoked_on(q.getColumn(5).getString());
  a.set_revoke_reason(q.getColumn(6).getString());
  a.set_awarded_by(q.getColumn(7).getString());
  a.set_revoked_by(q.getColumn(8).getString());
  return a;
}

// Binds the enterprise's stored columns as ?1..?16 (version excluded).
void BindEnterprise(SQLite::Statement& s, const v1::Enterprise& e) {
  s.bind(1, e.credit_code());
  s.bind(2, e.name());
  s.bind(3, e.cluster_id());
  s.bind(4, e.township_id());
  s.bind(5, e.park());
  s.bind(6, e.address());
  s.bind(7, e.industry());
  s.bind(8, e.key_enterprise() ? 1 : 0);
  s.bind(9, e.above_size() ? 1 : 0);
  s.bind(10, e.above_size_since());
  s.bind(11, static_cast<int>(e.listing_stage()));
  s.bind(12, e.listing_stage_since());
  s.bind(13, e.in_above_size_pool() ? 1 : 0);
  s.bind(14, e.above_size_pool_since());
  s.bind(15, TimeText(e.create_time()));
  s.bind(16, TimeText(e.update_time()));
}

}  // namespace

std::optional<v1::Unit> FindUnit(SQLite::Database& db, const std::string& unit_id) {
  CachedStatement q(db, absl::StrCat("SELECT ", kUnitColumns, " FROM units WHERE unit_id=?"));
  q.bind(1, unit_id);
  if (!q.executeStep()) return std::nullopt;
  return UnitFromRow(q);
}

void InsertUnit(SQLite::Database& db, const v1::Unit& u) {
  CachedStatement s(db,
                    absl::StrCat("INSERT INTO units(", kUnitColumns, ") VALUES(?,?,?,?,?,?,?)"));
  s.bind(1, u.unit_id());
  s.bind(2, u.name());
  s.bind(3, static_cast<int>(u.kind()));
  s.bind(4, u.supervisor_unit_id());
  s.bind(5, u.contact());
  s.bind(6, TimeText(u.create_time()));
  s.bind(7, TimeText(u.update_time()));
  s.exec();
}

void UpdateUnit(SQLite::Database& db, const v1::Unit& u) {
  CachedStatement s(db,
                    "UPDATE units SET name=?, kind=?, supervisor_unit_id=?, contact=?,"
                    " update_time=? WHERE unit_id=?");
  s.bind(1, u.name());
  s.bind(2, static_cast<int>(u.kind()));
  s.bind(3, u.supervisor_unit_id());
  s.bind(4, u.contact());
  s.bind(5, TimeText(u.update_time()));
  s.bind(6, u.unit_id());
  s.exec();
}

std::vector<v1::Unit> ListUnits(SQLite::Database& db, v1::UnitKind kind,
                                const std::string& after_id, int limit) {
  CachedStatement q(db, absl::StrCat("SELECT ", kUnitColumns,
                                     " FROM units WHERE unit_id > ? AND (?=0 OR kind=?)"
                                     " ORDER BY unit_id LIMIT ?"));
  q.bind(1, after_id);
  q.bind(2, static_cast<int>(kind));
  q.bind(3, static_cast<int>(kind));
  q.bind(4, limit);
  std::vector<v1::Unit> out;
  while (q.executeStep()) out.push_back(UnitFromRow(q));
  return out;
}

std::optional<v1::Cluster> FindCluster(SQLite::Database& db, const std::string& cluster_id) {
  CachedStatement q(db,
                    absl::StrCat("SELECT ", kClusterColumns, " FROM clusters WHERE cluster_id=?"));
  q.bind(1, cluster_id);
  if (!q.executeStep()) return std::nullopt;
  return ClusterFromRow(q);
}

void InsertCluster(SQLite::Database& db, const v1::Cluster& c) {
  CachedStatement s(
      db, absl::StrCat("INSERT INTO clusters(", kClusterColumns, ") VALUES(?,?,?,?,?,?,?)"));
  s.bind(1, c.cluster_id());
  s.bind(2, c.name());
  s.bind(3, c.liaison_leader_unit_id());
  s.bind(4, c.lead_department_unit_id());
  s.bind(5, c.description());
  s.bind(6, TimeText(c.create_time()));
  s.bind(7, TimeText(c.update_time()));
  s.exec();
}

void UpdateCluster(SQLite::Database& db, const v1::Cluster& c) {
  CachedStatement s(db,
                    "UPDATE clusters SET name=?, liaison_leader_unit_id=?,"
                    " lead_department_unit_id=?, description=?, update_time=?"
                    " WHERE cluster_id=?");
  s.bind(1, c.name());
  s.bind(2, c.liaison_leader_unit_id());
  s.bind(3, c.lead_department_unit_id());
  s.bind(4, c.description());
  s.bind(5, TimeText(c.update_time()));
  s.bind(6, c.cluster_id());
  s.exec();
}

std::vector<v1::Cluster> ListClusters(SQLite::Database& db, const std::string& after_id,
                                      int limit) {
  CachedStatement q(db, absl::StrCat("SELECT ", kClusterColumns,
                                     " FROM clusters WHERE cluster_id > ?"
                                     " ORDER BY cluster_id LIMIT ?"));
  q.bind(1, after_id);
  q.bind(2, limit);
  std::vector<v1::Cluster> out;
  while (q.executeStep()) out.push_back(ClusterFromRow(q));
  return out;
}

std::optional<v1::Enterprise> FindEnterprise(SQLite::Database& db,
                                             const std::string& credit_code) {
  CachedStatement q(
      db, absl::StrCat("SELECT ", kEnterpriseColumns, " FROM enterprises WHERE credit_code=?"));
  q.bind(1, credit_code);
  if (!q.executeStep()) return std::nullopt;
  v1::Enterprise e = EnterpriseFromRow(q);
  for (v1::TierAward& a : ListAwards(db, credit_code, false)) {
    *e.add_active_tiers() = std::move(a);
  }
  return e;
}

void InsertEnterprise(SQLite::Database& db, const v1::Enterprise& e) {
  CachedStatement s(
      db,
      "INSERT INTO enterprises(credit_code, name, cluster_id, township_id, park, address,"
      " industry, key_enterprise, above_size, above_size_since, listing_stage,"
      " listing_stage_since, in_above_size_pool, above_size_pool_since, create_time,"
      " update_time) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BindEnterprise(s, e);
  s.exec();
}

void UpdateEnterprise(SQLite::Database& db, const v1::Enterprise& e) {
  CachedStatement s(
      db,
      "UPDATE enterprises SET name=?2, cluster_id=?3, township_id=?4, park=?5,"
      " address=?6, industry=?7, key_enterprise=?8, above_size=?9, above_size_since=?10,"
      " listing_stage=?11, listing_stage_since=?12, in_above_size_pool=?13,"
      " above_size_pool_since=?14, create_time=?15, update_time=?16,"
      " version=version+1 WHERE credit_code=?1");
  BindEnterprise(s, e);
  s.exec();
}

std::vector<v1::Enterprise> ListEnterprises(SQLite::Database& db, const EnterpriseFilter& f,
                                            const std::string& after_code, int limit) {
  std::string sql = absl::StrCat("SELECT ", kEnterpriseColumns,
                                 " FROM enterprises e WHERE credit_code > ?1");
  if (!f.cluster_id.empty()) sql += " AND cluster_id = ?2";
  if (!f.township_id.empty()) sql += " AND township_id = ?3";
  if (f.tier != v1::TIER_UNSPECIFIED) {
    sql += " AND EXISTS (SELECT 1 FROM tier_awards t WHERE t.credit_code = e.credit_code"
           " AND t.tier = ?4 AND t.revoked_on = '')";
  }
  if (f.pool == v1::POOL_LISTING_RESERVE) sql += " AND listing_stage != 0";
  if (f.pool == v1::POOL_ABOVE_SIZE_CULTIVATION) sql += " AND in_above_size_pool = 1";
  if (f.key_enterprise.has_value()) sql += " AND key_enterprise = ?5";
  if (f.above_size.has_value()) sql += " AND above_size = ?6";
  if (!f.query.empty()) {
    sql += " AND (instr(name, ?8) > 0 OR substr(credit_code, 1, length(?8)) = upper(?8))";
  }
  sql += " ORDER BY credit_code LIMIT ?7";
  CachedStatement q(db, sql);
  q.bind(1, after_code);
  if (!f.cluster_id.empty()) q.bind(2, f.cluster_id);
  if (!f.township_id.empty()) q.bind(3, f.township_id);
  if (f.tier != v1::TIER_UNSPECIFIED) q.bind(4, static_cast<int>(f.tier));
  if (f.key_enterprise.has_value()) q.bind(5, *f.key_enterprise ? 1 : 0);
  if (f.above_size.has_value()) q.bind(6, *f.above_size ? 1 : 0);
  q.bind(7, limit);
  if (!f.query.empty()) q.bind(8, f.query);
  std::vector<v1::Enterprise> out;
  while (q.executeStep()) out.push_back(EnterpriseFromRow(q));
  if (out.empty()) return out;

  // Active tiers of the whole page in one query.
  std::string placeholders;
  for (size_t k = 0; k < out.size(); ++k) placeholders += k == 0 ? "?" : ",?";
  CachedStatement tiers(db, absl::StrCat("SELECT ", kAwardColumns,
                                         " FROM tier_awards WHERE revoked_on = ''"
                                         " AND credit_code IN (",
                                         placeholders,
                                         ")"
                                         " ORDER BY credit_code, awarded_on, award_id"));
  for (size_t k = 0; k < out.size(); ++k) tiers.bind(static_cast<int>(k + 1), out[k].credit_code());
  size_t i = 0;
  while (tiers.executeStep()) {
    const std::string code = tiers.getColumn(9).getString();
    while (i < out.size() && out[i].credit_code() < code) ++i;
    if (i < out.size() && out[i].credit_code() == code) {
      *out[i].add_active_tiers() = AwardFromRow(tiers);
    }
  }
  return out;
}

void InsertAward(SQLite::Database& db, const std::string& credit_code,
                 const v1::TierAward& a, absl::Time now) {
  CachedStatement s(db,
                    "INSERT INTO tier_awards(award_id, credit_code, tier, level, awarded_on,"
                    " evidence, awarded_by, record_time) VALUES(?,?,?,?,?,?,?,?)");
  s.bind(1, a.award_id());
  s.bind(2, credit_code);
  s.bind(3, static_cast<int>(a.tier()));
  s.bind(4, static_cast<int>(a.level()));
  s.bind(5, a.awarded_on());
  s.bind(6, a.evidence());
  s.bind(7, a.awarded_by());
  s.bind(8, FormatRfc3339(now));
  s.exec();
}

std::optional<v1::TierAward> FindAward(SQLite::Database& db, const std::string& credit_code,
                                       const std::string& award_id) {
  CachedStatement q(db, absl::StrCat("SELECT ", kAwardColumns,
                                     " FROM tier_awards WHERE credit_code=? AND award_id=?"));
  q.bind(1, credit_code);
  q.bind(2, award_id);
  if (!q.executeStep()) return std::nullopt;
  return AwardFromRow(q);
}

void SaveRevocation(SQLite::Database& db, const v1::TierAward& a) {
  CachedStatement s(db,
                    "UPDATE tier_awards SET revoked_on=?, revoke_reason=?, revoked_by=?"
                    " WHERE award_id=?");
  s.bind(1, a.revoked_on());
  s.bind(2, a.revoke_reason());
  s.bind(3, a.revoked_by());
  s.bind(4, a.award_id());
  s.exec();
}

std::vector<v1::TierAward> ListAwards(SQLite::Database& db, const std::string& credit_code,
                                      bool include_revoked) {
  CachedStatement q(db, absl::StrCat("SELECT ", kAwardColumns,
                                     " FROM tier_awards WHERE credit_code=?"
                                     " AND (? OR revoked_on='')"
                                     " ORDER BY awarded_on, record_time, award_id"));
  q.bind(1, credit_code);
  q.bind(2, include_revoked ? 1 : 0);
  std::vector<v1::TierAward> out;
  while (q.executeStep()) out.push_back(AwardFromRow(q));
  return out;
}

void AppendPoolHistory(SQLite::Database& db, const std::string& credit_code,
                       const v1::PoolHistoryEntry& e) {
  CachedStatement s(db,
                    "INSERT INTO pool_history(credit_code, pool, action, stage, date, note,"
                    " actor, record_time) VALUES(?,?,?,?,?,?,?,?)");
  s.bind(1, credit_code);
  s.bind(2, static_cast<int>(e.pool()));
  s.bind(3, static_cast<int>(e.action()));
  s.bind(4, static_cast<int>(e.stage()));
  s.bind(5, e.date());
  s.bind(6, e.note());
  s.bind(7, e.actor());
  s.bind(8, TimeText(e.record_time()));
  s.exec();
}

std::vector<v1::PoolHistoryEntry> ListPoolHistory(SQLite::Database& db,
                                                  const std::string& credit_code) {
  CachedStatement q(db,
                    "SELECT pool, action, stage, date, note, actor, record_time"
                    " FROM pool_history WHERE credit_code=? ORDER BY seq");
  q.bind(1, credit_code);
  std::vector<v1::PoolHistoryEntry> out;
  while (q.executeStep()) {
    v1::PoolHistoryEntry e;
    e.set_pool(static_cast<v1::Pool>(q.getColumn(0).getInt()));
    e.set_action(static_cast<v1::PoolHistoryEntry::Action>(q.getColumn(1).getInt()));
    e.set_stage(static_cast<v1::ListingStage>(q.getColumn(2).getInt()));
    e.set_date(q.getColumn(3).getString());
    e.set_note(q.getColumn(4).getString());
    e.set_actor(q.getColumn(5).getString());
    SetTime(e.mutable_record_time(), q.getColumn(6).getString());
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace uplift::registry::store

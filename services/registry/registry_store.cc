// SQL of the registry.
#include "services/registry/registry_store.h"

#include "absl/strings/str_cat.h"
#include "common/sql/query.h"
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

v1::Unit UnitFromRow(sql::Query& q) {
  v1::Unit u;
  u.set_unit_id(q.Text(0));
  u.set_name(q.Text(1));
  u.set_kind(static_cast<v1::UnitKind>(q.Int(2)));
  u.set_supervisor_unit_id(q.Text(3));
  u.set_contact(q.Text(4));
  SetTime(u.mutable_create_time(), q.Text(5));
  SetTime(u.mutable_update_time(), q.Text(6));
  return u;
}
constexpr const char* kUnitColumns =
    "unit_id, name, kind, supervisor_unit_id, contact, create_time, update_time";

v1::Cluster ClusterFromRow(sql::Query& q) {
  v1::Cluster c;
  c.set_cluster_id(q.Text(0));
  c.set_name(q.Text(1));
  c.set_liaison_leader_unit_id(q.Text(2));
  c.set_lead_department_unit_id(q.Text(3));
  c.set_description(q.Text(4));
  SetTime(c.mutable_create_time(), q.Text(5));
  SetTime(c.mutable_update_time(), q.Text(6));
  return c;
}
constexpr const char* kClusterColumns =
    "cluster_id, name, liaison_leader_unit_id, lead_department_unit_id, description,"
    " create_time, update_time";

constexpr const char* kEnterpriseColumns =
    "credit_code, name, cluster_id, township_id, park, address, industry, key_enterprise,"
    " above_size, above_size_since, listing_stage, listing_stage_since, in_above_size_pool,"
    " above_size_pool_since, create_time, update_time, version";

v1::Enterprise EnterpriseFromRow(sql::Query& q) {
  v1::Enterprise e;
  e.set_credit_code(q.Text(0));
  e.set_name(q.Text(1));
  e.set_cluster_id(q.Text(2));
  e.set_township_id(q.Text(3));
  e.set_park(q.Text(4));
  e.set_address(q.Text(5));
  e.set_industry(q.Text(6));
  e.set_key_enterprise(q.Int(7) != 0);
  e.set_above_size(q.Int(8) != 0);
  e.set_above_size_since(q.Text(9));
  e.set_listing_stage(static_cast<v1::ListingStage>(q.Int(10)));
  e.set_listing_stage_since(q.Text(11));
  e.set_in_above_size_pool(q.Int(12) != 0);
  e.set_above_size_pool_since(q.Text(13));
  SetTime(e.mutable_create_time(), q.Text(14));
  SetTime(e.mutable_update_time(), q.Text(15));
  e.set_etag(absl::StrCat("v", q.Int64(16)));
  return e;
}

constexpr const char* kAwardColumns =
    "award_id, tier, level, awarded_on, evidence, revoked_on, revoke_reason, awarded_by,"
    " revoked_by, credit_code";

v1::TierAward AwardFromRow(sql::Query& q) {
  v1::TierAward a;
  a.set_award_id(q.Text(0));
  a.set_tier(static_cast<v1::Tier>(q.Int(1)));
  a.set_level(static_cast<v1::Level>(q.Int(2)));
  a.set_awarded_on(q.Text(3));
  a.set_evidence(q.Text(4));
  a.set_revoked_on(q.Text(5));
  a.set_revoke_reason(q.Text(6));
  a.set_awarded_by(q.Text(7));
  a.set_revoked_by(q.Text(8));
  return a;
}

// Binds the enterprise's stored columns as ?1..?16 (version excluded).
void BindEnterprise(sql::Query& s, const v1::Enterprise& e) {
  s.Bind(1, e.credit_code());
  s.Bind(2, e.name());
  s.Bind(3, e.cluster_id());
  s.Bind(4, e.township_id());
  s.Bind(5, e.park());
  s.Bind(6, e.address());
  s.Bind(7, e.industry());
  s.Bind(8, e.key_enterprise() ? 1 : 0);
  s.Bind(9, e.above_size() ? 1 : 0);
  s.Bind(10, e.above_size_since());
  s.Bind(11, static_cast<int>(e.listing_stage()));
  s.Bind(12, e.listing_stage_since());
  s.Bind(13, e.in_above_size_pool() ? 1 : 0);
  s.Bind(14, e.above_size_pool_since());
  s.Bind(15, TimeText(e.create_time()));
  s.Bind(16, TimeText(e.update_time()));
}

}  // namespace

std::optional<v1::Unit> FindUnit(sql::Connection& db, const std::string& unit_id) {
  sql::Query q(db, absl::StrCat("SELECT ", kUnitColumns, " FROM units WHERE unit_id=?"));
  q.Bind(1, unit_id);
  if (!q.Step()) return std::nullopt;
  return UnitFromRow(q);
}

void InsertUnit(sql::Connection& db, const v1::Unit& u) {
  sql::Query s(db, absl::StrCat("INSERT INTO units(", kUnitColumns, ") VALUES(?,?,?,?,?,?,?)"));
  s.Bind(1, u.unit_id());
  s.Bind(2, u.name());
  s.Bind(3, static_cast<int>(u.kind()));
  s.Bind(4, u.supervisor_unit_id());
  s.Bind(5, u.contact());
  s.Bind(6, TimeText(u.create_time()));
  s.Bind(7, TimeText(u.update_time()));
  s.Exec();
}

void UpdateUnit(sql::Connection& db, const v1::Unit& u) {
  sql::Query s(db,
               "UPDATE units SET name=?, kind=?, supervisor_unit_id=?, contact=?,"
               " update_time=? WHERE unit_id=?");
  s.Bind(1, u.name());
  s.Bind(2, static_cast<int>(u.kind()));
  s.Bind(3, u.supervisor_unit_id());
  s.Bind(4, u.contact());
  s.Bind(5, TimeText(u.update_time()));
  s.Bind(6, u.unit_id());
  s.Exec();
}

std::vector<v1::Unit> ListUnits(sql::Connection& db, v1::UnitKind kind, const std::string& after_id,
                                int limit) {
  sql::Query q(db, absl::StrCat("SELECT ", kUnitColumns,
                                " FROM units WHERE unit_id > ? AND (?=0 OR kind=?)"
                                " ORDER BY unit_id LIMIT ?"));
  q.Bind(1, after_id);
  q.Bind(2, static_cast<int>(kind));
  q.Bind(3, static_cast<int>(kind));
  q.Bind(4, limit);
  std::vector<v1::Unit> out;
  while (q.Step()) out.push_back(UnitFromRow(q));
  return out;
}

std::optional<v1::Cluster> FindCluster(sql::Connection& db, const std::string& cluster_id) {
  sql::Query q(db, absl::StrCat("SELECT ", kClusterColumns, " FROM clusters WHERE cluster_id=?"));
  q.Bind(1, cluster_id);
  if (!q.Step()) return std::nullopt;
  return ClusterFromRow(q);
}

void InsertCluster(sql::Connection& db, const v1::Cluster& c) {
  sql::Query s(db,
               absl::StrCat("INSERT INTO clusters(", kClusterColumns, ") VALUES(?,?,?,?,?,?,?)"));
  s.Bind(1, c.cluster_id());
  s.Bind(2, c.name());
  s.Bind(3, c.liaison_leader_unit_id());
  s.Bind(4, c.lead_department_unit_id());
  s.Bind(5, c.description());
  s.Bind(6, TimeText(c.create_time()));
  s.Bind(7, TimeText(c.update_time()));
  s.Exec();
}

void UpdateCluster(sql::Connection& db, const v1::Cluster& c) {
  sql::Query s(db,
               "UPDATE clusters SET name=?, liaison_leader_unit_id=?,"
               " lead_department_unit_id=?, description=?, update_time=?"
               " WHERE cluster_id=?");
  s.Bind(1, c.name());
  s.Bind(2, c.liaison_leader_unit_id());
  s.Bind(3, c.lead_department_unit_id());
  s.Bind(4, c.description());
  s.Bind(5, TimeText(c.update_time()));
  s.Bind(6, c.cluster_id());
  s.Exec();
}

std::vector<v1::Cluster> ListClusters(sql::Connection& db, const std::string& after_id, int limit) {
  sql::Query q(db, absl::StrCat("SELECT ", kClusterColumns,
                                " FROM clusters WHERE cluster_id > ?"
                                " ORDER BY cluster_id LIMIT ?"));
  q.Bind(1, after_id);
  q.Bind(2, limit);
  std::vector<v1::Cluster> out;
  while (q.Step()) out.push_back(ClusterFromRow(q));
  return out;
}

int64_t EnterpriseVersion(sql::Connection& db, const std::string& credit_code) {
  sql::Query q(db, "SELECT version FROM enterprise_versions WHERE credit_code=?");
  q.Bind(1, credit_code);
  return q.Step() ? q.Int64(0) : 0;
}

void BumpEnterpriseVersion(sql::Connection& db, const std::string& credit_code) {
  sql::Query q(db,
               "INSERT INTO enterprise_versions(credit_code, version) VALUES(?, 1)"
               " ON CONFLICT(credit_code) DO UPDATE SET version=enterprise_versions.version+1");
  q.Bind(1, credit_code);
  q.Exec();
}

std::optional<v1::Enterprise> FindEnterprise(sql::Connection& db, const std::string& credit_code) {
  sql::Query q(
      db, absl::StrCat("SELECT ", kEnterpriseColumns, " FROM enterprises WHERE credit_code=?"));
  q.Bind(1, credit_code);
  if (!q.Step()) return std::nullopt;
  v1::Enterprise e = EnterpriseFromRow(q);
  for (v1::TierAward& a : ListAwards(db, credit_code, false)) {
    *e.add_active_tiers() = std::move(a);
  }
  return e;
}

void InsertEnterprise(sql::Connection& db, const v1::Enterprise& e) {
  sql::Query s(db,
               "INSERT INTO enterprises(credit_code, name, cluster_id, township_id, park, address,"
               " industry, key_enterprise, above_size, above_size_since, listing_stage,"
               " listing_stage_since, in_above_size_pool, above_size_pool_since, create_time,"
               " update_time) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BindEnterprise(s, e);
  s.Exec();
}

void UpdateEnterprise(sql::Connection& db, const v1::Enterprise& e) {
  sql::Query s(db,
               "UPDATE enterprises SET name=?2, cluster_id=?3, township_id=?4, park=?5,"
               " address=?6, industry=?7, key_enterprise=?8, above_size=?9, above_size_since=?10,"
               " listing_stage=?11, listing_stage_since=?12, in_above_size_pool=?13,"
               " above_size_pool_since=?14, create_time=?15, update_time=?16,"
               " version=version+1 WHERE credit_code=?1");
  BindEnterprise(s, e);
  s.Exec();
  BumpEnterpriseVersion(db, e.credit_code());
}

std::vector<v1::Enterprise> ListEnterprises(sql::Connection& db, const EnterpriseFilter& f,
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
  sql::Query q(db, sql);
  q.Bind(1, after_code);
  if (!f.cluster_id.empty()) q.Bind(2, f.cluster_id);
  if (!f.township_id.empty()) q.Bind(3, f.township_id);
  if (f.tier != v1::TIER_UNSPECIFIED) q.Bind(4, static_cast<int>(f.tier));
  if (f.key_enterprise.has_value()) q.Bind(5, *f.key_enterprise ? 1 : 0);
  if (f.above_size.has_value()) q.Bind(6, *f.above_size ? 1 : 0);
  q.Bind(7, limit);
  if (!f.query.empty()) q.Bind(8, f.query);
  std::vector<v1::Enterprise> out;
  while (q.Step()) out.push_back(EnterpriseFromRow(q));
  if (out.empty()) return out;

  // Active tiers of the whole page in one query.
  std::string placeholders;
  for (size_t k = 0; k < out.size(); ++k) placeholders += k == 0 ? "?" : ",?";
  sql::Query tiers(db, absl::StrCat("SELECT ", kAwardColumns,
                                    " FROM tier_awards WHERE revoked_on = ''"
                                    " AND credit_code IN (",
                                    placeholders,
                                    ")"
                                    " ORDER BY credit_code, awarded_on, award_id"));
  for (size_t k = 0; k < out.size(); ++k) tiers.Bind(static_cast<int>(k + 1), out[k].credit_code());
  size_t i = 0;
  while (tiers.Step()) {
    const std::string code = tiers.Text(9);
    while (i < out.size() && out[i].credit_code() < code) ++i;
    if (i < out.size() && out[i].credit_code() == code) {
      *out[i].add_active_tiers() = AwardFromRow(tiers);
    }
  }
  return out;
}

void InsertAward(sql::Connection& db, const std::string& credit_code, const v1::TierAward& a,
                 absl::Time now) {
  sql::Query s(db,
               "INSERT INTO tier_awards(award_id, credit_code, tier, level, awarded_on,"
               " evidence, awarded_by, record_time) VALUES(?,?,?,?,?,?,?,?)");
  s.Bind(1, a.award_id());
  s.Bind(2, credit_code);
  s.Bind(3, static_cast<int>(a.tier()));
  s.Bind(4, static_cast<int>(a.level()));
  s.Bind(5, a.awarded_on());
  s.Bind(6, a.evidence());
  s.Bind(7, a.awarded_by());
  s.Bind(8, FormatRfc3339(now));
  s.Exec();
  BumpEnterpriseVersion(db, credit_code);  // its active tiers changed
}

std::optional<v1::TierAward> FindAward(sql::Connection& db, const std::string& credit_code,
                                       const std::string& award_id) {
  sql::Query q(db, absl::StrCat("SELECT ", kAwardColumns,
                                " FROM tier_awards WHERE credit_code=? AND award_id=?"));
  q.Bind(1, credit_code);
  q.Bind(2, award_id);
  if (!q.Step()) return std::nullopt;
  return AwardFromRow(q);
}

void SaveRevocation(sql::Connection& db, const v1::TierAward& a) {
  sql::Query s(db,
               "UPDATE tier_awards SET revoked_on=?, revoke_reason=?, revoked_by=?"
               " WHERE award_id=?");
  s.Bind(1, a.revoked_on());
  s.Bind(2, a.revoke_reason());
  s.Bind(3, a.revoked_by());
  s.Bind(4, a.award_id());
  s.Exec();
  sql::Query owner(db, "SELECT credit_code FROM tier_awards WHERE award_id=?");
  owner.Bind(1, a.award_id());
  if (owner.Step()) BumpEnterpriseVersion(db, owner.Text(0));  // its active tiers changed
}

std::vector<v1::TierAward> ListAwards(sql::Connection& db, const std::string& credit_code,
                                      bool include_revoked) {
  sql::Query q(db, absl::StrCat("SELECT ", kAwardColumns,
                                " FROM tier_awards WHERE credit_code=?"
                                " AND (? OR revoked_on='')"
                                " ORDER BY awarded_on, record_time, award_id"));
  q.Bind(1, credit_code);
  q.Bind(2, include_revoked ? 1 : 0);
  std::vector<v1::TierAward> out;
  while (q.Step()) out.push_back(AwardFromRow(q));
  return out;
}

void AppendPoolHistory(sql::Connection& db, const std::string& credit_code,
                       const v1::PoolHistoryEntry& e) {
  sql::Query s(db,
               "INSERT INTO pool_history(credit_code, pool, action, stage, date, note,"
               " actor, record_time) VALUES(?,?,?,?,?,?,?,?)");
  s.Bind(1, credit_code);
  s.Bind(2, static_cast<int>(e.pool()));
  s.Bind(3, static_cast<int>(e.action()));
  s.Bind(4, static_cast<int>(e.stage()));
  s.Bind(5, e.date());
  s.Bind(6, e.note());
  s.Bind(7, e.actor());
  s.Bind(8, TimeText(e.record_time()));
  s.Exec();
}

std::vector<v1::PoolHistoryEntry> ListPoolHistory(sql::Connection& db,
                                                  const std::string& credit_code) {
  sql::Query q(db,
               "SELECT pool, action, stage, date, note, actor, record_time"
               " FROM pool_history WHERE credit_code=? ORDER BY seq");
  q.Bind(1, credit_code);
  std::vector<v1::PoolHistoryEntry> out;
  while (q.Step()) {
    v1::PoolHistoryEntry e;
    e.set_pool(static_cast<v1::Pool>(q.Int(0)));
    e.set_action(static_cast<v1::PoolHistoryEntry::Action>(q.Int(1)));
    e.set_stage(static_cast<v1::ListingStage>(q.Int(2)));
    e.set_date(q.Text(3));
    e.set_note(q.Text(4));
    e.set_actor(q.Text(5));
    SetTime(e.mutable_record_time(), q.Text(6));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace uplift::registry::store

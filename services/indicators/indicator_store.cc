// SQL of the indicator service.
#include "services/indicators/indicator_store.h"

#include "absl/strings/str_cat.h"
#include "common/statement_cache.h"

namespace uplift::indicators::store {
namespace {

constexpr char kReportColumns[] =
    "credit_code, period, revenue_fen, output_value_fen, tax_fen, rnd_fen, employees, "
    "land_centi_mu, submitted_by, submit_time, seq";

ReportRow ReadReport(SQLite::Statement& q) {
  ReportRow r;
  r.credit_code = q.getColumn(0).getString();
  r.period = q.getColumn(1).getInt();
  r.figures.revenue_fen = q.getColumn(2).getInt64();
  r.figures.output_value_fen = q.getColumn(3).getInt64();
  r.figures.tax_fen = q.getColumn(4).getInt64();
  r.figures.rnd_fen = q.getColumn(5).getInt64();
  r.figures.employees = q.getColumn(6).getInt64();
  r.figures.land_centi_mu = q.getColumn(7).getInt64();
  r.submitted_by = q.getColumn(8).getString();
  r.submit_time_us = q.getColumn(9).getInt64();
  r.seq = q.getColumn(10).getInt64();
  return r;
}

template <typename Row>
void ForEachSince(SQLite::Database& db, const std::string& sql, int64_t after,
                  Row (*read)(SQLite::Statement&), const std::function<void(const Row&)>& fn) {
  CachedStatement q(db, sql);
  q.bind(1, static_cast<int64_t>(after));
  while (q.executeStep()) fn(read(q));
}

EnterpriseRow ReadEnterprise(SQLite::Statement& q) {
  EnterpriseRow e;
  e.credit_code = q.getColumn(0).getString();
  e.name = q.getColumn(1).getString();
  e.cluster_id = q.getColumn(2).getString();
  e.township_id = q.getColumn(3).getString();
  e.key_enterprise = q.getColumn(4).getInt() != 0;
  e.above_size = q.getColumn(5).getInt() != 0;
  e.above_size_since = q.getColumn(6).getString();
  e.listing_stage = q.getColumn(7).getInt();
  e.in_above_size_pool = q.getColumn(8).getInt() != 0;
  e.seq = q.getColumn(9).getInt64();
  return e;
}

constexpr char kEnterpriseColumns[] =
    "credit_code, name, cluster_id, township_id, key_enterprise, above_size, above_size_since, "
    "listing_stage, in_above_size_pool, seq";

AwardRow ReadAward(SQLite::Statement& q) {
  AwardRow a;
  a.award_id = q.getColumn(0).getString();
  a.credit_code = q.getColumn(1).getString();
  a.tier = q.getColumn(2).getInt();
  a.level = q.getColumn(3).getInt();
  a.awarded_on = q.getColumn(4).getString();
  a.revoked_on = q.getColumn(5).getString();
  a.seq = q.getColumn(6).getInt64();
  return a;
}

UnitRow ReadUnit(SQLite::Statement& q) {
  return {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt(),
          q.getColumn(3).getInt64()};
}

ClusterRow ReadCluster(SQLite::Statement& q) {
  return {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
          q.getColumn(3).getString(), q.getColumn(4).getInt64()};
}

}  // namespace

SeqCounter::SeqCounter(SQLite::Database& tx) : tx_(tx) {
  value_ = start_ = tx.execAndGet("SELECT value FROM change_seq WHERE id = 1").getInt64();
}

void SeqCounter::Flush() {
  if (value_ == start_) return;
  CachedStatement u(tx_, "UPDATE change_seq SET value = ? WHERE id = 1");
  u.bind(1, static_cast<int64_t>(value_));
  u.exec();
  start_ = value_;
}

ReportWriter::ReportWriter(SQLite::Database& tx)
    : seq_(tx),
      select_(tx, absl::StrCat("SELECT ", kReportColumns,
                               " FROM reports WHERE credit_code = ? AND period = ?")),
      insert_(tx, absl::StrCat("INSERT OR REPLACE INTO reports (", kReportColumns,
                               ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {}

Upserted ReportWriter::Upsert(ReportRow& row, std::optional<ReportRow>* before) {
  select_.reset();
  select_.bind(1, row.credit_code);
  select_.bind(2, row.period);
  Upserted outcome = Upserted::kNew;
  if (select_.executeStep()) {
    ReportRow old = ReadReport(select_);
    if (old.figures == row.figures) return Upserted::kUnchanged;
    outcome = Upserted::kCorrected;
    if (before != nullptr) *before = std::move(old);
  }
  row.seq = seq_.Next();
  insert_.reset();
  insert_.bind(1, row.credit_code);
  insert_.bind(2, row.period);
  insert_.bind(3, static_cast<int64_t>(row.figures.revenue_fen));
  insert_.bind(4, static_cast<int64_t>(row.figures.output_value_fen));
  insert_.bind(5, static_cast<int64_t>(row.figures.tax_fen));
  insert_.bind(6, static_cast<int64_t>(row.figures.rnd_fen));
  insert_.bind(7, static_cast<int64_t>(row.figures.employees));
  insert_.bind(8, static_cast<int64_t>(row.figures.land_centi_mu));
  insert_.bind(9, row.submitted_by);
  insert_.bind(10, static_cast<int64_t>(row.submit_time_us));
  insert_.bind(11, static_cast<int64_t>(row.seq));
  insert_.exec();
  return outcome;
}

std::optional<ReportRow> GetReport(SQLite::Database& db, const std::string& credit_code,
                                   int period) {
  CachedStatement q(db, absl::StrCat("SELECT ", kReportColumns,
                                     " FROM reports WHERE credit_code = ? AND period = ?"));
  q.bind(1, credit_code);
  q.bind(2, period);
  if (!q.executeStep()) return std::nullopt;
  return ReadReport(q);
}

std::vector<ReportRow> ListReports(SQLite::Database& db, const std::string& credit_code, int from,
                                   int to) {
  CachedStatement q(db,
                    absl::StrCat("SELECT ", kReportColumns,
                                 " FROM reports WHERE credit_code = ? AND period BETWEEN ? AND ?"
                                 " ORDER BY period"));
  q.bind(1, credit_code);
  q.bind(2, from);
  q.bind(3, to);
  std::vector<ReportRow> out;
  while (q.executeStep()) out.push_back(ReadReport(q));
  return out;
}

void ForEachReportSince(SQLite::Database& db, int64_t after,
                        const std::function<void(const ReportRow&)>& fn) {
  ForEachSince<ReportRow>(
      db, absl::StrCat("SELECT ", kReportColumns, " FROM reports WHERE seq > ? ORDER BY seq"),
      after, &ReadReport, fn);
}

void SaveEnterprise(SQLite::Database& tx, EnterpriseRow e) {
  SeqCounter seq(tx);
  CachedStatement q(tx, absl::StrCat("INSERT OR REPLACE INTO enterprises (", kEnterpriseColumns,
                                     ") VALUES (?,?,?,?,?,?,?,?,?,?)"));
  q.bind(1, e.credit_code);
  q.bind(2, e.name);
  q.bind(3, e.cluster_id);
  q.bind(4, e.township_id);
  q.bind(5, e.key_enterprise ? 1 : 0);
  q.bind(6, e.above_size ? 1 : 0);
  q.bind(7, e.above_size_since);
  q.bind(8, e.listing_stage);
  q.bind(9, e.in_above_size_pool ? 1 : 0);
  q.bind(10, static_cast<int64_t>(seq.Next()));
  q.exec();
  seq.Flush();
}

std::optional<EnterpriseRow> GetEnterprise(SQLite::Database& db, const std::string& credit_code) {
  CachedStatement q(
      db, absl::StrCat("SELECT ", kEnterpriseColumns, " FROM enterprises WHERE credit_code = ?"));
  q.bind(1, credit_code);
  if (!q.executeStep()) return std::nullopt;
  return ReadEnterprise(q);
}

void SaveAward(SQLite::Database& tx, AwardRow a) {
  SeqCounter seq(tx);
  CachedStatement q(tx,
                    "INSERT OR REPLACE INTO tier_awards (award_id, credit_code, tier, level, "
                    "awarded_on, revoked_on, seq) VALUES (?,?,?,?,?,?,?)");
  q.bind(1, a.award_id);
  q.bind(2, a.credit_code);
  q.bind(3, a.tier);
  q.bind(4, a.level);
  q.bind(5, a.awarded_on);
  q.bind(6, a.revoked_on);
  q.bind(7, static_cast<int64_t>(seq.Next()));
  q.exec();
  seq.Flush();
}

void SaveUnit(SQLite::Database& tx, UnitRow u) {
  SeqCounter seq(tx);
  CachedStatement q(tx, "INSERT OR REPLACE INTO units (unit_id, name, kind, seq) VALUES (?,?,?,?)");
  q.bind(1, u.unit_id);
  q.bind(2, u.name);
  q.bind(3, u.kind);
  q.bind(4, static_cast<int64_t>(seq.Next()));
  q.exec();
  seq.Flush();
}

void SaveCluster(SQLite::Database& tx, ClusterRow c) {
  SeqCounter seq(tx);
  CachedStatement q(tx,
                    "INSERT OR REPLACE INTO clusters (cluster_id, name, liaison_leader_unit_id, "
                    "lead_department_unit_id, seq) VALUES (?,?,?,?,?)");
  q.bind(1, c.cluster_id);
  q.bind(2, c.name);
  q.bind(3, c.liaison_leader_unit_id);
  q.bind(4, c.lead_department_unit_id);
  q.bind(5, static_cast<int64_t>(seq.Next()));
  q.exec();
  seq.Flush();
}

void ForEachEnterpriseSince(SQLite::Database& db, int64_t after,
                            const std::function<void(const EnterpriseRow&)>& fn) {
  ForEachSince<EnterpriseRow>(
      db, absl::StrCat("SELECT ", kEnterpriseColumns, " FROM enterprises WHERE seq > ? ORDER BY seq"),
      after, &ReadEnterprise, fn);
}

void ForEachAwardSince(SQLite::Database& db, int64_t after,
                       const std::function<void(const AwardRow&)>& fn) {
  ForEachSince<AwardRow>(db,
                         "SELECT award_id, credit_code, tier, level, awarded_on, revoked_on, seq "
                         "FROM tier_awards WHERE seq > ? ORDER BY seq",
                         after, &ReadAward, fn);
}

void ForEachUnitSince(SQLite::Database& db, int64_t after,
                      const std::function<void(const UnitRow&)>& fn) {
  ForEachSince<UnitRow>(db, "SELECT unit_id, name, kind, seq FROM units WHERE seq > ? ORDER BY seq",
                        after, &ReadUnit, fn);
}

void ForEachClusterSince(SQLite::Database& db, int64_t after,
                         const std::function<void(const ClusterRow&)>& fn) {
  ForEachSince<ClusterRow>(db,
                           "SELECT cluster_id, name, liaison_leader_unit_id, "
                           "lead_department_unit_id, seq FROM clusters WHERE seq > ? ORDER BY seq",
                           after, &ReadCluster, fn);
}

void SavePlan(SQLite::Database& tx, const std::string& plan_id, int year,
              const std::string& content_hash) {
  CachedStatement q(tx,
                    "INSERT OR REPLACE INTO plans (plan_id, year, content_hash) VALUES (?,?,?)");
  q.bind(1, plan_id);
  q.bind(2, year);
  q.bind(3, content_hash);
  q.exec();
}

std::vector<PlanRow> ListPlans(SQLite::Database& db) {
  CachedStatement q(db, "SELECT plan_id, year FROM plans ORDER BY year, plan_id");
  std::vector<PlanRow> out;
  while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt()});
  return out;
}

void ReplaceUnitFigures(SQLite::Database& tx, const std::string& plan_id,
                        const std::string& task_id, const std::string& unit_id,
                        const std::string& period, const std::map<std::string, int64_t>& figures) {
  CachedStatement del(tx,
                      "DELETE FROM unit_figures WHERE plan_id = ? AND task_id = ? AND unit_id = ? "
                      "AND period = ?");
  del.bind(1, plan_id);
  del.bind(2, task_id);
  del.bind(3, unit_id);
  del.bind(4, period);
  del.exec();
  CachedStatement ins(tx,
                      "INSERT INTO unit_figures (plan_id, task_id, unit_id, period, target_id, "
                      "value) VALUES (?,?,?,?,?,?)");
  for (const auto& [target, value] : figures) {
    ins.reset();
    ins.bind(1, plan_id);
    ins.bind(2, task_id);
    ins.bind(3, unit_id);
    ins.bind(4, period);
    ins.bind(5, target);
    ins.bind(6, static_cast<int64_t>(value));
    ins.exec();
  }
}

std::map<std::string, int64_t> SumUnitFigures(SQLite::Database& db, const std::string& plan_id,
                                              int year, const std::string& through) {
  CachedStatement q(db,
                    "SELECT target_id, SUM(value) FROM unit_figures WHERE plan_id = ? "
                    "AND period >= ? AND period <= ? GROUP BY target_id");
  q.bind(1, plan_id);
  q.bind(2, absl::StrCat(year, "-01"));
  q.bind(3, through);
  std::map<std::string, int64_t> out;
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
  return out;
}

std::optional<v1::ClosePeriodResponse> GetClosedPeriod(SQLite::Database& db,
                                                       const std::string& plan_id,
                                                       const std::string& period) {
  CachedStatement q(db, "SELECT result FROM closed_periods WHERE plan_id = ? AND period = ?");
  q.bind(1, plan_id);
  q.bind(2, period);
  if (!q.executeStep()) return std::nullopt;
  v1::ClosePeriodResponse r;
  const SQLite::Column blob = q.getColumn(0);
  r.ParseFromArray(blob.getBlob(), blob.getBytes());
  return r;
}

void SaveClosedPeriod(SQLite::Database& tx, const std::string& plan_id, const std::string& period,
                      const v1::ClosePeriodResponse& result) {
  CachedStatement q(tx,
                    "INSERT INTO closed_periods (plan_id, period, close_time, result) "
                    "VALUES (?,?,?,?)");
  const std::string blob = result.SerializeAsString();
  q.bind(1, plan_id);
  q.bind(2, period);
  q.bind(3, static_cast<int64_t>(result.close_time().seconds()));
  q.bind(4, blob.data(), static_cast<int>(blob.size()));
  q.exec();
}

std::string PublishedFingerprint(SQLite::Database& db, const std::string& plan_id,
                                 const std::string& target_id) {
  CachedStatement q(
      db, "SELECT fingerprint FROM published_progress WHERE plan_id = ? AND target_id = ?");
  q.bind(1, plan_id);
  q.bind(2, target_id);
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

void SavePublishedFingerprint(SQLite::Database& tx, const std::string& plan_id,
                              const std::string& target_id, const std::string& fingerprint) {
  CachedStatement q(tx,
                    "INSERT OR REPLACE INTO published_progress (plan_id, target_id, fingerprint) "
                    "VALUES (?,?,?)");
  q.bind(1, plan_id);
  q.bind(2, target_id);
  q.bind(3, fingerprint);
  q.exec();
}

}  // namespace uplift::indicators::store

// SQL of the indicator service.
#include "services/indicators/indicator_store.h"

#include "absl/strings/str_cat.h"
#include "common/sql/dialect.h"
#include "common/sql/query.h"

namespace uplift::indicators::store {
namespace {

constexpr char kReportColumns[] =
    "credit_code, period, revenue_fen, output_value_fen, tax_fen, rnd_fen, employees, "
    "land_centi_mu, submitted_by, submit_time, seq";

ReportRow ReadReport(sql::Query& q) {
  ReportRow r;
  r.credit_code = q.Text(0);
  r.period = q.Int(1);
  r.figures.revenue_fen = q.Int64(2);
  r.figures.output_value_fen = q.Int64(3);
  r.figures.tax_fen = q.Int64(4);
  r.figures.rnd_fen = q.Int64(5);
  r.figures.employees = q.Int64(6);
  r.figures.land_centi_mu = q.Int64(7);
  r.submitted_by = q.Text(8);
  r.submit_time_us = q.Int64(9);
  r.seq = q.Int64(10);
  return r;
}

template <typename Row>
void ForEachSince(sql::Connection& db, const std::string& sql, int64_t after,
                  Row (*read)(sql::Query&), const std::function<void(const Row&)>& fn) {
  sql::Query q(db, sql);
  q.Bind(1, static_cast<int64_t>(after));
  while (q.Step()) fn(read(q));
}

EnterpriseRow ReadEnterprise(sql::Query& q) {
  EnterpriseRow e;
  e.credit_code = q.Text(0);
  e.name = q.Text(1);
  e.cluster_id = q.Text(2);
  e.township_id = q.Text(3);
  e.key_enterprise = q.Int(4) != 0;
  e.above_size = q.Int(5) != 0;
  e.above_size_since = q.Text(6);
  e.listing_stage = q.Int(7);
  e.in_above_size_pool = q.Int(8) != 0;
  e.seq = q.Int64(9);
  return e;
}

constexpr char kEnterpriseColumns[] =
    "credit_code, name, cluster_id, township_id, key_enterprise, above_size, above_size_since, "
    "listing_stage, in_above_size_pool, seq";

AwardRow ReadAward(sql::Query& q) {
  AwardRow a;
  a.award_id = q.Text(0);
  a.credit_code = q.Text(1);
  a.tier = q.Int(2);
  a.level = q.Int(3);
  a.awarded_on = q.Text(4);
  a.revoked_on = q.Text(5);
  a.seq = q.Int64(6);
  return a;
}

UnitRow ReadUnit(sql::Query& q) { return {q.Text(0), q.Text(1), q.Int(2), q.Int64(3)}; }

ClusterRow ReadCluster(sql::Query& q) {
  return {q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int64(4)};
}

}  // namespace

SeqCounter::SeqCounter(sql::Connection& tx) : tx_(tx) {
  value_ = start_ = sql::ScalarInt64(tx, "SELECT value FROM change_seq WHERE id = 1");
}

void SeqCounter::Flush() {
  if (value_ == start_) return;
  sql::Query u(tx_, "UPDATE change_seq SET value = ? WHERE id = 1");
  u.Bind(1, static_cast<int64_t>(value_));
  u.Exec();
  start_ = value_;
}

ReportWriter::ReportWriter(sql::Connection& tx)
    : seq_(tx),
      select_(tx, absl::StrCat("SELECT ", kReportColumns,
                               " FROM reports WHERE credit_code = ? AND period = ?")),
      insert_(tx, sql::UpsertSql("reports", kReportColumns, "credit_code, period")) {}

Upserted ReportWriter::Upsert(ReportRow& row, std::optional<ReportRow>* before) {
  select_.Reset();
  select_.Bind(1, row.credit_code);
  select_.Bind(2, row.period);
  Upserted outcome = Upserted::kNew;
  if (select_.Step()) {
    ReportRow old = ReadReport(select_);
    if (old.figures == row.figures) return Upserted::kUnchanged;
    outcome = Upserted::kCorrected;
    if (before != nullptr) *before = std::move(old);
  }
  row.seq = seq_.Next();
  insert_.Reset();
  insert_.Bind(1, row.credit_code);
  insert_.Bind(2, row.period);
  insert_.Bind(3, static_cast<int64_t>(row.figures.revenue_fen));
  insert_.Bind(4, static_cast<int64_t>(row.figures.output_value_fen));
  insert_.Bind(5, static_cast<int64_t>(row.figures.tax_fen));
  insert_.Bind(6, static_cast<int64_t>(row.figures.rnd_fen));
  insert_.Bind(7, static_cast<int64_t>(row.figures.employees));
  insert_.Bind(8, static_cast<int64_t>(row.figures.land_centi_mu));
  insert_.Bind(9, row.submitted_by);
  insert_.Bind(10, static_cast<int64_t>(row.submit_time_us));
  insert_.Bind(11, static_cast<int64_t>(row.seq));
  insert_.Exec();
  return outcome;
}

std::optional<ReportRow> GetReport(sql::Connection& db, const std::string& credit_code,
                                   int period) {
  sql::Query q(db, absl::StrCat("SELECT ", kReportColumns,
                                " FROM reports WHERE credit_code = ? AND period = ?"));
  q.Bind(1, credit_code);
  q.Bind(2, period);
  if (!q.Step()) return std::nullopt;
  return ReadReport(q);
}

std::vector<ReportRow> ListReports(sql::Connection& db, const std::string& credit_code, int from,
                                   int to) {
  sql::Query q(db, absl::StrCat("SELECT ", kReportColumns,
                                " FROM reports WHERE credit_code = ? AND period BETWEEN ? AND ?"
                                " ORDER BY period"));
  q.Bind(1, credit_code);
  q.Bind(2, from);
  q.Bind(3, to);
  std::vector<ReportRow> out;
  while (q.Step()) out.push_back(ReadReport(q));
  return out;
}

void ForEachReportSince(sql::Connection& db, int64_t after,
                        const std::function<void(const ReportRow&)>& fn) {
  ForEachSince<ReportRow>(
      db, absl::StrCat("SELECT ", kReportColumns, " FROM reports WHERE seq > ? ORDER BY seq"),
      after, &ReadReport, fn);
}

void SaveEnterprise(sql::Connection& tx, EnterpriseRow e) {
  SeqCounter seq(tx);
  sql::Query q(tx, sql::UpsertSql("enterprises", kEnterpriseColumns, "credit_code"));
  q.Bind(1, e.credit_code);
  q.Bind(2, e.name);
  q.Bind(3, e.cluster_id);
  q.Bind(4, e.township_id);
  q.Bind(5, e.key_enterprise ? 1 : 0);
  q.Bind(6, e.above_size ? 1 : 0);
  q.Bind(7, e.above_size_since);
  q.Bind(8, e.listing_stage);
  q.Bind(9, e.in_above_size_pool ? 1 : 0);
  q.Bind(10, static_cast<int64_t>(seq.Next()));
  q.Exec();
  seq.Flush();
}

std::optional<EnterpriseRow> GetEnterprise(sql::Connection& db, const std::string& credit_code) {
  sql::Query q(
      db, absl::StrCat("SELECT ", kEnterpriseColumns, " FROM enterprises WHERE credit_code = ?"));
  q.Bind(1, credit_code);
  if (!q.Step()) return std::nullopt;
  return ReadEnterprise(q);
}

void SaveAward(sql::Connection& tx, AwardRow a) {
  SeqCounter seq(tx);
  sql::Query q(tx, sql::UpsertSql("tier_awards",
                                  "award_id, credit_code, tier, level, awarded_on, revoked_on, seq",
                                  "award_id"));
  q.Bind(1, a.award_id);
  q.Bind(2, a.credit_code);
  q.Bind(3, a.tier);
  q.Bind(4, a.level);
  q.Bind(5, a.awarded_on);
  q.Bind(6, a.revoked_on);
  q.Bind(7, static_cast<int64_t>(seq.Next()));
  q.Exec();
  seq.Flush();
}

void SaveUnit(sql::Connection& tx, UnitRow u) {
  SeqCounter seq(tx);
  sql::Query q(tx, sql::UpsertSql("units", "unit_id, name, kind, seq", "unit_id"));
  q.Bind(1, u.unit_id);
  q.Bind(2, u.name);
  q.Bind(3, u.kind);
  q.Bind(4, static_cast<int64_t>(seq.Next()));
  q.Exec();
  seq.Flush();
}

void SaveCluster(sql::Connection& tx, ClusterRow c) {
  SeqCounter seq(tx);
  sql::Query q(tx, sql::UpsertSql("clusters",
                                  "cluster_id, name, liaison_leader_unit_id,"
                                  " lead_department_unit_id, seq",
                                  "cluster_id"));
  q.Bind(1, c.cluster_id);
  q.Bind(2, c.name);
  q.Bind(3, c.liaison_leader_unit_id);
  q.Bind(4, c.lead_department_unit_id);
  q.Bind(5, static_cast<int64_t>(seq.Next()));
  q.Exec();
  seq.Flush();
}

void ForEachEnterpriseSince(sql::Connection& db, int64_t after,
                            const std::function<void(const EnterpriseRow&)>& fn) {
  ForEachSince<EnterpriseRow>(
      db, absl::StrCat("SELECT ", kEnterpriseColumns, " FROM enterprises WHERE seq > ? ORDER BY seq"),
      after, &ReadEnterprise, fn);
}

void ForEachAwardSince(sql::Connection& db, int64_t after,
                       const std::function<void(const AwardRow&)>& fn) {
  ForEachSince<AwardRow>(db,
                         "SELECT award_id, credit_code, tier, level, awarded_on, revoked_on, seq "
                         "FROM tier_awards WHERE seq > ? ORDER BY seq",
                         after, &ReadAward, fn);
}

void ForEachUnitSince(sql::Connection& db, int64_t after,
                      const std::function<void(const UnitRow&)>& fn) {
  ForEachSince<UnitRow>(db, "SELECT unit_id, name, kind, seq FROM units WHERE seq > ? ORDER BY seq",
                        after, &ReadUnit, fn);
}

void ForEachClusterSince(sql::Connection& db, int64_t after,
                         const std::function<void(const ClusterRow&)>& fn) {
  ForEachSince<ClusterRow>(db,
                           "SELECT cluster_id, name, liaison_leader_unit_id, "
                           "lead_department_unit_id, seq FROM clusters WHERE seq > ? ORDER BY seq",
                           after, &ReadCluster, fn);
}

void SavePlan(sql::Connection& tx, const std::string& plan_id, int year,
              const std::string& content_hash) {
  sql::Query q(tx, sql::UpsertSql("plans", "plan_id, year, content_hash", "plan_id"));
  q.Bind(1, plan_id);
  q.Bind(2, year);
  q.Bind(3, content_hash);
  q.Exec();
}

std::vector<PlanRow> ListPlans(sql::Connection& db) {
  sql::Query q(db, "SELECT plan_id, year FROM plans ORDER BY year, plan_id");
  std::vector<PlanRow> out;
  while (q.Step()) out.push_back({q.Text(0), q.Int(1)});
  return out;
}

void ReplaceUnitFigures(sql::Connection& tx, const std::string& plan_id, const std::string& task_id,
                        const std::string& unit_id, const std::string& period,
                        const std::map<std::string, int64_t>& figures) {
  sql::Query del(tx,
                 "DELETE FROM unit_figures WHERE plan_id = ? AND task_id = ? AND unit_id = ? "
                 "AND period = ?");
  del.Bind(1, plan_id);
  del.Bind(2, task_id);
  del.Bind(3, unit_id);
  del.Bind(4, period);
  del.Exec();
  sql::Query ins(tx,
                 "INSERT INTO unit_figures (plan_id, task_id, unit_id, period, target_id, "
                 "value) VALUES (?,?,?,?,?,?)");
  for (const auto& [target, value] : figures) {
    ins.Reset();
    ins.Bind(1, plan_id);
    ins.Bind(2, task_id);
    ins.Bind(3, unit_id);
    ins.Bind(4, period);
    ins.Bind(5, target);
    ins.Bind(6, static_cast<int64_t>(value));
    ins.Exec();
  }
}

std::map<std::string, int64_t> SumUnitFigures(sql::Connection& db, const std::string& plan_id,
                                              int year, const std::string& through) {
  sql::Query q(db,
               "SELECT target_id, SUM(value) FROM unit_figures WHERE plan_id = ? "
               "AND period >= ? AND period <= ? GROUP BY target_id");
  q.Bind(1, plan_id);
  q.Bind(2, absl::StrCat(year, "-01"));
  q.Bind(3, through);
  std::map<std::string, int64_t> out;
  while (q.Step()) out[q.Text(0)] = q.Int64(1);
  return out;
}

std::optional<v1::ClosePeriodResponse> GetClosedPeriod(sql::Connection& db,
                                                       const std::string& plan_id,
                                                       const std::string& period) {
  sql::Query q(db, "SELECT result FROM closed_periods WHERE plan_id = ? AND period = ?");
  q.Bind(1, plan_id);
  q.Bind(2, period);
  if (!q.Step()) return std::nullopt;
  v1::ClosePeriodResponse r;
  const std::string blob = q.Blob(0);
  r.ParseFromString(blob);
  return r;
}

void SaveClosedPeriod(sql::Connection& tx, const std::string& plan_id, const std::string& period,
                      const v1::ClosePeriodResponse& result) {
  sql::Query q(tx,
               "INSERT INTO closed_periods (plan_id, period, close_time, result) "
               "VALUES (?,?,?,?)");
  const std::string blob = result.SerializeAsString();
  q.Bind(1, plan_id);
  q.Bind(2, period);
  q.Bind(3, static_cast<int64_t>(result.close_time().seconds()));
  q.BindBlob(4, blob);
  q.Exec();
}

std::string PublishedFingerprint(sql::Connection& db, const std::string& plan_id,
                                 const std::string& target_id) {
  sql::Query q(db,
               "SELECT fingerprint FROM published_progress WHERE plan_id = ? AND target_id = ?");
  q.Bind(1, plan_id);
  q.Bind(2, target_id);
  return q.Step() ? q.Text(0) : std::string();
}

void SavePublishedFingerprint(sql::Connection& tx, const std::string& plan_id,
                              const std::string& target_id, const std::string& fingerprint) {
  sql::Query q(tx, sql::UpsertSql("published_progress", "plan_id, target_id, fingerprint",
                                  "plan_id, target_id"));
  q.Bind(1, plan_id);
  q.Bind(2, target_id);
  q.Bind(3, fingerprint);
  q.Exec();
}

}  // namespace uplift::indicators::store

// SQLite access of the indicator service: reports (one per enterprise and
// month), the registry directory as its events describe it, plans and the
// figures units report, closed periods and the last published progress.
// Rows the in-memory data mirrors get a `seq` from SeqCounter.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/sql/query.h"
#include "services/indicators/figures.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::indicators::store {

// Hands out increasing sequence numbers inside one transaction.
class SeqCounter {
 public:
  explicit SeqCounter(sql::Connection& tx);
  int64_t Next() { return ++value_; }
  // Writes the last number handed out back; call before the commit.
  void Flush();

 private:
  sql::Connection& tx_;
  int64_t value_ = 0;
  int64_t start_ = 0;
};

struct ReportRow {
  std::string credit_code;
  int period = 0;  // YYYYMM
  Figures figures;
  std::string submitted_by;
  int64_t submit_time_us = 0;
  int64_t seq = 0;
};

enum class Upserted { kNew, kCorrected, kUnchanged };

// Writes reports inside one transaction with prepared statements.
class ReportWriter {
 public:
  explicit ReportWriter(sql::Connection& tx);
  // Stores `row` (seq assigned here) unless the same figures are stored;
  // `before` receives the replaced row of a correction.
  Upserted Upsert(ReportRow& row, std::optional<ReportRow>* before);
  // Call once after the last Upsert, before the commit.
  void Finish() { seq_.Flush(); }

 private:
  SeqCounter seq_;
  sql::Query select_;
  sql::Query insert_;
};

std::optional<ReportRow> GetReport(sql::Connection& db, const std::string& credit_code, int period);
// One enterprise's reports for periods from..to (YYYYMM, inclusive), oldest first.
std::vector<ReportRow> ListReports(sql::Connection& db, const std::string& credit_code, int from,
                                   int to);
// Every report with seq > `after`, in seq order.
void ForEachReportSince(sql::Connection& db, int64_t after,
                        const std::function<void(const ReportRow&)>& fn);

struct EnterpriseRow {
  std::string credit_code, name, cluster_id, township_id;
  bool key_enterprise = false;
  bool above_size = false;
  std::string above_size_since;  // YYYY-MM-DD or empty
  int listing_stage = 0;
  bool in_above_size_pool = false;
  int64_t seq = 0;
};
struct AwardRow {
  std::string award_id, credit_code;
  int tier = 0, level = 0;
  std::string awarded_on, revoked_on;  // revoked_on empty while it stands
  int64_t seq = 0;
};
struct UnitRow {
  std::string unit_id, name;
  int kind = 0;
  int64_t seq = 0;
};
struct ClusterRow {
  std::string cluster_id, name, liaison_leader_unit_id, lead_department_unit_id;
  int64_t seq = 0;
};

void SaveEnterprise(sql::Connection& tx, EnterpriseRow row);
std::optional<EnterpriseRow> GetEnterprise(sql::Connection& db, const std::string& credit_code);
void SaveAward(sql::Connection& tx, AwardRow row);
void SaveUnit(sql::Connection& tx, UnitRow row);
void SaveCluster(sql::Connection& tx, ClusterRow row);

void ForEachEnterpriseSince(sql::Connection& db, int64_t after,
                            const std::function<void(const EnterpriseRow&)>& fn);
void ForEachAwardSince(sql::Connection& db, int64_t after,
                       const std::function<void(const AwardRow&)>& fn);
void ForEachUnitSince(sql::Connection& db, int64_t after,
                      const std::function<void(const UnitRow&)>& fn);
void ForEachClusterSince(sql::Connection& db, int64_t after,
                         const std::function<void(const ClusterRow&)>& fn);

struct PlanRow {
  std::string plan_id;
  int year = 0;
};
void SavePlan(sql::Connection& tx, const std::string& plan_id, int year,
              const std::string& content_hash);
std::vector<PlanRow> ListPlans(sql::Connection& db);

// Replaces the figures of one unit's report for (plan, task, unit, period).
void ReplaceUnitFigures(sql::Connection& tx, const std::string& plan_id, const std::string& task_id,
                        const std::string& unit_id, const std::string& period,
                        const std::map<std::string, int64_t>& figures);
// Per target: the sum of the figures reported for periods of `year` up to
// `through` (YYYY-MM).
std::map<std::string, int64_t> SumUnitFigures(sql::Connection& db, const std::string& plan_id,
                                              int year, const std::string& through);

std::optional<v1::ClosePeriodResponse> GetClosedPeriod(sql::Connection& db,
                                                       const std::string& plan_id,
                                                       const std::string& period);
void SaveClosedPeriod(sql::Connection& tx, const std::string& plan_id, const std::string& period,
                      const v1::ClosePeriodResponse& result);

std::string PublishedFingerprint(sql::Connection& db, const std::string& plan_id,
                                 const std::string& target_id);
void SavePublishedFingerprint(sql::Connection& tx, const std::string& plan_id,
                              const std::string& target_id, const std::string& fingerprint);

}  // namespace uplift::indicators::store

// Figures in and aggregates out: submitting and importing monthly reports,
// reading them back, aggregates with comparable growth, per-mu efficiency.
#include "services/indicators/indicators_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/page.h"
#include "common/sql/store.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/indicators/efficiency.h"
#include "services/indicators/indicators_access.h"
#include "services/indicators/registry_rows.h"
#include "services/registry/credit_code.h"

namespace uplift::indicators {
namespace {

constexpr int kEarliestYear = 2000;

int PeriodKey(absl::CivilMonth m) { return static_cast<int>(m.year() * 100 + m.month()); }

absl::CivilMonth PeriodOfKey(int key) { return absl::CivilMonth(key / 100, key % 100); }

std::string ReportTarget(const store::ReportRow& row) {
  return absl::StrCat("reports/", row.credit_code, "/", FormatPeriod(PeriodOfKey(row.period)));
}

absl::StatusOr<Grouping> GroupingOf(v1::GroupBy g) {
  switch (g) {
    case v1::GROUP_BY_UNSPECIFIED: return Grouping::kCounty;
    case v1::GROUP_BY_CLUSTER: return Grouping::kCluster;
    case v1::GROUP_BY_TOWNSHIP: return Grouping::kTownship;
    case v1::GROUP_BY_CLUSTER_TOWNSHIP: return Grouping::kClusterTownship;
    default: return FieldError("group_by", "is not a grouping");
  }
}

}  // namespace

IndicatorsService::IndicatorsService(sql::Store* db, const Clock* clock, TasksDirectory* tasks,
                                     IndicatorsConfig config, EnterpriseLookup* registry)
    : db_(db),
      clock_(clock),
      tasks_(tasks),
      config_(std::move(config)),
      registry_(registry),
      outbox_(kIndicatorsSource, clock),
      audit_(clock) {
  // Nearly every write takes numbers from change_seq's one row: replicas'
  // writes queue for it on PostgreSQL instead of failing each other's
  // serialization (two replicas ingesting at once ran out of retries).
  db_->QueueWritesOn("change_seq");
}

absl::Status IndicatorsService::Warm() {
  return WithData([](const IndicatorData&) { return absl::OkStatus(); });
}

absl::Status IndicatorsService::WithData(
    const std::function<absl::Status(const IndicatorData&)>& fn) {
  absl::MutexLock lock(&data_mu_);
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    data_.CatchUp(db);
    return absl::OkStatus();
  }));
  return fn(data_);
}

absl::CivilMonth IndicatorsService::CurrentMonth() const {
  return absl::CivilMonth(ShanghaiDay(clock_->Now()));
}

CallAs IndicatorsService::AsCaller(const Principal& who) const {
  return {who.bearer_token, who.call_deadline};
}

CallAs IndicatorsService::AsService() const {
  // Deadlines of calls are real time, whatever the service clock says.
  return {config_.service_token, absl::Now() + absl::Seconds(5)};
}

absl::Status IndicatorsService::ResolveUnknown(
    const Principal& who, const std::vector<const v1::MonthlyReport*>& reports) {
  if (registry_ == nullptr) return absl::OkStatus();
  std::set<std::string> unknown;
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) {
    for (const v1::MonthlyReport* r : reports) {
      const std::string code = uplift::registry::NormalizeCreditCode(r->credit_code());
      if (uplift::registry::CheckCreditCode("credit_code", code).ok() &&
          !data.FindEnterprise(code).has_value()) {
        unknown.insert(code);
      }
    }
    return absl::OkStatus();
  }));
  if (unknown.empty()) return absl::OkStatus();
  std::vector<store::EnterpriseRow> found;
  for (const std::string& code : unknown) {
    absl::StatusOr<uplift::registry::v1::Enterprise> e = registry_->GetEnterprise(AsCaller(who), code);
    if (e.ok()) {
      found.push_back(EnterpriseRowOf(*e));
    } else if (e.status().code() != absl::StatusCode::kNotFound) {
      // The registry is away: those rows stay NOT_FOUND, the rest go on.
      spdlog::warn("cannot look enterprises up in the registry: {}", e.status().ToString());
      break;
    }
  }
  if (found.empty()) return absl::OkStatus();
  return db_->Write([&](sql::Connection& tx) {
    for (const store::EnterpriseRow& row : found) {
      // The registry's event may have arrived meanwhile; it wins.
      if (!store::GetEnterprise(tx, row.credit_code).has_value()) store::SaveEnterprise(tx, row);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<IndicatorsService::ValidReport> IndicatorsService::Validate(
    const IndicatorData& data, const Principal& who, const v1::MonthlyReport& r,
    const std::string& field, absl::CivilMonth now) const {
  const std::string code = uplift::registry::NormalizeCreditCode(r.credit_code());
  if (code.empty()) return FieldError(field + ".credit_code", "is required");
  RETURN_IF_ERROR(uplift::registry::CheckCreditCode(field + ".credit_code", code));
  ASSIGN_OR_RETURN(const absl::CivilMonth period, ParsePeriod(field + ".period", r.period()));
  if (period > now) {
    return FieldError(field + ".period",
                      absl::StrCat(r.period(), " is in the future (this month is ", FormatPeriod(now), ")"));
  }
  if (period.year() < kEarliestYear) {
    return FieldError(field + ".period", absl::StrCat(r.period(), " is before ", kEarliestYear));
  }
  RETURN_IF_ERROR(CheckFigures(field + ".figures", r.figures(), config_.rules.limits()));
  std::optional<int> e = data.FindEnterprise(code);
  if (!e.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        field, ".credit_code: no enterprise ", code,
        " in the registry (register it first; one registered just now arrives within seconds)"));
  }
  const EnterpriseInfo& info = data.enterprise(*e);
  const std::string township = info.township >= 0 ? data.units()[info.township].unit_id : "";
  RETURN_IF_ERROR(access_.CheckEnterprise(who, "SubmitReport", code, township, field + ".credit_code"));
  ValidReport v;
  v.row.credit_code = code;
  v.row.period = PeriodKey(period);
  v.row.figures = FromProto(r.figures());
  v.row.submitted_by = who.subject;
  v.row.submit_time_us = absl::ToUnixMicros(clock_->Now());
  v.township_id = township;
  v.cluster_id = info.cluster >= 0 ? data.clusters()[info.cluster].cluster_id : "";
  v.enterprise_name = info.name;
  return v;
}

v1::MonthlyReport IndicatorsService::ReportProto(const store::ReportRow& row,
                                                 const ValidReport* known) const {
  v1::MonthlyReport r;
  r.set_credit_code(row.credit_code);
  r.set_period(FormatPeriod(PeriodOfKey(row.period)));
  *r.mutable_figures() = ToProto(row.figures);
  r.set_submitted_by(row.submitted_by);
  *r.mutable_submit_time() = ToProtoTimestamp(absl::FromUnixMicros(row.submit_time_us));
  if (known != nullptr) {
    r.set_enterprise_name(known->enterprise_name);
    r.set_cluster_id(known->cluster_id);
    r.set_township_id(known->township_id);
  }
  return r;
}

absl::StatusOr<v1::SubmitReportResponse> IndicatorsService::SubmitReport(
    const Principal& who, const v1::SubmitReportRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "SubmitReport"));
  RETURN_IF_ERROR(ResolveUnknown(who, {&req.report()}));
  ValidReport v;
  const absl::CivilMonth now = CurrentMonth();
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    ASSIGN_OR_RETURN(v, Validate(data, who, req.report(), "report", now));
    return absl::OkStatus();
  }));
  v1::SubmitReportResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<store::ReportRow> before;
    store::Upserted outcome;
    {
      store::ReportWriter writer(tx);
      outcome = writer.Upsert(v.row, &before);
      writer.Finish();
    }
    if (outcome == store::Upserted::kUnchanged) {
      std::optional<store::ReportRow> stored = store::GetReport(tx, v.row.credit_code, v.row.period);
      if (stored.has_value()) v.row = *stored;
    } else {
      const v1::MonthlyReport after = ReportProto(v.row, &v);
      const v1::MonthlyReport earlier = before.has_value() ? ReportProto(*before, &v) : v1::MonthlyReport();
      audit_.Record(tx, who, before.has_value() ? "CorrectReport" : "SubmitReport", ReportTarget(v.row),
                    before.has_value() ? &earlier : nullptr, &after, "");
    }
    response.set_corrected(outcome == store::Upserted::kCorrected);
    return absl::OkStatus();
  }));
  *response.mutable_report() = ReportProto(v.row, &v);
  return response;
}

absl::Status IndicatorsService::ImportBatch(const Principal& who,
                                            const v1::ImportReportsRequest& batch,
                                            v1::ImportReportsResponse* tally) {
  RETURN_IF_ERROR(access_.Gate(who, "ImportReports"));
  std::vector<const v1::MonthlyReport*> reports;
  for (const v1::ReportRow& row : batch.rows()) reports.push_back(&row.report());
  RETURN_IF_ERROR(ResolveUnknown(who, reports));
  const absl::CivilMonth now = CurrentMonth();
  std::vector<ValidReport> good;
  good.reserve(batch.rows_size());
  auto add_error = [&](int line, const v1::MonthlyReport& r, const absl::Status& s) {
    tally->set_error_count(tally->error_count() + 1);
    if (tally->errors_size() >= kMaxListedImportErrors) return;
    v1::ImportRowError* e = tally->add_errors();
    e->set_line(line);
    e->set_credit_code(r.credit_code().substr(0, 40));
    e->set_period(r.period().substr(0, 20));
    e->set_code(absl::StatusCodeToString(s.code()));
    e->set_message(std::string(s.message()));
  };
  const int64_t first_line = tally->received() + 1;
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    for (int i = 0; i < batch.rows_size(); ++i) {
      const v1::ReportRow& row = batch.rows(i);
      const int line = row.line() > 0 ? row.line() : static_cast<int>(first_line + i);
      absl::StatusOr<ValidReport> v = Validate(data, who, row.report(), "report", now);
      if (v.ok()) {
        good.push_back(std::move(*v));
      } else {
        add_error(line, row.report(), v.status());
      }
    }
    return absl::OkStatus();
  }));
  tally->set_received(tally->received() + batch.rows_size());
  if (good.empty()) return absl::OkStatus();
  v1::ImportReportsResponse batch_tally;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    batch_tally.Clear();
    store::ReportWriter writer(tx);
    for (ValidReport& v : good) {
      std::optional<store::ReportRow> before;
      switch (writer.Upsert(v.row, &before)) {
        case store::Upserted::kNew:
          batch_tally.set_stored(batch_tally.stored() + 1);
          break;
        case store::Upserted::kCorrected: {
          batch_tally.set_corrected(batch_tally.corrected() + 1);
          const v1::MonthlyReport earlier = ReportProto(*before, &v), after = ReportProto(v.row, &v);
          audit_.Record(tx, who, "CorrectReport", ReportTarget(v.row), &earlier, &after, "");
          break;
        }
        case store::Upserted::kUnchanged:
          batch_tally.set_unchanged(batch_tally.unchanged() + 1);
          break;
      }
    }
    writer.Finish();
    if (batch_tally.stored() > 0) {
      // New reports are recorded once per batch: who, when and how many;
      // the rows themselves carry submitted_by and submit_time.
      batch_tally.set_received(static_cast<int64_t>(good.size()));
      audit_.Record(tx, who, "ImportReports", "reports", nullptr, &batch_tally, "");
    }
    return absl::OkStatus();
  }));
  tally->set_stored(tally->stored() + batch_tally.stored());
  tally->set_corrected(tally->corrected() + batch_tally.corrected());
  tally->set_unchanged(tally->unchanged() + batch_tally.unchanged());
  return absl::OkStatus();
}

absl::StatusOr<v1::GetReportResponse> IndicatorsService::GetReport(const Principal& who,
                                                                   const v1::GetReportRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "GetReport"));
  const std::string code = uplift::registry::NormalizeCreditCode(req.credit_code());
  RETURN_IF_ERROR(uplift::registry::CheckCreditCode("credit_code", code));
  ASSIGN_OR_RETURN(const absl::CivilMonth period, ParsePeriod("period", req.period()));
  ASSIGN_OR_RETURN(const ValidReport known, ReadableEnterprise(who, "GetReport", code));
  std::optional<store::ReportRow> row;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    row = store::GetReport(db, code, PeriodKey(period));
    return absl::OkStatus();
  }));
  if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat("no report of ", code, " for ", req.period()));
  }
  v1::GetReportResponse response;
  *response.mutable_report() = ReportProto(*row, &known);
  return response;
}

absl::StatusOr<v1::ListReportsResponse> IndicatorsService::ListReports(
    const Principal& who, const v1::ListReportsRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListReports"));
  const std::string code = uplift::registry::NormalizeCreditCode(req.credit_code());
  RETURN_IF_ERROR(uplift::registry::CheckCreditCode("credit_code", code));
  ASSIGN_OR_RETURN(const absl::CivilMonth from, ParsePeriod("from_period", req.from_period()));
  ASSIGN_OR_RETURN(const absl::CivilMonth to, ParsePeriod("to_period", req.to_period()));
  if (to < from) return FieldError("to_period", "must not be before from_period");
  if (to - from >= 36) return FieldError("to_period", "at most 36 months after from_period");
  ASSIGN_OR_RETURN(const ValidReport known, ReadableEnterprise(who, "ListReports", code));
  v1::ListReportsResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    for (const store::ReportRow& row : store::ListReports(db, code, PeriodKey(from), PeriodKey(to))) {
      *response.add_reports() = ReportProto(row, &known);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<IndicatorsService::ValidReport> IndicatorsService::ReadableEnterprise(
    const Principal& who, const char* method, const std::string& code) {
  ValidReport known;
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    std::optional<int> e = data.FindEnterprise(code);
    if (!e.has_value()) {
      return absl::NotFoundError(absl::StrCat("credit_code: no enterprise ", code, " in the registry"));
    }
    const EnterpriseInfo& info = data.enterprise(*e);
    known.township_id = info.township >= 0 ? data.units()[info.township].unit_id : "";
    known.cluster_id = info.cluster >= 0 ? data.clusters()[info.cluster].cluster_id : "";
    known.enterprise_name = info.name;
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(access_.CheckEnterprise(who, method, code, known.township_id, "credit_code"));
  return known;
}

v1::AggregateRow IndicatorsService::RowOf(const IndicatorData& data, const GroupTotals& t) const {
  v1::AggregateRow row;
  if (t.cluster >= 0) {
    row.set_cluster_id(data.clusters()[t.cluster].cluster_id);
    row.set_cluster_name(data.clusters()[t.cluster].name);
  }
  if (t.township >= 0) {
    row.set_township_id(data.units()[t.township].unit_id);
    row.set_township_name(data.units()[t.township].name);
  }
  *row.mutable_month() = ToProto(t.window);
  *row.mutable_year_to_date() = ToProto(t.ytd);
  row.set_reporting(t.reporting);
  row.set_enterprises(t.enterprises);
  auto code_of = [&data](int e) { return data.enterprise(e).credit_code; };
  *row.mutable_month_growth() = t.window_growth.ToProto(code_of);
  *row.mutable_ytd_growth() = t.ytd_growth.ToProto(code_of);
  return row;
}

absl::StatusOr<v1::GetAggregatesResponse> IndicatorsService::GetAggregates(
    const Principal& who, const v1::GetAggregatesRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "GetAggregates"));
  ASSIGN_OR_RETURN(const absl::CivilMonth period, ParsePeriod("period", req.period()));
  ASSIGN_OR_RETURN(const Grouping grouping, GroupingOf(req.group_by()));
  // A caller who may not read other townships' enterprises' own figures
  // does not get them from a cell that holds one or two of them.
  const bool restricted = access_.Restricted(who, "GetReport");
  const bool filtered_to_own = !req.township_id().empty() && req.township_id() == who.unit_id;
  auto suppress = [&](const IndicatorData& data, const GroupTotals& g, v1::AggregateRow* row) {
    const bool own = g.township >= 0 ? data.units()[g.township].unit_id == who.unit_id
                                     : filtered_to_own;
    if (!restricted || own || g.enterprises >= config_.min_cell_enterprises) return;
    row->clear_month();
    row->clear_year_to_date();
    row->clear_month_growth();
    row->clear_ytd_growth();
    row->set_suppressed(true);
  };
  v1::GetAggregatesResponse response;
  response.set_period(FormatPeriod(period));
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    AggregateQuery q{static_cast<int>(period.year()), period.month(), period.month(), grouping};
    if (!req.cluster_id().empty()) {
      std::optional<int> c = data.FindCluster(req.cluster_id());
      if (!c.has_value()) return absl::NotFoundError(absl::StrCat("cluster_id: no cluster ", QuoteInput(req.cluster_id())));
      q.cluster = *c;
    }
    if (!req.township_id().empty()) {
      std::optional<int> t = data.FindUnit(req.township_id());
      if (!t.has_value()) return absl::NotFoundError(absl::StrCat("township_id: no unit ", QuoteInput(req.township_id())));
      q.township = *t;
    }
    ASSIGN_OR_RETURN(const std::vector<GroupTotals> groups, Aggregate(data, q));
    for (const GroupTotals& g : groups) {
      v1::AggregateRow* row = response.add_rows();
      *row = RowOf(data, g);
      suppress(data, g, row);
    }
    ASSIGN_OR_RETURN(GroupTotals total, Overall(groups));
    total.township = q.township;
    *response.mutable_total() = RowOf(data, total);
    suppress(data, total, response.mutable_total());
    response.mutable_total()->clear_township_id();
    response.mutable_total()->clear_township_name();
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetEfficiencyResponse> IndicatorsService::GetEfficiency(
    const Principal& who, const v1::GetEfficiencyRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "GetEfficiency"));
  ASSIGN_OR_RETURN(const absl::CivilMonth period, ParsePeriod("period", req.period()));
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  std::string township_id = req.township_id();
  if (access_.Restricted(who, "GetEfficiency")) {
    if (!township_id.empty() && township_id != who.unit_id) {
      return absl::PermissionDeniedError("township_id: a township sees only its own enterprises");
    }
    township_id = who.unit_id;
  }
  // The token is bound to the caller's view too: one issued to another
  // township (or for other filters) is refused.
  const std::string filter = absl::StrCat(req.period(), "|", req.cluster_id(), "|", township_id,
                                          "|", req.grade());
  std::vector<v1::EfficiencyRow> rows;
  v1::GetEfficiencyResponse response;
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    const IndicatorData::YearView year = data.Year(static_cast<int>(period.year()));
    for (int e = 0; e < data.enterprise_count(); ++e) {
      const EnterpriseInfo& info = data.enterprise(e);
      const std::string& township = info.township >= 0 ? data.units()[info.township].unit_id : "";
      if (!township_id.empty() && township != township_id) continue;
      if (!req.cluster_id().empty() &&
          (info.cluster < 0 || data.clusters()[info.cluster].cluster_id != req.cluster_id())) {
        continue;
      }
      std::optional<v1::EfficiencyRow> found = EfficiencyOf(data, year, e, period.month(), config_.rules);
      if (!found.has_value()) continue;
      v1::EfficiencyRow& row = *found;
      (*response.mutable_grade_counts())[row.grade().empty() ? "未评价" : row.grade()]++;
      if (!req.grade().empty() && row.grade() != req.grade()) continue;
      rows.push_back(std::move(row));
    }
    return absl::OkStatus();
  }));
  std::sort(rows.begin(), rows.end(), [](const v1::EfficiencyRow& a, const v1::EfficiencyRow& b) {
    if (a.tax_per_mu_fen() != b.tax_per_mu_fen()) return a.tax_per_mu_fen() > b.tax_per_mu_fen();
    return a.credit_code() < b.credit_code();
  });
  ASSIGN_OR_RETURN(const int64_t offset,
                   DecodeOffsetToken(req.page_token(), filter, static_cast<int64_t>(rows.size())));
  const int64_t end = std::min<int64_t>(rows.size(), offset + page_size);
  for (int64_t i = offset; i < end; ++i) *response.add_rows() = std::move(rows[i]);
  if (end < static_cast<int64_t>(rows.size())) {
    response.set_next_page_token(EncodeOffsetToken(end, filter));
  }
  return response;
}

absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> IndicatorsService::ListAuditRecords(
    const Principal& who, const uplift::audit::v1::ListAuditRecordsRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListAuditRecords"));
  return audit_.List(*db_, req);
}

}  // namespace uplift::indicators

// Closing a month and publishing progress: at a month's close every target
// gets its TargetProgressChanged on uplift:events:indicators and every one
// behind its pace (and every cluster below the growth target) an
// IndicatorAlert on uplift:alerts, in one transaction with the closing, so
// a month closes once. Between closes, the sweep publishes targets whose
// progress changed, so the tasks service shows them as they move.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/indicators/figure_format.h"
#include "services/indicators/indicators_access.h"
#include "services/indicators/indicators_service.h"
#include "services/tasks/plan_metrics.h"
#include "services/tasks/reporting_periods.h"

namespace uplift::indicators {
namespace {

std::string Fingerprint(const v1::CountedTarget& t) {
  return absl::StrCat(t.achieved(), "|", absl::StrJoin(t.credit_codes(), ","));
}

v1::TargetProgressChanged ProgressEvent(const std::string& plan_id, const std::string& period,
                                        const v1::CountedTarget& t, absl::Time now) {
  v1::TargetProgressChanged e;
  e.set_plan_id(plan_id);
  e.set_target_id(t.target_id());
  e.set_achieved(t.achieved());
  e.set_period(period);
  *e.mutable_as_of() = ToProtoTimestamp(now);
  for (const std::string& c : t.credit_codes()) e.add_credit_codes(c);
  return e;
}

void AddRecipients(v1::IndicatorAlert* alert, std::vector<std::string> units) {
  std::set<std::string> seen;
  for (std::string& u : units) {
    if (!u.empty() && seen.insert(u).second) alert->add_recipient_unit_ids(u);
  }
}

Principal SweepPrincipal() {
  Principal p;
  p.subject = kIndicatorsSource;
  p.role = uplift::auth::v1::ROLE_SERVICE;
  return p;
}

}  // namespace

absl::StatusOr<v1::ClosePeriodResponse> IndicatorsService::Close(const tv1::Plan& plan,
                                                                 absl::CivilMonth period,
                                                                 const Principal& who) {
  if (period >= CurrentMonth()) {
    return absl::FailedPreconditionError(
        absl::StrCat("period: ", FormatPeriod(period), " has not ended; a month closes after it ends"));
  }
  const std::string period_text = FormatPeriod(period);
  std::optional<v1::ClosePeriodResponse> closed;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    closed = store::GetClosedPeriod(db, plan.plan_id(), period_text);
    return absl::OkStatus();
  }));
  if (closed.has_value()) {
    closed->set_already_closed(true);
    return *closed;
  }
  ASSIGN_OR_RETURN(const v1::GetTargetProgressResponse progress, Progress(plan, period));
  const absl::Time now = clock_->Now();
  std::vector<v1::IndicatorAlert> alerts;
  v1::ClosePeriodResponse result;
  *result.mutable_close_time() = ToProtoTimestamp(now);
  for (const v1::CountedTarget& t : progress.targets()) {
    if (!t.behind()) continue;
    *result.add_behind() = t;
    v1::IndicatorAlert a;
    a.set_plan_id(plan.plan_id());
    a.set_target_id(t.target_id());
    a.set_period(period_text);
    a.set_title(absl::StrCat(period_text, " 指标滞后: ", t.description().empty() ? t.target_id() : t.description()));
    a.set_message(absl::StrCat("任务", t.task_number(), "「", t.target_id(), "」截至", period_text,
                               "完成", FormatTargetAmount(t, t.achieved()), "，目标",
                               FormatTargetAmount(t, t.value()), "，按进度应达",
                               FormatTargetAmount(t, t.expected_now()),
                               t.note().empty() ? "" : "；", t.note(), "。"));
    a.set_achieved(t.achieved());
    a.set_expected(t.expected_now());
    std::vector<std::string> to(t.responsible_unit_ids().begin(), t.responsible_unit_ids().end());
    to.push_back(plan.owner_unit_id());
    AddRecipients(&a, std::move(to));
    alerts.push_back(std::move(a));
  }
  std::vector<std::pair<std::string, std::string>> cluster_heads;  // lead department, leader
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    for (const v1::ClusterGrowth& c : progress.clusters()) {
      std::optional<int> idx = data.FindCluster(c.cluster_id());
      cluster_heads.emplace_back(idx ? data.clusters()[*idx].lead_department_unit_id : "",
                                 idx ? data.clusters()[*idx].liaison_leader_unit_id : "");
    }
    return absl::OkStatus();
  }));
  for (int i = 0; i < progress.clusters_size(); ++i) {
    const v1::ClusterGrowth& c = progress.clusters(i);
    if (!c.ytd_growth().defined() || c.meets_target()) continue;
    v1::IndicatorAlert a;
    a.set_plan_id(plan.plan_id());
    a.set_target_id("cluster-revenue-growth");
    a.set_period(period_text);
    a.set_title(absl::StrCat(period_text, " ", c.cluster_name(), "营收增速低于目标"));
    a.set_message(absl::StrCat(c.cluster_name(), "截至", period_text, "营业收入可比增长",
                               FormatGrowth(c.ytd_growth()), "，低于", FormatPercent(progress.growth_target_bp()),
                               "的目标（可比企业", c.ytd_growth().compared(), "家）。"));
    a.set_achieved(c.ytd_growth().growth_bp());
    a.set_expected(progress.growth_target_bp());
    AddRecipients(&a, {cluster_heads[i].first, cluster_heads[i].second, plan.owner_unit_id()});
    alerts.push_back(std::move(a));
  }
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    if (store::GetClosedPeriod(tx, plan.plan_id(), period_text).has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(period_text, " was closed meanwhile"));
    }
    int events = 0;
    for (const v1::CountedTarget& t : progress.targets()) {
      RETURN_IF_ERROR(outbox_
                          .Append(tx, absl::StrCat("target/", plan.plan_id(), "/", t.target_id()),
                                  ProgressEvent(plan.plan_id(), period_text, t, now))
                          .status());
      store::SavePublishedFingerprint(tx, plan.plan_id(), t.target_id(), Fingerprint(t));
      ++events;
    }
    for (const v1::IndicatorAlert& a : alerts) {
      RETURN_IF_ERROR(outbox_
                          .Append(tx,
                                  absl::StrCat("alert/", plan.plan_id(), "/", a.target_id(), "/",
                                               a.period()),
                                  a)
                          .status());
    }
    result.set_progress_events(events);
    result.set_alerts(static_cast<int>(alerts.size()));
    store::SaveClosedPeriod(tx, plan.plan_id(), period_text, result);
    audit_.Record(tx, who, "ClosePeriod", absl::StrCat("plans/", plan.plan_id(), "/periods/", period_text),
                  nullptr, &result, "");
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<v1::ClosePeriodResponse> IndicatorsService::ClosePeriod(
    const Principal& who, const v1::ClosePeriodRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ClosePeriod"));
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  ASSIGN_OR_RETURN(const absl::CivilMonth period, ParsePeriod("period", req.period()));
  ASSIGN_OR_RETURN(const tv1::Plan plan, tasks_->GetPlan(AsCaller(who), req.plan_id()));
  if (!access_.CheckUnit(who, "ClosePeriod", plan.owner_unit_id()).ok()) {
    return absl::PermissionDeniedError(absl::StrCat("plan ", plan.plan_id(), " is owned by ",
                                                    plan.owner_unit_id(), ", not by ", who.unit_id));
  }
  return Close(plan, period, who);
}

absl::StatusOr<int> IndicatorsService::PublishChangedProgress(const tv1::Plan& plan) {
  const absl::CivilMonth now = CurrentMonth();
  if (now.year() < plan.year()) return 0;
  const absl::CivilMonth period = std::min(now, absl::CivilMonth(plan.year(), 12));
  ASSIGN_OR_RETURN(const v1::GetTargetProgressResponse progress, Progress(plan, period));
  const absl::Time at = clock_->Now();
  int published = 0;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    published = 0;
    for (const v1::CountedTarget& t : progress.targets()) {
      const std::string fingerprint = Fingerprint(t);
      if (store::PublishedFingerprint(tx, plan.plan_id(), t.target_id()) == fingerprint) continue;
      RETURN_IF_ERROR(outbox_
                          .Append(tx, absl::StrCat("target/", plan.plan_id(), "/", t.target_id()),
                                  ProgressEvent(plan.plan_id(), progress.period(), t, at))
                          .status());
      store::SavePublishedFingerprint(tx, plan.plan_id(), t.target_id(), fingerprint);
      ++published;
    }
    return absl::OkStatus();
  }));
  return published;
}

absl::StatusOr<IndicatorsSweepResult> IndicatorsService::Sweep() {
  std::vector<store::PlanRow> plans;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    plans = store::ListPlans(db);
    return absl::OkStatus();
  }));
  IndicatorsSweepResult result;
  const absl::CivilDay today = ShanghaiDay(clock_->Now());
  absl::Status first_error;
  for (const store::PlanRow& row : plans) {
    absl::StatusOr<tv1::Plan> plan = tasks_->GetPlan(AsService(), row.plan_id);
    if (!plan.ok()) {
      first_error.Update(plan.status());
      continue;
    }
    if (std::optional<absl::CivilMonth> due = uplift::tasks::LastPeriodDue(*plan, today)) {
      absl::StatusOr<v1::ClosePeriodResponse> closed = Close(*plan, *due, SweepPrincipal());
      if (closed.ok() && !closed->already_closed()) {
        ++result.closed;
        result.alerts += closed->alerts();
      } else if (!closed.ok()) {
        first_error.Update(closed.status());
      }
    }
    absl::StatusOr<int> published = PublishChangedProgress(*plan);
    if (published.ok()) {
      result.progress_events += *published;
    } else {
      first_error.Update(published.status());
    }
  }
  if (!first_error.ok() && result.closed + result.progress_events == 0) return first_error;
  return result;
}

}  // namespace uplift::indicators

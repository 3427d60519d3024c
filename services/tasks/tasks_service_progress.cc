// TasksService: monthly progress (月调度) and overdue reports.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/tasks/plan_rules.h"
#include "services/tasks/reporting_periods.h"
#include "services/tasks/tasks_access.h"
#include "services/tasks/tasks_labels.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/tasks_store.h"

namespace uplift::tasks {
namespace {

constexpr int64_t kMaxFigure = 1000000000;

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// Milestones are the lead unit's to report, each a quarter of the task's
// milestones, once.
absl::Status CheckMilestonesReached(const v1::Task& task, const v1::ProgressReport& report) {
  std::set<int> seen;
  for (int i = 0; i < report.milestones_reached_size(); ++i) {
    const int quarter = report.milestones_reached(i);
    const std::string field = absl::StrCat("report.milestones_reached[", i, "]");
    if (task.responsible_unit_ids().empty() || task.responsible_unit_ids(0) != report.unit_id()) {
      return FieldError(field,
                        absl::StrCat("milestones of task ", task.number(),
                                     " are reported by its lead unit, not by ", report.unit_id()));
    }
    const bool named = std::any_of(task.milestones().begin(), task.milestones().end(),
                                   [&](const v1::Milestone& m) { return m.quarter() == quarter; });
    if (!named) {
      return FieldError(
          field, absl::StrCat("task ", task.number(), " has no milestone for quarter ", quarter));
    }
    if (!seen.insert(quarter).second) return FieldError(field, "appears twice");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ReportProgressResponse> TasksService::ReportProgress(
    const Principal& who, const v1::ReportProgressRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ReportProgress"));
  v1::ProgressReport report = req.report();
  if (report.unit_id().empty()) report.set_unit_id(who.unit_id);
  if (!access_.CheckUnit(who, "ReportProgress", report.unit_id()).ok()) {
    return absl::PermissionDeniedError(absl::StrCat("report.unit_id: ", who.unit_id,
                                                    " may report only its own progress, not ",
                                                    QuoteInput(report.unit_id())));
  }
  RETURN_IF_ERROR(CheckId("report.plan_id", report.plan_id()));
  RETURN_IF_ERROR(CheckTaskId("report.task_id", report.task_id()));
  ASSIGN_OR_RETURN(const absl::CivilMonth period, ParsePeriod("report.period", report.period()));
  if (period > absl::CivilMonth(Today())) {
    return FieldError("report.period", absl::StrCat(report.period(), " has not begun yet"));
  }
  report.set_text(TrimText(report.text()));
  RETURN_IF_ERROR(CheckText("report.text", report.text(), 2000, true));
  report.set_reported_by(who.subject);
  *report.mutable_report_time() = ToProtoTimestamp(clock_->Now());

  v1::ReportProgressResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Plan plan, LoadPlan(tx, report.plan_id()));
    if (period < FirstPeriod(plan) || period > LastPeriod(plan)) {
      return FieldError("report.period", absl::StrCat(report.period(), " is outside plan ",
                                                      plan.plan_id(), " (", FormatPeriod(FirstPeriod(plan)),
                                                      " to ", FormatPeriod(LastPeriod(plan)), ")"));
    }
    std::optional<v1::Task> task = store::FindTask(tx, plan.plan_id(), report.task_id());
    if (!task.has_value()) {
      return FieldError("report.task_id", absl::StrCat("plan ", plan.plan_id(), " has no task \"",
                                                       report.task_id(), "\""));
    }
    const std::vector<std::string> co_owners = CoOwnerUnits(plan);
    if (!Contains(task->responsible_unit_ids(), report.unit_id()) &&
        std::find(co_owners.begin(), co_owners.end(), report.unit_id()) == co_owners.end()) {
      return absl::PermissionDeniedError(absl::StrCat(
          "unit ", report.unit_id(), " has no part in task ", task->number(), " ", task->title()));
    }
    std::set<std::string> seen;
    for (int i = 0; i < report.figures_size(); ++i) {
      const v1::Figure& f = report.figures(i);
      const std::string field = absl::StrCat("report.figures[", i, "]");
      const v1::Target* target = nullptr;
      for (const v1::Target& t : task->targets()) {
        if (t.target_id() == f.target_id()) target = &t;
      }
      if (target == nullptr) {
        return FieldError(field + ".target_id", absl::StrCat("task ", task->task_id(),
                                                             " has no target ", QuoteInput(f.target_id())));
      }
      if (target->counted_by() != v1::COUNTED_BY_UNIT_REPORTS) {
        return FieldError(
            field + ".target_id",
            absl::StrCat(QuoteInput(f.target_id()), " is counted from ",
                         CountedByLabel(target->counted_by()), ", not reported by units"));
      }
      if (!seen.insert(f.target_id()).second) {
        return FieldError(field + ".target_id", absl::StrCat(QuoteInput(f.target_id()), " appears twice"));
      }
      if (f.value() < 0 || f.value() > kMaxFigure) {
        return FieldError(field + ".value", "must be between 0 and 1000000000");
      }
    }
    RETURN_IF_ERROR(CheckMilestonesReached(*task, report));
    report.set_late(ShanghaiDay(clock_->Now()) > DueDay(plan, period));
    std::optional<v1::ProgressReport> before = store::FindReport(tx, report);
    store::SaveReport(tx, report);
    v1::ProgressReported event;
    *event.mutable_report() = report;
    event.set_replaced(before.has_value());
    audit_.Record(tx, who, "ReportProgress",
                  absl::StrCat("plan/", report.plan_id(), "/tasks/", report.task_id(), "/progress/",
                               report.unit_id(), "/", report.period()),
                  before.has_value() ? &*before : nullptr, &report, "");
    RETURN_IF_ERROR(outbox_
                        .Append(tx,
                                absl::StrCat("progress/", report.plan_id(), "/", report.task_id(),
                                             "/", report.unit_id(), "/", report.period()),
                                event)
                        .status());
    *response.mutable_report() = report;
    response.set_replaced(before.has_value());
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListProgressResponse> TasksService::ListProgress(
    const Principal& who, const v1::ListProgressRequest& req) {
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  if (!req.task_id().empty()) RETURN_IF_ERROR(CheckTaskId("task_id", req.task_id()));
  if (!req.period().empty()) RETURN_IF_ERROR(ParsePeriod("period", req.period()).status());
  v1::ListProgressResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    RETURN_IF_ERROR(LoadPlan(db, req.plan_id()).status());
    for (v1::ProgressReport& r :
         store::ListReports(db, {req.plan_id(), req.task_id(), req.unit_id(), req.period()})) {
      *response.add_reports() = std::move(r);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListOverdueReportsResponse> TasksService::ListOverdueReports(
    const Principal& who, const v1::ListOverdueReportsRequest& req) {
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  v1::ListOverdueReportsResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Plan plan, LoadPlan(db, req.plan_id()));
    absl::CivilMonth period;
    if (!req.period().empty()) {
      ASSIGN_OR_RETURN(period, ParsePeriod("period", req.period()));
      if (DueDay(plan, period) >= Today()) {
        return FieldError("period", absl::StrCat(req.period(), " is not due until ",
                                                 FormatDate(DueDay(plan, period))));
      }
    } else {
      std::optional<absl::CivilMonth> due = LastPeriodDue(plan, Today());
      if (!due.has_value()) return absl::OkStatus();  // nothing due yet
      period = *due;
    }
    const std::string p = FormatPeriod(period);
    const auto reported = store::ReportedFor(db, plan.plan_id(), p);
    for (const v1::Task& task : store::ListTasks(db, plan.plan_id())) {
      for (const std::string& unit : task.responsible_unit_ids()) {
        if (reported.count({task.task_id(), unit})) continue;
        v1::OverdueReport* o = response.add_overdue();
        o->set_plan_id(plan.plan_id());
        o->set_task_id(task.task_id());
        o->set_unit_id(unit);
        o->set_period(p);
        o->set_due_on(FormatDate(DueDay(plan, period)));
      }
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace uplift::tasks

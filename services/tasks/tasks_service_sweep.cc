// TasksService: the periodic sweep (automatic escalation, co-handlers past
// their deadline, report reminders).
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/sql/query.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "services/tasks/problem_units_store.h"
#include "services/tasks/reporting_periods.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/tasks_store.h"

namespace uplift::tasks {
namespace {

constexpr int kSweepBatch = 200;
// A problem that cannot climb is retried this much later, so that it never
// holds up the problems behind it in deadline order.
constexpr absl::Duration kBlockedRetry = absl::Hours(1);
// Reminders only for the latest period, and only within a month of its
// due day: a plan of a past year does not page anyone.
constexpr int kReminderWindowDays = 31;

}  // namespace

absl::StatusOr<std::optional<v1::Problem>> TasksService::ReadProblem(const std::string& id) {
  std::optional<v1::Problem> p;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    p = store::FindProblem(db, id);
    return absl::OkStatus();
  }));
  return p;
}

Principal TasksService::SystemPrincipal() { return ServiceActor("system"); }

absl::StatusOr<SweepResult> TasksService::Sweep() {
  SweepResult result;
  RETURN_IF_ERROR(EscalateDue(&result));
  RETURN_IF_ERROR(RemindCoHandlers(&result));
  RETURN_IF_ERROR(SendReminders(&result));
  return result;
}

absl::Status TasksService::EscalateDue(SweepResult* result) {
  const absl::Time now = clock_->Now();
  std::vector<std::string> due;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    due = store::DueProblemIds(db, now, kSweepBatch);
    return absl::OkStatus();
  }));
  const Principal system = SystemPrincipal();
  for (const std::string& id : due) {
    ASSIGN_OR_RETURN(const std::optional<v1::Problem> loaded, ReadProblem(id));
    if (!loaded.has_value()) continue;
    const bool at_top = loaded->rung() == v1::RUNG_PROVINCE_PREFECTURE;
    absl::StatusOr<LadderInputs> inputs =
        InputsFor(*loaded, AsService(), !at_top && loaded->rung() == v1::RUNG_DEPARTMENT);
    if (!inputs.ok() && inputs.status().code() != absl::StatusCode::kUnavailable) {
      // Not a passing outage: the problem cannot climb as things stand.
      const std::string reason(inputs.status().message());
      RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) {
        store::BlockSweep(tx, id, reason, now, now + kBlockedRetry);
        return absl::OkStatus();
      }));
      spdlog::error("sweep: problem {} cannot escalate and is skipped for an hour: {}", id, reason);
      ++result->blocked;
      continue;
    }
    if (!inputs.ok()) {
      spdlog::warn("sweep: problem {} not escalated this round: {}", id, inputs.status().ToString());
      ++result->skipped;
      continue;
    }
    bool climbed = false;  // set by the run that commits (the write may run again)
    absl::Status moved = db_->Write([&](sql::Connection& tx) -> absl::Status {
      climbed = false;
      std::optional<v1::Problem> before = store::FindProblem(tx, id);
      // Acted on meanwhile: no longer due, or already moved.
      if (!before.has_value() || before->state() == v1::PROBLEM_STATE_RESOLVED ||
          FromProtoTimestamp(before->deadline()) > now || before->rung() != loaded->rung()) {
        return absl::OkStatus();
      }
      v1::Problem after = *before;
      absl::StatusOr<v1::ProblemStep> step =
          at_top ? ladder_.MarkOverdueAtTop(&after, now)
                 : ladder_.Escalate(&after,
                                    absl::StrCat("超过办理时限（", FormatLocalTime(FromProtoTimestamp(before->deadline())),
                                                 "）未办结，自动提级"),
                                    inputs->owners, inputs->category.time_limit_working_days(), now,
                                    Actor::System(), /*automatic=*/true);
      if (!step.ok()) return step.status();
      RETURN_IF_ERROR(SaveStep(tx, system, at_top ? "OverdueAtTop" : "AutoEscalateProblem", *before,
                               after, *step, *inputs));
      store::UnblockSweep(tx, id);
      climbed = true;
      return absl::OkStatus();
    });
    if (!moved.ok()) {
      spdlog::warn("sweep: problem {}: {}", id, moved.ToString());
      ++result->skipped;
    } else if (climbed) {
      ++(at_top ? result->overdue_at_top : result->escalated);
    }
  }
  return absl::OkStatus();
}

absl::Status TasksService::RemindCoHandlers(SweepResult* result) {
  const absl::Time now = clock_->Now();
  std::vector<std::pair<std::string, std::string>> due;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    due = store::DueCoHandlers(db, now, kSweepBatch);
    return absl::OkStatus();
  }));
  const Principal system = SystemPrincipal();
  for (const auto& entry : due) {
    // Named, not bound: lambdas below capture them (C++17 cannot capture bindings).
    const std::string& problem_id = entry.first;
    const std::string& unit_id = entry.second;
    ASSIGN_OR_RETURN(const std::optional<v1::Problem> loaded, ReadProblem(problem_id));
    if (!loaded.has_value()) continue;
    absl::StatusOr<LadderInputs> inputs = InputsFor(*loaded, AsService(), false);
    if (!inputs.ok()) {
      spdlog::warn("sweep: co-handler {} of problem {} not reminded this round: {}", unit_id,
                   problem_id, inputs.status().ToString());
      ++result->skipped;
      continue;
    }
    bool noted = false;  // set by the run that commits (the write may run again)
    absl::Status saved = db_->Write([&](sql::Connection& tx) -> absl::Status {
      noted = false;
      std::optional<v1::Problem> before = store::FindProblem(tx, problem_id);
      if (!before.has_value()) return absl::OkStatus();
      v1::Problem after = *before;
      absl::StatusOr<v1::ProblemStep> step = ladder_.MarkCoHandlerOverdue(
          &after, unit_id, NameOf(tx, inputs->plan.get(), unit_id), now);
      if (!step.ok()) {
        // Answered or ended meanwhile: the row only needs to follow the body.
        store::SyncProblemUnits(tx, *before);
        return absl::OkStatus();
      }
      RETURN_IF_ERROR(SaveStep(tx, system, "CoHandlerOverdue", *before, after, *step, *inputs));
      noted = true;
      return absl::OkStatus();
    });
    if (!saved.ok()) {
      spdlog::warn("sweep: co-handler {} of problem {}: {}", unit_id, problem_id, saved.ToString());
      ++result->skipped;
    } else if (noted) {
      ++result->co_handlers_overdue;
    }
  }
  return absl::OkStatus();
}

absl::Status TasksService::SendReminders(SweepResult* result) {
  const absl::CivilDay today = Today();
  const absl::Time now = clock_->Now();
  int reminders = 0;  // this run's: the write may run again
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    reminders = 0;
    sql::Query plans(tx, "SELECT plan_id FROM plans");
    std::vector<std::string> plan_ids;
    while (plans.Step()) plan_ids.push_back(plans.Text(0));
    for (const std::string& plan_id : plan_ids) {
      ASSIGN_OR_RETURN(const v1::Plan plan, LoadPlan(tx, plan_id));
      std::optional<absl::CivilMonth> period = LastPeriodDue(plan, today);
      if (!period.has_value() || today - DueDay(plan, *period) > kReminderWindowDays) continue;
      const std::string p = FormatPeriod(*period);
      const auto reported = store::ReportedFor(tx, plan_id, p);
      for (const v1::Task& task : store::ListTasks(tx, plan_id)) {
        for (const std::string& unit : task.responsible_unit_ids()) {
          if (reported.count({task.task_id(), unit})) continue;
          if (!store::MarkReminderSent(tx, plan_id, task.task_id(), unit, p, now)) continue;
          v1::ProgressReminder reminder;
          reminder.set_plan_id(plan_id);
          reminder.set_task_id(task.task_id());
          reminder.set_task_number(task.number());
          reminder.set_task_title(task.title());
          reminder.set_unit_id(unit);
          reminder.set_period(p);
          reminder.set_due_on(FormatDate(DueDay(plan, *period)));
          reminder.set_unit_name(NameOf(tx, &plan, unit));
          RETURN_IF_ERROR(
              outbox_
                  .Append(tx, absl::StrCat("reminder/", plan_id, "/", task.task_id(), "/", unit, "/", p),
                          reminder)
                  .status());
          ++reminders;
        }
      }
    }
    return absl::OkStatus();
  }));
  result->reminders += reminders;
  return absl::OkStatus();
}

}  // namespace uplift::tasks

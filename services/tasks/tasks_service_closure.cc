// TasksService: 销号, a task's lead unit submitting its completion and the
// plan owner confirming or returning it.
#include "absl/strings/str_cat.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/tasks/plan_rules.h"
#include "services/tasks/task_closure.h"
#include "services/tasks/task_facts_store.h"
#include "services/tasks/tasks_service.h"

namespace uplift::tasks {

absl::Status TasksService::SaveClosureStep(sql::Connection& tx, const Principal& who,
                                           const char* action, const v1::Plan& plan,
                                           const v1::Task& task, const v1::ClosureStep& step,
                                           v1::TaskView* view) {
  store::AppendClosureStep(tx, plan.plan_id(), task.task_id(), step);
  audit_.Record(tx, who, action, absl::StrCat("plan/", plan.plan_id(), "/tasks/", task.task_id()),
                nullptr, &step, "");
  const std::string subject = absl::StrCat("task/", plan.plan_id(), "/", task.task_id());
  v1::TaskClosureChanged event;
  event.set_plan_id(plan.plan_id());
  event.set_task_id(task.task_id());
  *event.mutable_step() = step;
  RETURN_IF_ERROR(outbox_.Append(tx, subject, event).status());
  *view = ViewOf(plan, task, FactsAt(tx, plan, Today()), Today());
  // A submission waits for the plan owner; a return for the lead unit.
  if (step.state() == v1::CLOSURE_STATE_SUBMITTED || step.state() == v1::CLOSURE_STATE_RETURNED) {
    const bool submitted = step.state() == v1::CLOSURE_STATE_SUBMITTED;
    v1::ActionRequested r;
    r.set_action(submitted ? v1::ActionRequested::ACTION_CONFIRM_CLOSURE
                           : v1::ActionRequested::ACTION_RESUBMIT_CLOSURE);
    r.set_unit_id(submitted                             ? plan.owner_unit_id()
                  : task.responsible_unit_ids().empty() ? ""
                                                        : task.responsible_unit_ids(0));
    r.set_from_unit_id(step.actor_unit_id());
    r.set_plan_id(plan.plan_id());
    r.set_subject(subject);
    r.set_task_id(task.task_id());
    r.set_title(absl::StrCat(task.number(), " ", task.title()));
    r.set_text(step.text());
    RETURN_IF_ERROR(RequestAction(tx, &plan, std::move(r)));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SubmitTaskCompletionResponse> TasksService::SubmitTaskCompletion(
    const Principal& who, const v1::SubmitTaskCompletionRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "SubmitTaskCompletion"));
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  RETURN_IF_ERROR(CheckTaskId("task_id", req.task_id()));
  const std::vector<std::string> evidence(req.evidence().begin(), req.evidence().end());
  v1::SubmitTaskCompletionResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    v1::Plan plan;
    ASSIGN_OR_RETURN(const v1::TaskView view, CurrentView(tx, req.plan_id(), req.task_id(), &plan));
    RETURN_IF_ERROR(access_.CheckTaskLead(who, "SubmitTaskCompletion", view.task()));
    ASSIGN_OR_RETURN(const v1::ClosureStep step,
                     SubmitCompletion(view, req.summary(), evidence, clock_->Now(), ActorOf(who)));
    return SaveClosureStep(tx, who, "SubmitTaskCompletion", plan, view.task(), step,
                           response.mutable_task());
  }));
  return response;
}

absl::StatusOr<v1::DecideTaskCompletionResponse> TasksService::DecideTaskCompletion(
    const Principal& who, const v1::DecideTaskCompletionRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "DecideTaskCompletion"));
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  RETURN_IF_ERROR(CheckTaskId("task_id", req.task_id()));
  v1::DecideTaskCompletionResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    v1::Plan plan;
    ASSIGN_OR_RETURN(const v1::TaskView view, CurrentView(tx, req.plan_id(), req.task_id(), &plan));
    RETURN_IF_ERROR(access_.CheckPlan(who, "DecideTaskCompletion", plan));
    ASSIGN_OR_RETURN(const v1::ClosureStep step, DecideCompletion(view, req.confirm(), req.reason(),
                                                                  clock_->Now(), ActorOf(who)));
    return SaveClosureStep(tx, who, "DecideTaskCompletion", plan, view.task(), step,
                           response.mutable_task());
  }));
  return response;
}

}  // namespace uplift::tasks

// The 销号 steps of a task.
#include "services/tasks/task_closure.h"

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/tasks/tasks_labels.h"

namespace uplift::tasks {
namespace {

v1::ClosureStep Step(const v1::TaskView& view, v1::ClosureState state, absl::Time now,
                     const Actor& actor, const std::string& text) {
  v1::ClosureStep step;
  step.set_seq(view.closure_steps_size() + 1);
  *step.mutable_time() = ToProtoTimestamp(now);
  step.set_state(state);
  step.set_actor(actor.subject);
  step.set_actor_unit_id(actor.unit_id);
  step.set_actor_name(actor.name);
  step.set_text(TrimText(text));
  return step;
}

std::string TaskName(const v1::TaskView& view) {
  return absl::StrCat("task ", view.task().task_id(), " (", view.task().number(), ")");
}

}  // namespace

v1::ClosureState ClosureStateOf(const std::vector<v1::ClosureStep>& steps) {
  return steps.empty() ? v1::CLOSURE_STATE_UNSPECIFIED : steps.back().state();
}

absl::StatusOr<v1::ClosureStep> SubmitCompletion(const v1::TaskView& view,
                                                 const std::string& summary,
                                                 const std::vector<std::string>& evidence,
                                                 absl::Time now, const Actor& actor) {
  if (absl::Status s = CheckText("summary", TrimText(summary), kMaxClosureSummary, true); !s.ok()) {
    return s;
  }
  if (evidence.empty()) {
    return FieldError("evidence", "must name at least one document or link (台账、文件、照片)");
  }
  if (evidence.size() > static_cast<size_t>(kMaxClosureEvidence)) {
    return FieldError("evidence", absl::StrCat("at most ", kMaxClosureEvidence, " items"));
  }
  std::vector<std::string> items;
  for (size_t i = 0; i < evidence.size(); ++i) {
    const std::string field = absl::StrCat("evidence[", i, "]");
    const std::string item = TrimText(evidence[i]);
    if (absl::Status s = CheckText(field, item, kMaxEvidenceChars, true); !s.ok()) return s;
    items.push_back(item);
  }
  switch (view.closure_state()) {
    case v1::CLOSURE_STATE_SUBMITTED:
      return absl::FailedPreconditionError(
          absl::StrCat(TaskName(view), " already waits for the plan owner to confirm it"));
    case v1::CLOSURE_STATE_CONFIRMED:
      return absl::FailedPreconditionError(absl::StrCat(TaskName(view), " is closed (已销号)"));
    default:
      break;
  }
  for (const v1::TargetProgress& p : view.progress()) {
    if (p.met()) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        TaskName(view), ": target ", p.target().target_id(), " is not met (",
        FormatTargetValue(p.target(), p.achieved()), " of ",
        FormatTargetValue(p.target(), p.target().value()), "); 销号 needs every target met"));
  }
  v1::ClosureStep step = Step(view, v1::CLOSURE_STATE_SUBMITTED, now, actor, summary);
  for (const std::string& item : items) step.add_evidence(item);
  return step;
}

absl::StatusOr<v1::ClosureStep> DecideCompletion(const v1::TaskView& view, bool confirm,
                                                 const std::string& reason, absl::Time now,
                                                 const Actor& actor) {
  if (absl::Status s = CheckText("reason", TrimText(reason), kMaxClosureSummary, !confirm);
      !s.ok()) {
    return s;
  }
  if (view.closure_state() != v1::CLOSURE_STATE_SUBMITTED) {
    return absl::FailedPreconditionError(absl::StrCat(
        TaskName(view), " has no completion waiting for a decision (",
        view.closure_state() == v1::CLOSURE_STATE_CONFIRMED ? "已销号" : "未提请销号", ")"));
  }
  return Step(view, confirm ? v1::CLOSURE_STATE_CONFIRMED : v1::CLOSURE_STATE_RETURNED, now, actor,
              reason);
}

}  // namespace uplift::tasks

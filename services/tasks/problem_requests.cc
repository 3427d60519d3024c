// RequestsOfStep.
#include "services/tasks/problem_requests.h"

namespace uplift::tasks {
namespace {

using Requested = v1::ActionRequested;
using LadderStep = v1::ProblemStep;

Requested About(const v1::Problem& p, const LadderStep& step, Requested::Action action,
                const std::string& unit_id) {
  Requested r;
  r.set_action(action);
  r.set_unit_id(unit_id);
  r.set_from_unit_id(step.actor_unit_id());
  r.set_plan_id(p.plan_id());
  r.set_subject("problem/" + p.problem_id());
  r.set_problem_id(p.problem_id());
  r.set_title(p.title());
  r.set_text(step.text());
  return r;
}

const v1::CoHandler* CoHandlerOf(const v1::Problem& p, const std::string& unit_id) {
  for (const v1::CoHandler& c : p.co_handlers()) {
    if (c.unit_id() == unit_id) return &c;
  }
  return nullptr;
}

}  // namespace

std::vector<v1::ActionRequested> RequestsOfStep(const v1::Problem& before, const v1::Problem& after,
                                                const LadderStep& step,
                                                const std::string& plan_owner_unit_id) {
  std::vector<Requested> out;
  switch (step.action()) {
    case LadderStep::ACTION_EXTENSION_REQUESTED: {
      Requested r = About(after, step, Requested::ACTION_DECIDE_EXTENSION,
                          after.pending_extension().approver_unit_id());
      *r.mutable_deadline() = after.pending_extension().deadline();
      out.push_back(std::move(r));
      break;
    }
    case LadderStep::ACTION_SENT_FOR_RULING:
      out.push_back(About(after, step, Requested::ACTION_RULE, plan_owner_unit_id));
      break;
    case LadderStep::ACTION_CO_HANDLERS_ADDED:
    case LadderStep::ACTION_CO_HANDLER_OVERDUE:
      // The co-handlers this step added (a new add_time) or found overdue.
      for (const v1::CoHandler& c : after.co_handlers()) {
        const v1::CoHandler* was = CoHandlerOf(before, c.unit_id());
        const bool added = step.action() == LadderStep::ACTION_CO_HANDLERS_ADDED &&
                           (was == nullptr || was->add_time().SerializeAsString() !=
                                                  c.add_time().SerializeAsString());
        const bool overdue = step.action() == LadderStep::ACTION_CO_HANDLER_OVERDUE &&
                             c.overdue_noted() && (was == nullptr || !was->overdue_noted());
        if (!added && !overdue) continue;
        Requested r = About(after, step, Requested::ACTION_CO_HANDLE, c.unit_id());
        *r.mutable_deadline() = c.deadline();
        r.set_overdue(overdue);
        out.push_back(std::move(r));
      }
      break;
    default:
      break;
  }
  return out;
}

}  // namespace uplift::tasks

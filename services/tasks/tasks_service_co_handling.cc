// TasksService: 会商 — co-handling departments (协办) of a problem at the
// department rung and their answers (the sweep reminds the late ones).
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/tasks_store.h"

namespace uplift::tasks {
namespace {

// The plan's departments (市直部门), by id, with their names.
std::map<std::string, std::string> DepartmentsOf(const v1::Plan& plan) {
  std::map<std::string, std::string> out;
  for (const rv1::Unit& u : plan.units()) {
    if (u.kind() == rv1::UNIT_KIND_DEPARTMENT) out[u.unit_id()] = u.name();
  }
  return out;
}

}  // namespace

absl::StatusOr<v1::AddCoHandlersResponse> TasksService::AddCoHandlers(
    const Principal& who, const v1::AddCoHandlersRequest& req) {
  std::vector<CoHandlerAssignment> assignments;
  for (int i = 0; i < req.co_handlers_size(); ++i) {
    const v1::AddCoHandlersRequest::Assignment& a = req.co_handlers(i);
    const std::string field = absl::StrCat("co_handlers[", i, "]");
    RETURN_IF_ERROR(CheckId(field + ".unit_id", a.unit_id()));
    CoHandlerAssignment assignment{a.unit_id(), std::nullopt};
    if (!a.due_on().empty()) {
      ASSIGN_OR_RETURN(assignment.due_on, ParseDate(field + ".due_on", a.due_on()));
    }
    assignments.push_back(std::move(assignment));
  }
  ASSIGN_OR_RETURN(
      v1::Problem p,
      MoveProblem(who, req.problem_id(), "AddCoHandlers", Mover::kPlanOwner, LeaderNeed::kNo,
                  [&](v1::Problem* p, const LadderInputs& in, absl::Time now) {
                    return ladder_.AddCoHandlers(p, assignments, req.reason(),
                                                 DepartmentsOf(*in.plan), now, ActorOf(who));
                  }));
  v1::AddCoHandlersResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

absl::StatusOr<v1::AnswerCoHandlingResponse> TasksService::AnswerCoHandling(
    const Principal& who, const v1::AnswerCoHandlingRequest& req) {
  ASSIGN_OR_RETURN(
      v1::Problem p,
      MoveProblem(who, req.problem_id(), "AnswerCoHandling", Mover::kCoHandler, LeaderNeed::kNo,
                  [&](v1::Problem* p, const LadderInputs&, absl::Time now) {
                    return ladder_.AnswerCoHandling(p, req.answer(), now, ActorOf(who));
                  }));
  v1::AnswerCoHandlingResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

}  // namespace uplift::tasks

// The tasks service's meaning of "own unit".
#include "services/tasks/tasks_access.h"

#include "absl/strings/str_cat.h"
#include "services/tasks/problem_ladder.h"

namespace uplift::tasks {

using uplift::auth::v1::ROLE_DEPARTMENT;
using uplift::auth::v1::ROLE_LEADER;
using uplift::auth::v1::ROLE_PROVINCE;
using uplift::auth::v1::ROLE_TOWNSHIP;

absl::Status TasksAccess::Gate(const Principal& who, absl::string_view method) const {
  return table_.Gate(who, method);
}

absl::Status TasksAccess::CheckPlan(const Principal& who, absl::string_view method,
                                    const v1::Plan& plan) const {
  absl::Status s = table_.Check(who, method, plan.owner_unit_id() == who.unit_id);
  if (s.ok() || !table_.Gate(who, method).ok()) return s;
  return absl::PermissionDeniedError(absl::StrCat("plan ", plan.plan_id(), " is owned by ",
                                                  plan.owner_unit_id(), ", not by ", who.unit_id));
}

absl::Status TasksAccess::CheckUnit(const Principal& who, absl::string_view method,
                                    absl::string_view unit_id) const {
  return table_.CheckUnit(who, method, unit_id);
}

absl::Status TasksAccess::CheckTaskLead(const Principal& who, absl::string_view method,
                                        const v1::Task& task) const {
  const std::string lead = task.responsible_unit_ids().empty() ? "" : task.responsible_unit_ids(0);
  absl::Status s = table_.Check(who, method, !lead.empty() && lead == who.unit_id);
  if (s.ok() || !table_.Gate(who, method).ok()) return s;
  return absl::PermissionDeniedError(
      absl::StrCat("task ", task.number(), " is led by ", lead, ", not by ", who.unit_id));
}

absl::Status TasksAccess::CheckRungOwner(const Principal& who, absl::string_view method,
                                         const v1::Problem& p) const {
  if (absl::Status gate = table_.Gate(who, method); !gate.ok()) return gate;
  const absl::Status owner = ProblemLadder::CheckOwner(p, who);
  absl::Status s = table_.Check(who, method, owner.ok());
  return s.ok() ? s : owner;
}

bool TasksAccess::IsCoHandler(const v1::Problem& p, const std::string& unit_id) {
  for (const v1::CoHandler& c : p.co_handlers()) {
    if (!unit_id.empty() && c.unit_id() == unit_id) return true;
  }
  return false;
}

absl::Status TasksAccess::CheckCoHandler(const Principal& who, absl::string_view method,
                                         const v1::Problem& p) const {
  absl::Status s = table_.Check(who, method, IsCoHandler(p, who.unit_id));
  if (s.ok() || !table_.Gate(who, method).ok()) return s;
  return absl::PermissionDeniedError(absl::StrCat(who.unit_id.empty() ? "no unit" : who.unit_id,
                                                  " does not co-handle problem ", p.problem_id(),
                                                  " (会商协办)"));
}

absl::Status TasksAccess::CheckVisible(const Principal& who, absl::string_view method,
                                       const v1::Problem& p, const std::string& leader_unit_id,
                                       const std::vector<v1::ProblemStep>& steps) const {
  bool own = false;
  const std::string& unit = who.unit_id;
  auto owned = [&] {
    // The unit that must decide a waiting request for a later deadline.
    if (p.owner_unit_id() == unit || p.pending_extension().approver_unit_id() == unit) return true;
    if (IsCoHandler(p, unit)) return true;
    // A unit that owned a rung, or took a step (decided a 延期), sees it.
    for (const v1::ProblemStep& s : steps) {
      if (s.owner_unit_id() == unit || s.actor_unit_id() == unit) return true;
    }
    return false;
  };
  switch (who.role) {
    case ROLE_TOWNSHIP: own = p.township_id() == unit; break;
    case ROLE_LEADER: own = leader_unit_id == unit || owned(); break;
    case ROLE_DEPARTMENT:
    case ROLE_PROVINCE: own = owned(); break;
    default: break;
  }
  absl::Status s = table_.Check(who, method, !unit.empty() && own);
  if (s.ok() || !table_.Gate(who, method).ok()) return s;
  return absl::PermissionDeniedError(
      absl::StrCat("problem ", p.problem_id(), " is not visible to ", unit));
}

void TasksAccess::RestrictList(const Principal& who, store::ProblemFilter* f) const {
  f->restricted = table_.Restricted(who, "ListProblems");
  if (!f->restricted) return;
  f->visible_unit = who.unit_id;
  switch (who.role) {
    case ROLE_TOWNSHIP: f->view = store::ProblemView::kTownship; break;
    case ROLE_LEADER: f->view = store::ProblemView::kLeader; break;
    default: f->view = store::ProblemView::kOwner; break;
  }
}

}  // namespace uplift::tasks

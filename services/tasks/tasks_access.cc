// The tasks service's access rules.
#include "services/tasks/tasks_access.h"

#include "absl/strings/str_cat.h"
#include "services/registry/registry_access.h"

namespace uplift::tasks {

using uplift::auth::v1::ROLE_ADMIN;
using uplift::auth::v1::ROLE_DEPARTMENT;
using uplift::auth::v1::ROLE_LEADER;
using uplift::auth::v1::ROLE_PLAN_OWNER;
using uplift::auth::v1::ROLE_PROVINCE;
using uplift::auth::v1::ROLE_SERVICE;
using uplift::auth::v1::ROLE_TOWNSHIP;
using uplift::auth::v1::ROLE_VIEWER;
using uplift::registry::RequireRole;

absl::Status CanEditPlan(const Principal& who, const v1::Plan& plan) {
  if (absl::Status s = RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER}, "edit plans and tasks");
      !s.ok()) {
    return s;
  }
  if (who.role == ROLE_PLAN_OWNER && !plan.owner_unit_id().empty() &&
      who.unit_id != plan.owner_unit_id()) {
    return absl::PermissionDeniedError(absl::StrCat("plan ", plan.plan_id(), " is owned by ",
                                                    plan.owner_unit_id(), ", not by ", who.unit_id));
  }
  return absl::OkStatus();
}

absl::Status CanReportProgress(const Principal& who) {
  return RequireRole(who, {ROLE_DEPARTMENT, ROLE_PLAN_OWNER, ROLE_TOWNSHIP},
                     "report progress (units report their own)");
}

absl::Status CanRaiseProblem(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER, ROLE_DEPARTMENT, ROLE_TOWNSHIP},
                     "raise problems");
}

absl::Status CanFollowUp(const Principal& who, const v1::Problem& p) {
  if (absl::Status s = RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER, ROLE_TOWNSHIP},
                                   "record satisfaction or reopen problems");
      !s.ok()) {
    return s;
  }
  if (who.role == ROLE_TOWNSHIP && who.unit_id != p.township_id()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "township ", who.unit_id, " may follow up only its own enterprises' problems"));
  }
  return absl::OkStatus();
}

absl::Status RestrictProblemView(const Principal& who, store::ProblemFilter* f) {
  switch (who.role) {
    case ROLE_ADMIN:
    case ROLE_PLAN_OWNER:
    case ROLE_VIEWER:
    case ROLE_SERVICE:
      return absl::OkStatus();
    case ROLE_TOWNSHIP:
      f->visible_township = who.unit_id;
      return absl::OkStatus();
    case ROLE_LEADER:
      f->visible_leader = who.unit_id;
      return absl::OkStatus();
    case ROLE_DEPARTMENT:
    case ROLE_PROVINCE:
      f->visible_owner = who.unit_id;
      return absl::OkStatus();
    default:
      return absl::PermissionDeniedError("this role may not read problems");
  }
}

absl::Status CanSeeProblem(const Principal& who, const v1::Problem& p,
                           const std::string& leader_unit_id,
                           const std::vector<v1::ProblemStep>& steps) {
  bool ok = false;
  switch (who.role) {
    case ROLE_ADMIN:
    case ROLE_PLAN_OWNER:
    case ROLE_VIEWER:
    case ROLE_SERVICE:
      ok = true;
      break;
    case ROLE_TOWNSHIP:
      ok = who.unit_id == p.township_id();
      break;
    case ROLE_LEADER:
      ok = who.unit_id == leader_unit_id || who.unit_id == p.owner_unit_id();
      break;
    case ROLE_DEPARTMENT:
    case ROLE_PROVINCE:
      ok = who.unit_id == p.owner_unit_id();
      for (const v1::ProblemStep& s : steps) ok = ok || s.owner_unit_id() == who.unit_id;
      break;
    default:
      break;
  }
  if (ok) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("problem ", p.problem_id(), " is not visible to ",
                                                  who.unit_id.empty() ? RoleName(who.role) : who.unit_id));
}

}  // namespace uplift::tasks

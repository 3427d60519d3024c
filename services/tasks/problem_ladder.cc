// Ladder transitions.
#include "services/tasks/problem_ladder.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/tasks/tasks_labels.h"

namespace uplift::tasks {
namespace {

using Action = v1::ProblemStep::Action;
using uplift::auth::v1::ROLE_DEPARTMENT;
using uplift::auth::v1::ROLE_LEADER;
using uplift::auth::v1::ROLE_PLAN_OWNER;
using uplift::auth::v1::ROLE_PROVINCE;
using uplift::auth::v1::ROLE_TOWNSHIP;

constexpr size_t kMaxText = 2000;
constexpr size_t kMaxCoHandlers = 10;

absl::Status RequireText(const char* field, const std::string& text) {
  const std::string trimmed = TrimText(text);
  return CheckText(field, trimmed, kMaxText, true);
}

}  // namespace

std::string RungOwners::OwnerOf(v1::Rung rung) const {
  switch (rung) {
    case v1::RUNG_TOWNSHIP: return township;
    case v1::RUNG_DEPARTMENT: return department;
    case v1::RUNG_CITY_LEADER: return city_leader;
    case v1::RUNG_PROVINCE_PREFECTURE: return province;
    default: return "";
  }
}

std::string ProblemLadder::PairKey(v1::Rung a, v1::Rung b) {
  return absl::StrCat(std::min(a, b), "-", std::max(a, b));
}

absl::StatusOr<v1::Rung> ProblemLadder::Above(v1::Rung rung) {
  if (rung == v1::RUNG_PROVINCE_PREFECTURE) {
    return absl::FailedPreconditionError(
        "the problem is at the top rung (省、市部门); it cannot be escalated further");
  }
  if (rung < v1::RUNG_TOWNSHIP || rung > v1::RUNG_PROVINCE_PREFECTURE) {
    return absl::InternalError("problem has no rung");
  }
  return static_cast<v1::Rung>(rung + 1);
}

absl::StatusOr<v1::Rung> ProblemLadder::Below(v1::Rung rung) {
  if (rung == v1::RUNG_TOWNSHIP) {
    return absl::FailedPreconditionError(
        "the problem is at the township rung; there is no lower rung to return it to: "
        "resolve or escalate it");
  }
  if (rung < v1::RUNG_TOWNSHIP || rung > v1::RUNG_PROVINCE_PREFECTURE) {
    return absl::InternalError("problem has no rung");
  }
  return static_cast<v1::Rung>(rung - 1);
}

absl::Status ProblemLadder::CheckOwner(const v1::Problem& p, const Principal& who) {
  bool role_fits = false;
  switch (p.rung()) {
    case v1::RUNG_TOWNSHIP: role_fits = who.role == ROLE_TOWNSHIP; break;
    case v1::RUNG_DEPARTMENT:
      role_fits = who.role == ROLE_DEPARTMENT || who.role == ROLE_PLAN_OWNER;
      break;
    case v1::RUNG_CITY_LEADER: role_fits = who.role == ROLE_LEADER; break;
    case v1::RUNG_PROVINCE_PREFECTURE: role_fits = who.role == ROLE_PROVINCE; break;
    default: break;
  }
  if (!role_fits || who.unit_id != p.owner_unit_id()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "only the owner of the current rung (", RungLabel(p.rung()), " ", p.owner_unit_id(),
        ") may act on problem ", p.problem_id(), "; you act for ",
        who.unit_id.empty() ? "no unit" : who.unit_id, " as ", RoleName(who.role)));
  }
  return absl::OkStatus();
}

v1::ProblemStep ProblemLadder::Step(const v1::Problem& p, Action action, absl::Time now,
                                    const Actor& actor, const std::string& text) const {
  v1::ProblemStep s;
  *s.mutable_time() = ToProtoTimestamp(now);
  s.set_action(action);
  s.set_actor(actor.subject);
  s.set_actor_name(actor.name);
  s.set_actor_unit_id(actor.unit_id);
  s.set_rung(p.rung());
  s.set_owner_unit_id(p.owner_unit_id());
  s.set_text(TrimText(text));
  *s.mutable_deadline() = p.deadline();
  s.set_satisfaction(p.satisfaction());
  return s;
}

absl::Status ProblemLadder::CheckActive(const v1::Problem& p, const char* action) const {
  if (p.state() == v1::PROBLEM_STATE_RESOLVED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "problem ", p.problem_id(), " is resolved; it cannot be ", action, " (reopen it first)"));
  }
  if (p.state() == v1::PROBLEM_STATE_AWAITING_RULING) {
    return absl::FailedPreconditionError(
        absl::StrCat("problem ", p.problem_id(),
                     " awaits the plan owner's ruling (裁定) on who owns it; it cannot be ", action,
                     " until then"));
  }
  return absl::OkStatus();
}

void ProblemLadder::DropWaitingRequests(v1::Problem* p) {
  p->clear_pending_extension();
  for (v1::CoHandler& c : *p->mutable_co_handlers()) {
    if (c.state() == v1::CoHandler::STATE_WAITING) c.set_state(v1::CoHandler::STATE_ENDED);
  }
}

void ProblemLadder::MoveUp(v1::Problem* p, v1::Rung to, const std::string& owner, int limit_days,
                           absl::Time now) const {
  DropWaitingRequests(p);  // they were the rung below's
  p->add_route(p->rung());
  p->set_rung(to);
  p->set_owner_unit_id(owner);
  p->set_state(v1::PROBLEM_STATE_OPEN);
  p->set_escalations(p->escalations() + 1);
  *p->mutable_deadline() = ToProtoTimestamp(calendar_->DeadlineAfter(now, limit_days));
  *p->mutable_update_time() = ToProtoTimestamp(now);
}

v1::ProblemStep ProblemLadder::Raise(v1::Problem* p, const RungOwners& owners, int limit_days,
                                     absl::Time now, const Actor& actor) const {
  p->set_rung(v1::RUNG_TOWNSHIP);
  p->set_owner_unit_id(owners.township);
  p->set_state(v1::PROBLEM_STATE_OPEN);
  *p->mutable_deadline() = ToProtoTimestamp(calendar_->DeadlineAfter(now, limit_days));
  *p->mutable_raise_time() = ToProtoTimestamp(now);
  *p->mutable_update_time() = p->raise_time();
  return Step(*p, v1::ProblemStep::ACTION_RAISED, now, actor, p->description());
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::Accept(v1::Problem* p, absl::Time now,
                                                      const Actor& actor) const {
  if (absl::Status s = CheckActive(*p, "accepted"); !s.ok()) return s;
  if (p->state() == v1::PROBLEM_STATE_ACCEPTED) {
    return absl::FailedPreconditionError(
        absl::StrCat("problem ", p->problem_id(), " is already accepted at this rung"));
  }
  p->set_state(v1::PROBLEM_STATE_ACCEPTED);
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(*p, v1::ProblemStep::ACTION_ACCEPTED, now, actor, "");
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::Resolve(v1::Problem* p,
                                                       const std::string& resolution,
                                                       absl::Time now, const Actor& actor) const {
  if (absl::Status s = RequireText("resolution", resolution); !s.ok()) return s;
  if (absl::Status s = CheckActive(*p, "resolved again"); !s.ok()) return s;
  p->set_state(v1::PROBLEM_STATE_RESOLVED);
  DropWaitingRequests(p);
  p->set_resolution(TrimText(resolution));
  p->set_satisfaction(v1::SATISFACTION_UNSPECIFIED);
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(*p, v1::ProblemStep::ACTION_RESOLVED, now, actor, resolution);
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::Return(v1::Problem* p, const std::string& reason,
                                                      const RungOwners& owners, int limit_days,
                                                      absl::Time now, const Actor& actor) const {
  if (absl::Status s = RequireText("reason", reason); !s.ok()) return s;
  if (absl::Status s = CheckActive(*p, "returned"); !s.ok()) return s;
  if (p->route().empty()) {
    // Raised at this rung: nobody sent it here (Below names the case).
    absl::StatusOr<v1::Rung> below = Below(p->rung());
    if (!below.ok()) return below.status();
    return absl::FailedPreconditionError(absl::StrCat(
        "problem ", p->problem_id(), " came to no rung from below; it cannot be returned"));
  }
  const v1::Rung sender = p->route(p->route_size() - 1);
  const std::string pair = PairKey(sender, p->rung());
  const auto& ruled = p->ruled_pairs();
  if (std::find(ruled.begin(), ruled.end(), pair) != ruled.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the plan owner ruled that ", RungLabel(p->rung()), " owns problem ", p->problem_id(),
        "; it cannot be returned to ", RungLabel(sender), " again: resolve or escalate it"));
  }
  const int returns = ++(*p->mutable_returns_between())[pair];
  DropWaitingRequests(p);
  *p->mutable_update_time() = ToProtoTimestamp(now);
  if (returns >= 2) {
    // No ping-pong: the plan owner decides who owns it.
    p->set_state(v1::PROBLEM_STATE_AWAITING_RULING);
    p->set_owner_unit_id(owners.plan_owner);
    return Step(*p, v1::ProblemStep::ACTION_SENT_FOR_RULING, now, actor, reason);
  }
  p->mutable_route()->RemoveLast();
  p->set_rung(sender);
  p->set_owner_unit_id(owners.OwnerOf(sender));
  p->set_state(v1::PROBLEM_STATE_OPEN);
  *p->mutable_deadline() = ToProtoTimestamp(calendar_->DeadlineAfter(now, limit_days));
  return Step(*p, v1::ProblemStep::ACTION_RETURNED, now, actor, reason);
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::RuleOn(v1::Problem* p, v1::Rung rung,
                                                      const std::string& reason,
                                                      const RungOwners& owners, int limit_days,
                                                      absl::Time now, const Actor& actor) const {
  if (p->state() != v1::PROBLEM_STATE_AWAITING_RULING || p->route().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("problem ", p->problem_id(),
                     " awaits no ruling: only a problem returned twice between the "
                     "same two rungs does"));
  }
  const v1::Rung lower = p->route(p->route_size() - 1);
  const v1::Rung upper = p->rung();
  if (rung != lower && rung != upper) {
    return absl::InvalidArgumentError(
        absl::StrCat("rung: must be ", v1::Rung_Name(lower), " (", RungLabel(lower), ") or ",
                     v1::Rung_Name(upper), " (", RungLabel(upper), "), the two in dispute"));
  }
  if (absl::Status s = RequireText("reason", reason); !s.ok()) return s;
  const std::string owner = owners.OwnerOf(rung);
  if (owner.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("nobody owns the ", RungLabel(rung), " rung for problem ", p->problem_id()));
  }
  p->add_ruled_pairs(PairKey(lower, upper));
  DropWaitingRequests(p);
  if (rung == lower) p->mutable_route()->RemoveLast();
  p->set_rung(rung);
  p->set_owner_unit_id(owner);
  p->set_state(v1::PROBLEM_STATE_OPEN);
  *p->mutable_deadline() = ToProtoTimestamp(calendar_->DeadlineAfter(now, limit_days));
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(*p, v1::ProblemStep::ACTION_RULED, now, actor, reason);
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::Escalate(v1::Problem* p, const std::string& reason,
                                                        const RungOwners& owners, int limit_days,
                                                        absl::Time now, const Actor& actor,
                                                        bool automatic) const {
  if (absl::Status s = RequireText("reason", reason); !s.ok()) return s;
  if (absl::Status s = CheckActive(*p, "escalated"); !s.ok()) return s;
  absl::StatusOr<v1::Rung> above = Above(p->rung());
  if (!above.ok()) return above.status();
  const std::string owner = owners.OwnerOf(*above);
  if (owner.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "nobody owns the ", RungLabel(*above), " rung for problem ", p->problem_id(),
        " (the registry names no liaison leader for cluster ", p->cluster_id(), "?)"));
  }
  MoveUp(p, *above, owner, limit_days, now);
  return Step(*p, automatic ? v1::ProblemStep::ACTION_AUTO_ESCALATED : v1::ProblemStep::ACTION_ESCALATED,
              now, actor, reason);
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::SkipUp(v1::Problem* p, v1::Rung to,
                                                      const std::string& reason,
                                                      const RungOwners& owners, int limit_days,
                                                      absl::Time now, const Actor& actor) const {
  if (to != v1::RUNG_CITY_LEADER && to != v1::RUNG_PROVINCE_PREFECTURE) {
    return absl::InvalidArgumentError(
        "to_rung: must be RUNG_CITY_LEADER (包联市领导) or RUNG_PROVINCE_PREFECTURE (省、市部门)");
  }
  if (absl::Status s = RequireText("reason", reason); !s.ok()) return s;
  if (absl::Status s = CheckActive(*p, "sent up"); !s.ok()) return s;
  if (to <= p->rung()) {
    return absl::FailedPreconditionError(absl::StrCat("problem ", p->problem_id(),
                                                      " is already at ", RungLabel(p->rung()), "; ",
                                                      RungLabel(to), " is not above it"));
  }
  const std::string owner = owners.OwnerOf(to);
  if (owner.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("nobody owns the ", RungLabel(to), " rung for problem ", p->problem_id()));
  }
  MoveUp(p, to, owner, limit_days, now);
  return Step(*p, v1::ProblemStep::ACTION_SKIPPED_UP, now, actor, reason);
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::RequestExtension(
    v1::Problem* p, absl::CivilDay due_on, const std::string& reason, v1::ExtensionApprover rule,
    const RungOwners& owners, absl::Time now, const Actor& actor) const {
  if (absl::Status s = RequireText("reason", reason); !s.ok()) return s;
  if (absl::Status s = CheckActive(*p, "extended"); !s.ok()) return s;
  const absl::Time current = FromProtoTimestamp(p->deadline());
  const absl::Time asked = absl::FromCivil(due_on + 1, ShanghaiTime());  // the end of due_on
  if (asked <= current) {
    return absl::InvalidArgumentError(
        absl::StrCat("due_on: ", FormatDate(due_on), " ends before the current deadline (",
                     FormatLocalTime(current), ") passes; an extension asks for a later day"));
  }
  if (asked > now + absl::Hours(24 * 366)) {
    return absl::InvalidArgumentError(
        absl::StrCat("due_on: ", FormatDate(due_on), " is more than a year away"));
  }
  if (p->has_pending_extension()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "problem ", p->problem_id(), " already has a request for an extension waiting for ",
        p->pending_extension().approver_unit_id()));
  }
  std::string approver = owners.plan_owner;
  if (rule == v1::EXTENSION_APPROVER_RUNG_ABOVE) {
    const absl::StatusOr<v1::Rung> above = Above(p->rung());
    if (above.ok() && !owners.OwnerOf(*above).empty()) approver = owners.OwnerOf(*above);
  }
  if (approver.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("nobody approves extensions of problem ", p->problem_id()));
  }
  v1::ExtensionRequest* request = p->mutable_pending_extension();
  *request->mutable_deadline() = ToProtoTimestamp(asked);
  request->set_reason(TrimText(reason));
  request->set_rung(p->rung());
  request->set_requested_by_unit_id(actor.unit_id);
  request->set_approver_unit_id(approver);
  *request->mutable_request_time() = ToProtoTimestamp(now);
  *p->mutable_update_time() = ToProtoTimestamp(now);
  v1::ProblemStep step = Step(*p, v1::ProblemStep::ACTION_EXTENSION_REQUESTED, now, actor, reason);
  *step.mutable_deadline() = request->deadline();
  return step;
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::DecideExtension(v1::Problem* p, bool approve,
                                                               const std::string& reason,
                                                               absl::Time now,
                                                               const Actor& actor) const {
  if (!p->has_pending_extension()) {
    return absl::FailedPreconditionError(
        absl::StrCat("problem ", p->problem_id(), " has no request for an extension waiting"));
  }
  const std::string text = TrimText(reason);
  if (absl::Status s = CheckText("reason", text, kMaxText, !approve); !s.ok()) return s;
  if (approve) {
    *p->mutable_deadline() = p->pending_extension().deadline();
    p->set_extensions(p->extensions() + 1);
  }
  p->clear_pending_extension();
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(
      *p, approve ? v1::ProblemStep::ACTION_EXTENDED : v1::ProblemStep::ACTION_EXTENSION_REFUSED,
      now, actor, text);
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::AddCoHandlers(
    v1::Problem* p, const std::vector<CoHandlerAssignment>& assignments, const std::string& reason,
    const std::map<std::string, std::string>& departments, absl::Time now,
    const Actor& actor) const {
  if (absl::Status s = RequireText("reason", reason); !s.ok()) return s;
  if (assignments.empty() || assignments.size() > kMaxCoHandlers) {
    return absl::InvalidArgumentError(
        absl::StrCat("co_handlers: name 1 to ", kMaxCoHandlers, " departments"));
  }
  if (absl::Status s = CheckActive(*p, "co-handled"); !s.ok()) return s;
  if (p->rung() != v1::RUNG_DEPARTMENT) {
    return absl::FailedPreconditionError(
        absl::StrCat("problem ", p->problem_id(), " is at ", RungLabel(p->rung()),
                     "; co-handling departments (会商协办) are added at the department rung"));
  }
  const absl::Time problem_deadline = FromProtoTimestamp(p->deadline());
  std::vector<std::pair<std::string, absl::Time>> added;
  for (size_t i = 0; i < assignments.size(); ++i) {
    const CoHandlerAssignment& a = assignments[i];
    const std::string field = absl::StrCat("co_handlers[", i, "]");
    if (!departments.count(a.unit_id)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".unit_id: ", QuoteInput(a.unit_id),
                       " is not a department (市直部门) of the plan; only departments co-handle"));
    }
    if (a.unit_id == p->owner_unit_id()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".unit_id: ", a.unit_id, " is the lead department (主办) of the problem"));
    }
    for (const auto& [unit, due] : added) {
      if (unit == a.unit_id) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".unit_id: ", a.unit_id, " is named twice"));
      }
    }
    for (const v1::CoHandler& c : p->co_handlers()) {
      if (c.unit_id() == a.unit_id && c.state() == v1::CoHandler::STATE_WAITING) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".unit_id: ", a.unit_id,
                         " already co-handles the problem and has not answered"));
      }
    }
    absl::Time due = problem_deadline;
    if (a.due_on.has_value()) {
      due = absl::FromCivil(*a.due_on + 1, ShanghaiTime());  // the end of the day
      if (due <= now) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".due_on: ", FormatDate(*a.due_on), " has passed"));
      }
      if (due > problem_deadline) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".due_on: ", FormatDate(*a.due_on), " ends after the problem's deadline (",
            FormatLocalTime(problem_deadline), "); the lead department needs the answer first"));
      }
    }
    if (due <= now) {
      return absl::FailedPreconditionError(absl::StrCat(
          "problem ", p->problem_id(), " is past its deadline; ask for an extension (延期) first"));
    }
    added.emplace_back(a.unit_id, due);
  }
  std::string names;
  for (const auto& [unit, due] : added) {
    v1::CoHandler* c = nullptr;
    for (v1::CoHandler& existing : *p->mutable_co_handlers()) {
      if (existing.unit_id() == unit) c = &existing;  // asked again: a new round
    }
    if (c == nullptr) c = p->add_co_handlers();
    c->Clear();
    c->set_unit_id(unit);
    *c->mutable_deadline() = ToProtoTimestamp(due);
    *c->mutable_add_time() = ToProtoTimestamp(now);
    c->set_state(v1::CoHandler::STATE_WAITING);
    absl::StrAppend(&names, names.empty() ? "" : "、", departments.at(unit), "（",
                    FormatLocalTime(due), "前）");
  }
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(*p, v1::ProblemStep::ACTION_CO_HANDLERS_ADDED, now, actor,
              absl::StrCat("协办单位：", names, "。事由：", TrimText(reason)));
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::AnswerCoHandling(v1::Problem* p,
                                                                const std::string& answer,
                                                                absl::Time now,
                                                                const Actor& actor) const {
  if (absl::Status s = RequireText("answer", answer); !s.ok()) return s;
  v1::CoHandler* mine = nullptr;
  for (v1::CoHandler& c : *p->mutable_co_handlers()) {
    if (c.unit_id() == actor.unit_id) mine = &c;
  }
  if (mine == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(actor.unit_id, " does not co-handle problem ", p->problem_id()));
  }
  if (mine->state() == v1::CoHandler::STATE_ENDED || p->state() == v1::PROBLEM_STATE_RESOLVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("co-handling of problem ", p->problem_id(),
                     " has ended (the problem was resolved or left the department rung)"));
  }
  mine->set_answer(TrimText(answer));
  *mine->mutable_answer_time() = ToProtoTimestamp(now);
  mine->set_state(v1::CoHandler::STATE_ANSWERED);
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(*p, v1::ProblemStep::ACTION_CO_HANDLER_ANSWERED, now, actor, answer);
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::MarkCoHandlerOverdue(v1::Problem* p,
                                                                    const std::string& unit_id,
                                                                    const std::string& unit_name,
                                                                    absl::Time now) const {
  for (v1::CoHandler& c : *p->mutable_co_handlers()) {
    if (c.unit_id() != unit_id || c.state() != v1::CoHandler::STATE_WAITING || c.overdue_noted() ||
        FromProtoTimestamp(c.deadline()) > now) {
      continue;
    }
    c.set_overdue_noted(true);
    *p->mutable_update_time() = ToProtoTimestamp(now);
    return Step(*p, v1::ProblemStep::ACTION_CO_HANDLER_OVERDUE, now, Actor::System(),
                absl::StrCat("协办单位", unit_name, "逾期（",
                             FormatLocalTime(FromProtoTimestamp(c.deadline())),
                             "）未反馈会商意见，已再次提醒"));
  }
  return absl::FailedPreconditionError(
      absl::StrCat(unit_id, " has no passed co-handling deadline on problem ", p->problem_id()));
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::RecordSatisfaction(
    v1::Problem* p, v1::Satisfaction s, const std::string& comment, const RungOwners& owners,
    int limit_days, absl::Time now, const Actor& actor) const {
  if (s == v1::SATISFACTION_UNSPECIFIED || !v1::Satisfaction_IsValid(s)) {
    return absl::InvalidArgumentError(
        "satisfaction: must be SATISFIED, BASICALLY_SATISFIED or DISSATISFIED");
  }
  if (absl::Status c = CheckText("comment", TrimText(comment), kMaxText, false); !c.ok()) return c;
  if (p->state() != v1::PROBLEM_STATE_RESOLVED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "problem ", p->problem_id(), " is not resolved yet; satisfaction follows a resolution"));
  }
  if (s == v1::SATISFACTION_DISSATISFIED) {
    // Reopened one rung above the one that resolved it (the top stays).
    const absl::StatusOr<v1::Rung> above = Above(p->rung());
    const v1::Rung to = above.ok() ? *above : p->rung();
    const std::string owner = owners.OwnerOf(to);
    if (owner.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "nobody owns the ", RungLabel(to), " rung to reopen problem ", p->problem_id(), " at"));
    }
    p->clear_resolution();
    if (to != p->rung()) {
      MoveUp(p, to, owner, limit_days, now);
    } else {
      p->set_state(v1::PROBLEM_STATE_OPEN);
      *p->mutable_deadline() = ToProtoTimestamp(calendar_->DeadlineAfter(now, limit_days));
      *p->mutable_update_time() = ToProtoTimestamp(now);
    }
    p->set_satisfaction(s);
    const std::string text = TrimText(comment);
    v1::ProblemStep step = Step(*p, v1::ProblemStep::ACTION_REOPENED, now, actor,
                                text.empty() ? "回访不满意" : absl::StrCat("回访不满意：", text));
    p->set_satisfaction(v1::SATISFACTION_UNSPECIFIED);  // the next resolution is asked again
    return step;
  }
  p->set_satisfaction(s);
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(*p, v1::ProblemStep::ACTION_SATISFACTION, now, actor, comment);
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::Reopen(v1::Problem* p, const std::string& reason,
                                                      int limit_days, absl::Time now,
                                                      const Actor& actor) const {
  if (absl::Status s = RequireText("reason", reason); !s.ok()) return s;
  if (p->state() != v1::PROBLEM_STATE_RESOLVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("problem ", p->problem_id(), " is not resolved; only a resolved problem reopens"));
  }
  p->set_state(v1::PROBLEM_STATE_OPEN);
  p->clear_resolution();
  p->set_satisfaction(v1::SATISFACTION_UNSPECIFIED);
  *p->mutable_deadline() = ToProtoTimestamp(calendar_->DeadlineAfter(now, limit_days));
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(*p, v1::ProblemStep::ACTION_REOPENED, now, actor, reason);
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::MarkOverdueAtTop(v1::Problem* p,
                                                                absl::Time now) const {
  if (p->rung() != v1::RUNG_PROVINCE_PREFECTURE || p->state() == v1::PROBLEM_STATE_RESOLVED) {
    return absl::FailedPreconditionError("only an unresolved problem at the top rung");
  }
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(*p, v1::ProblemStep::ACTION_OVERDUE_AT_TOP, now, Actor::System(),
              "逾期未办结，已处最高层级，请督办");
}

absl::StatusOr<v1::ProblemStep> ProblemLadder::Transfer(v1::Problem* p,
                                                        const std::string& new_owner,
                                                        const std::string& why,
                                                        absl::Time now) const {
  if (p->state() == v1::PROBLEM_STATE_RESOLVED || new_owner.empty() ||
      new_owner == p->owner_unit_id()) {
    return absl::FailedPreconditionError("only an unresolved problem to another owner");
  }
  p->set_owner_unit_id(new_owner);
  // Whoever takes it over accepts it again.
  if (p->state() == v1::PROBLEM_STATE_ACCEPTED) p->set_state(v1::PROBLEM_STATE_OPEN);
  *p->mutable_update_time() = ToProtoTimestamp(now);
  return Step(*p, v1::ProblemStep::ACTION_TRANSFERRED, now, Actor::System(), why);
}

}  // namespace uplift::tasks

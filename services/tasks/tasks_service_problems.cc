// TasksService: problems and their ladder.
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/page.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/registry/credit_code.h"
#include "services/tasks/problem_requests.h"
#include "services/tasks/projects_store.h"
#include "services/tasks/tasks_access.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/tasks_store.h"

namespace uplift::tasks {
namespace {

absl::Status CheckProblemId(const std::string& id) {
  if (id.size() != 15 || id.rfind("pb-", 0) != 0) {
    return FieldError("problem_id", absl::StrCat(QuoteInput(id), " is not a problem id such as pb-0123456789ab"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ProblemCategory> CategoryOf(const v1::Plan& plan, const std::string& id) {
  for (const v1::ProblemCategory& c : plan.problem_categories()) {
    if (c.category_id() == id) return c;
  }
  std::string known;
  for (const v1::ProblemCategory& c : plan.problem_categories()) {
    absl::StrAppend(&known, known.empty() ? "" : ", ", c.category_id(), " (", c.name(), ")");
  }
  return FieldError("problem.category", absl::StrCat("plan ", plan.plan_id(), " has no category ",
                                                     QuoteInput(id), "; known: ", known));
}

// A problem met on a project (problem.project_id) names a project of the
// same enterprise.
absl::Status CheckProblemProject(sql::Connection& db, const v1::Problem& p) {
  if (p.project_id().empty()) return absl::OkStatus();
  std::optional<v1::Project> project = store::FindProject(db, p.project_id());
  if (!project.has_value()) {
    return FieldError("problem.project_id",
                      absl::StrCat("no project ", QuoteInput(p.project_id())));
  }
  if (project->credit_code() != p.credit_code()) {
    return FieldError("problem.project_id",
                      absl::StrCat("project ", p.project_id(), " (", project->name(),
                                   ") is not invested by enterprise ", p.credit_code()));
  }
  return absl::OkStatus();
}

}  // namespace

Actor ActorOf(const Principal& who) { return {who.subject, who.unit_id, who.subject_name}; }

void TasksService::FillDerived(v1::Problem* p) const {
  p->set_overdue(p->state() != v1::PROBLEM_STATE_RESOLVED &&
                 FromProtoTimestamp(p->deadline()) <= clock_->Now());
}

absl::StatusOr<TasksService::LadderInputs> TasksService::InputsFor(const v1::Problem& p,
                                                                   const CallAs& as,
                                                                   bool needs_leader) {
  LadderInputs in;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    ASSIGN_OR_RETURN(in.plan, plans_.Get(db, p.plan_id()));
    in.leader_unit_id = store::LeaderOf(db, p.problem_id());
    return absl::OkStatus();
  }));
  ASSIGN_OR_RETURN(in.category, CategoryOf(*in.plan, p.category()));
  if (needs_leader) {
    // The leader as the registry names it now (it may have changed).
    ASSIGN_OR_RETURN(const rv1::Cluster cluster, registry_->GetCluster(as, p.cluster_id()));
    in.leader_unit_id = cluster.liaison_leader_unit_id();
  }
  in.owners.township = p.township_id();
  in.owners.department = in.category.responsible_department_unit_id();
  in.owners.city_leader = in.leader_unit_id;
  in.owners.province = in.category.provincial_unit_id().empty() ? in.plan->provincial_unit_id()
                                                                : in.category.provincial_unit_id();
  in.owners.plan_owner = in.plan->owner_unit_id();
  return in;
}

absl::Status TasksService::SaveStep(sql::Connection& tx, const Principal& who, const char* action,
                                    const v1::Problem& before, v1::Problem& after,
                                    v1::ProblemStep step, const LadderInputs& inputs) {
  const bool top_overdue = step.action() == v1::ProblemStep::ACTION_OVERDUE_AT_TOP;
  store::UpdateProblem(tx, after, top_overdue);
  if (!inputs.leader_unit_id.empty()) store::SetLeader(tx, after.problem_id(), inputs.leader_unit_id);
  step.set_seq(store::AppendStep(tx, after.problem_id(), step));
  audit_.Record(tx, who, action, "problem/" + after.problem_id(), &before, &after, "");
  v1::ProblemChanged changed;
  *changed.mutable_problem() = after;
  *changed.mutable_step() = step;
  RETURN_IF_ERROR(outbox_.Append(tx, "problem/" + after.problem_id(), changed).status());
  // Every climb (by hand, by the sweep, 提级, a dissatisfied 回访) reaches
  // the new owner as an escalation.
  if (after.escalations() > before.escalations()) {
    v1::ProblemEscalated e;
    e.set_problem_id(after.problem_id());
    e.set_credit_code(after.credit_code());
    e.set_enterprise_name(after.enterprise_name());
    e.set_cluster_id(after.cluster_id());
    e.set_township_id(after.township_id());
    e.set_category(after.category());
    e.set_title(after.title());
    e.set_from_rung(before.rung());
    e.set_from_unit_id(before.owner_unit_id());
    e.set_to_rung(after.rung());
    e.set_new_owner_unit_id(after.owner_unit_id());
    e.set_reason(step.text());
    *e.mutable_deadline() = after.deadline();
    e.set_automatic(step.action() == v1::ProblemStep::ACTION_AUTO_ESCALATED);
    e.set_escalation_number(after.escalations());
    e.set_plan_id(after.plan_id());
    e.set_from_unit_name(NameOf(tx, inputs.plan.get(), before.owner_unit_id()));
    e.set_new_owner_unit_name(NameOf(tx, inputs.plan.get(), after.owner_unit_id()));
    e.set_township_name(NameOf(tx, inputs.plan.get(), after.township_id()));
    if (auto cluster = store::DirectoryCluster(tx, after.cluster_id())) {
      e.set_cluster_name(cluster->first);
    } else {
      for (const rv1::Cluster& c : inputs.plan->clusters()) {
        if (c.cluster_id() == after.cluster_id()) e.set_cluster_name(c.name());
      }
    }
    RETURN_IF_ERROR(outbox_.Append(tx, "problem/" + after.problem_id(), e).status());
  }
  // A step that waits for another unit reaches that unit.
  for (v1::ActionRequested& r : RequestsOfStep(before, after, step, inputs.owners.plan_owner)) {
    RETURN_IF_ERROR(RequestAction(tx, inputs.plan.get(), std::move(r)));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Problem> TasksService::MoveProblem(const Principal& who,
                                                      const std::string& problem_id,
                                                      const char* action, Mover mover,
                                                      LeaderNeed leader, const LadderMove& move) {
  RETURN_IF_ERROR(access_.Gate(who, action));
  RETURN_IF_ERROR(CheckProblemId(problem_id));
  v1::Problem loaded;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::optional<v1::Problem> p = store::FindProblem(db, problem_id);
    if (!p.has_value())
      return absl::NotFoundError(absl::StrCat("problem ", problem_id, " does not exist"));
    loaded = *p;
    return absl::OkStatus();
  }));
  if (mover == Mover::kRungOwner) RETURN_IF_ERROR(access_.CheckRungOwner(who, action, loaded));
  if (mover == Mover::kFollower) {
    RETURN_IF_ERROR(access_.CheckUnit(who, action, loaded.township_id()));
  }
  if (mover == Mover::kExtensionApprover) {
    RETURN_IF_ERROR(access_.CheckUnit(who, action, loaded.pending_extension().approver_unit_id()));
  }
  // The leader matters only when the problem climbs to the leader's rung.
  ASSIGN_OR_RETURN(const LadderInputs inputs,
                   InputsFor(loaded, AsCaller(who),
                             leader == LeaderNeed::kYes || (leader == LeaderNeed::kFromDepartment &&
                                                            loaded.rung() == v1::RUNG_DEPARTMENT)));
  if (mover == Mover::kCoHandler) RETURN_IF_ERROR(access_.CheckCoHandler(who, action, loaded));
  if (mover == Mover::kPlanOwner) RETURN_IF_ERROR(access_.CheckPlan(who, action, *inputs.plan));

  v1::Problem after;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Problem> before = store::FindProblem(tx, problem_id);
    if (!before.has_value())
      return absl::NotFoundError(absl::StrCat("problem ", problem_id, " does not exist"));
    if (before->rung() != loaded.rung() || before->owner_unit_id() != loaded.owner_unit_id() ||
        before->state() != loaded.state() ||
        before->pending_extension().SerializeAsString() !=
            loaded.pending_extension().SerializeAsString()) {
      return absl::AbortedError(absl::StrCat("problem ", problem_id,
                                             " changed while this request was on its way; read it again"));
    }
    after = *before;
    ASSIGN_OR_RETURN(v1::ProblemStep step, move(&after, inputs, clock_->Now()));
    return SaveStep(tx, who, action, *before, after, step, inputs);
  }));
  FillDerived(&after);
  return after;
}

absl::StatusOr<v1::RaiseProblemResponse> TasksService::RaiseProblem(
    const Principal& who, const v1::RaiseProblemRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "RaiseProblem"));
  RETURN_IF_ERROR(CheckRequestId("request_id", req.request_id()));
  v1::Problem p = req.problem();
  p.set_credit_code(uplift::registry::NormalizeCreditCode(p.credit_code()));
  RETURN_IF_ERROR(uplift::registry::CheckCreditCode("problem.credit_code", p.credit_code()));
  RETURN_IF_ERROR(CheckId("problem.category", p.category()));
  p.set_title(TrimText(p.title()));
  RETURN_IF_ERROR(CheckText("problem.title", p.title(), 64, true));
  p.set_description(TrimText(p.description()));
  RETURN_IF_ERROR(CheckText("problem.description", p.description(), 2000, true));
  if (!req.plan_id().empty()) RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));

  v1::Plan plan;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    RETURN_IF_ERROR(CheckProblemProject(db, p));
    std::string plan_id = req.plan_id();
    if (plan_id.empty()) {
      std::optional<std::string> current = store::DefaultPlanId(db, Today().year());
      if (!current.has_value()) {
        return absl::FailedPreconditionError("plan_id: no plan has been applied yet");
      }
      plan_id = *current;
    }
    ASSIGN_OR_RETURN(plan, LoadPlan(db, plan_id));
    return absl::OkStatus();
  }));
  ASSIGN_OR_RETURN(const v1::ProblemCategory category, CategoryOf(plan, p.category()));

  // The enterprise and its cluster, from the registry.
  absl::StatusOr<rv1::Enterprise> enterprise = registry_->GetEnterprise(AsCaller(who), p.credit_code());
  if (enterprise.status().code() == absl::StatusCode::kNotFound) {
    return FieldError("problem.credit_code",
                      absl::StrCat("enterprise ", p.credit_code(), " is not registered"));
  }
  if (!enterprise.ok()) return enterprise.status();
  if (!access_.CheckUnit(who, "RaiseProblem", enterprise->township_id()).ok()) {
    return absl::PermissionDeniedError(absl::StrCat("township ", who.unit_id,
                                                    " may raise problems only for its own enterprises; ",
                                                    p.credit_code(), " belongs to ",
                                                    enterprise->township_id()));
  }
  ASSIGN_OR_RETURN(const rv1::Cluster cluster, registry_->GetCluster(AsCaller(who), enterprise->cluster_id()));

  p.set_plan_id(plan.plan_id());
  p.set_enterprise_name(enterprise->name());
  p.set_cluster_id(enterprise->cluster_id());
  p.set_township_id(enterprise->township_id());
  RungOwners owners;
  owners.township = enterprise->township_id();

  v1::RaiseProblemResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed, idempotency_.Lookup(tx, who, "RaiseProblem",
                                                        req.request_id(), req, &response));
    if (replayed) return absl::OkStatus();
    std::optional<v1::Problem> open;
    if (!req.distinct()) open = store::FindOpenProblem(tx, p.credit_code(), p.category());
    if (open.has_value()) {
      // The open problem is returned only to whoever may see it; others
      // learn that it exists, and nothing of it.
      if (!access_.CheckVisible(who, "GetProblem", *open, store::LeaderOf(tx, open->problem_id()),
                                store::ListSteps(tx, open->problem_id()))
               .ok()) {
        return absl::AlreadyExistsError(absl::StrCat(
            "problem: enterprise ", p.credit_code(), " already has an open problem of category ",
            p.category(), ", handled by other units; the plan owner can tell you more"));
      }
      *response.mutable_problem() = *open;
      response.set_existing(true);
      return absl::OkStatus();
    }
    p.set_distinct(req.distinct());
    p.set_problem_id(absl::StrCat("pb-", RandomHex(6)));
    v1::ProblemStep step = ladder_.Raise(&p, owners, category.time_limit_working_days(),
                                         clock_->Now(), ActorOf(who));
    store::InsertProblem(tx, p, cluster.liaison_leader_unit_id());
    step.set_seq(store::AppendStep(tx, p.problem_id(), step));
    audit_.Record(tx, who, "RaiseProblem", "problem/" + p.problem_id(), nullptr, &p, req.request_id());
    v1::ProblemChanged changed;
    *changed.mutable_problem() = p;
    *changed.mutable_step() = step;
    RETURN_IF_ERROR(outbox_.Append(tx, "problem/" + p.problem_id(), changed).status());
    *response.mutable_problem() = p;
    idempotency_.Remember(tx, who, "RaiseProblem", req.request_id(), req, response);
    return absl::OkStatus();
  }));
  FillDerived(response.mutable_problem());
  return response;
}

absl::StatusOr<v1::GetProblemResponse> TasksService::GetProblem(const Principal& who,
                                                                const v1::GetProblemRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "GetProblem"));
  RETURN_IF_ERROR(CheckProblemId(req.problem_id()));
  v1::GetProblemResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::optional<v1::Problem> p = store::FindProblem(db, req.problem_id());
    if (!p.has_value())
      return absl::NotFoundError(absl::StrCat("problem ", req.problem_id(), " does not exist"));
    std::vector<v1::ProblemStep> steps = store::ListSteps(db, req.problem_id());
    RETURN_IF_ERROR(
        access_.CheckVisible(who, "GetProblem", *p, store::LeaderOf(db, req.problem_id()), steps));
    for (v1::ProblemStep& s : steps) *p->add_timeline() = std::move(s);
    *response.mutable_problem() = std::move(*p);
    return absl::OkStatus();
  }));
  FillDerived(response.mutable_problem());
  return response;
}

absl::StatusOr<v1::ListProblemsResponse> TasksService::ListProblems(
    const Principal& who, const v1::ListProblemsRequest& req) {
  if (!v1::Rung_IsValid(req.rung())) return FieldError("rung", "is not a rung");
  if (!v1::ProblemState_IsValid(req.state())) return FieldError("state", "is not a problem state");
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"owner_unit_id", &req.owner_unit_id()},
        {"cluster_id", &req.cluster_id()},
        {"township_id", &req.township_id()},
        {"awaiting_unit_id", &req.awaiting_unit_id()},
        {"project_id", &req.project_id()}}) {
    if (!value->empty()) RETURN_IF_ERROR(CheckId(field, *value));
  }
  store::ProblemFilter filter;
  filter.rung = req.rung();
  filter.owner_unit_id = req.owner_unit_id();
  filter.state = req.state();
  filter.cluster_id = req.cluster_id();
  filter.township_id = req.township_id();
  filter.awaiting_unit_id = req.awaiting_unit_id();
  filter.project_id = req.project_id();
  filter.now = clock_->Now();
  if (!req.credit_code().empty()) {
    filter.credit_code = uplift::registry::NormalizeCreditCode(req.credit_code());
    RETURN_IF_ERROR(uplift::registry::CheckCreditCode("credit_code", filter.credit_code));
  }
  if (req.has_overdue()) filter.overdue = req.overdue();
  RETURN_IF_ERROR(access_.Gate(who, "ListProblems"));
  access_.RestrictList(who, &filter);
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  const std::string filter_key = absl::StrCat(
      req.rung(), "|", req.owner_unit_id(), "|", req.state(), "|", req.cluster_id(), "|",
      req.township_id(), "|", filter.credit_code, "|", req.awaiting_unit_id(), "|",
      req.project_id(), "|", req.has_overdue() ? (req.overdue() ? "1" : "0") : "");
  ASSIGN_OR_RETURN(const std::string after, DecodePageToken(req.page_token(), filter_key));
  v1::ListProblemsResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    for (v1::Problem& p : store::ListProblems(db, filter, after, page_size + 1)) {
      FillDerived(&p);
      *response.add_problems() = std::move(p);
    }
    return absl::OkStatus();
  }));
  if (response.problems_size() > page_size) {
    response.mutable_problems()->RemoveLast();
    response.set_next_page_token(
        EncodePageToken(store::ProblemCursor(response.problems(page_size - 1)), filter_key));
  }
  return response;
}

absl::StatusOr<v1::AcceptProblemResponse> TasksService::AcceptProblem(
    const Principal& who, const v1::AcceptProblemRequest& req) {
  ASSIGN_OR_RETURN(
      v1::Problem p,
      MoveProblem(who, req.problem_id(), "AcceptProblem", Mover::kRungOwner, LeaderNeed::kNo,
                  [&](v1::Problem* p, const LadderInputs&, absl::Time now) {
                    return ladder_.Accept(p, now, ActorOf(who));
                  }));
  v1::AcceptProblemResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

absl::StatusOr<v1::ResolveProblemResponse> TasksService::ResolveProblem(
    const Principal& who, const v1::ResolveProblemRequest& req) {
  ASSIGN_OR_RETURN(
      v1::Problem p,
      MoveProblem(who, req.problem_id(), "ResolveProblem", Mover::kRungOwner, LeaderNeed::kNo,
                  [&](v1::Problem* p, const LadderInputs&, absl::Time now) {
                    return ladder_.Resolve(p, req.resolution(), now, ActorOf(who));
                  }));
  v1::ResolveProblemResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

absl::StatusOr<v1::ReturnProblemResponse> TasksService::ReturnProblem(
    const Principal& who, const v1::ReturnProblemRequest& req) {
  ASSIGN_OR_RETURN(
      v1::Problem p,
      MoveProblem(who, req.problem_id(), "ReturnProblem", Mover::kRungOwner, LeaderNeed::kNo,
                  [&](v1::Problem* p, const LadderInputs& in, absl::Time now) {
                    return ladder_.Return(p, req.reason(), in.owners,
                                          in.category.time_limit_working_days(), now, ActorOf(who));
                  }));
  v1::ReturnProblemResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

absl::StatusOr<v1::EscalateProblemResponse> TasksService::EscalateProblem(
    const Principal& who, const v1::EscalateProblemRequest& req) {
  if (!v1::Rung_IsValid(req.to_rung())) return FieldError("to_rung", "is not a rung");
  const bool skip = req.to_rung() != v1::RUNG_UNSPECIFIED;
  // 提级 is the plan owner's; one rung up, the current rung owner's.
  ASSIGN_OR_RETURN(v1::Problem p,
                   MoveProblem(who, req.problem_id(), "EscalateProblem",
                               skip ? Mover::kPlanOwner : Mover::kRungOwner,
                               skip ? LeaderNeed::kYes : LeaderNeed::kFromDepartment,
                               [&](v1::Problem* p, const LadderInputs& in, absl::Time now) {
                                 const int days = in.category.time_limit_working_days();
                                 return skip ? ladder_.SkipUp(p, req.to_rung(), req.reason(),
                                                              in.owners, days, now, ActorOf(who))
                                             : ladder_.Escalate(p, req.reason(), in.owners, days,
                                                                now, ActorOf(who), false);
                               }));
  v1::EscalateProblemResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

absl::StatusOr<v1::RecordSatisfactionResponse> TasksService::RecordSatisfaction(
    const Principal& who, const v1::RecordSatisfactionRequest& req) {
  ASSIGN_OR_RETURN(v1::Problem p,
                   MoveProblem(who, req.problem_id(), "RecordSatisfaction", Mover::kFollower,
                               LeaderNeed::kFromDepartment,
                               [&](v1::Problem* p, const LadderInputs& in, absl::Time now) {
                                 return ladder_.RecordSatisfaction(
                                     p, req.satisfaction(), req.comment(), in.owners,
                                     in.category.time_limit_working_days(), now, ActorOf(who));
                               }));
  v1::RecordSatisfactionResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

absl::StatusOr<v1::ReopenProblemResponse> TasksService::ReopenProblem(
    const Principal& who, const v1::ReopenProblemRequest& req) {
  ASSIGN_OR_RETURN(v1::Problem p,
                   MoveProblem(who, req.problem_id(), "ReopenProblem", Mover::kFollower,
                               LeaderNeed::kNo,
                               [&](v1::Problem* p, const LadderInputs& in, absl::Time now) {
                                 return ladder_.Reopen(p, req.reason(),
                                                       in.category.time_limit_working_days(), now,
                                                       ActorOf(who));
                               }));
  v1::ReopenProblemResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

absl::StatusOr<v1::RuleOnProblemResponse> TasksService::RuleOnProblem(
    const Principal& who, const v1::RuleOnProblemRequest& req) {
  if (!v1::Rung_IsValid(req.rung()) || req.rung() == v1::RUNG_UNSPECIFIED) {
    return FieldError("rung", "must name the rung that owns the problem, e.g. RUNG_DEPARTMENT");
  }
  ASSIGN_OR_RETURN(
      v1::Problem p,
      MoveProblem(who, req.problem_id(), "RuleOnProblem", Mover::kPlanOwner, LeaderNeed::kYes,
                  [&](v1::Problem* p, const LadderInputs& in, absl::Time now) {
                    return ladder_.RuleOn(p, req.rung(), req.reason(), in.owners,
                                          in.category.time_limit_working_days(), now, ActorOf(who));
                  }));
  v1::RuleOnProblemResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

absl::StatusOr<v1::RequestExtensionResponse> TasksService::RequestExtension(
    const Principal& who, const v1::RequestExtensionRequest& req) {
  ASSIGN_OR_RETURN(const absl::CivilDay due_on, ParseDate("due_on", req.due_on()));
  ASSIGN_OR_RETURN(v1::Problem p,
                   MoveProblem(who, req.problem_id(), "RequestExtension", Mover::kRungOwner,
                               LeaderNeed::kFromDepartment,
                               [&](v1::Problem* p, const LadderInputs& in, absl::Time now) {
                                 return ladder_.RequestExtension(p, due_on, req.reason(),
                                                                 in.category.extension_approver(),
                                                                 in.owners, now, ActorOf(who));
                               }));
  v1::RequestExtensionResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

absl::StatusOr<v1::DecideExtensionResponse> TasksService::DecideExtension(
    const Principal& who, const v1::DecideExtensionRequest& req) {
  ASSIGN_OR_RETURN(
      v1::Problem p,
      MoveProblem(who, req.problem_id(), "DecideExtension", Mover::kExtensionApprover,
                  LeaderNeed::kNo, [&](v1::Problem* p, const LadderInputs&, absl::Time now) {
                    return ladder_.DecideExtension(p, req.approve(), req.reason(), now,
                                                   ActorOf(who));
                  }));
  v1::DecideExtensionResponse response;
  *response.mutable_problem() = std::move(p);
  return response;
}

}  // namespace uplift::tasks

// ProjectsService: the project ledger's RPCs.
#include "services/tasks/projects_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/money_format.h"
#include "common/page.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/registry/credit_code.h"
#include "services/tasks/project_phases.h"
#include "services/tasks/projects_store.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/tasks_store.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::tasks {
namespace {

absl::Status CheckProjectId(const std::string& id, const char* field = "project_id") {
  if (id.size() != 15 || id.rfind("pj-", 0) != 0) {
    return FieldError(field, absl::StrCat(QuoteInput(id), " is not a project id (pj-…)"));
  }
  return absl::OkStatus();
}

const rv1::Unit* UnitOfPlan(const v1::Plan& plan, const std::string& unit_id) {
  for (const rv1::Unit& u : plan.units()) {
    if (u.unit_id() == unit_id) return &u;
  }
  return nullptr;
}

v1::ProjectStep WithActor(v1::ProjectStep step, const Principal& who) {
  step.set_actor_unit_id(who.unit_id);
  step.set_actor_name(who.subject_name);
  return step;
}

}  // namespace

ProjectsService::ProjectsService(sql::Store* db, const Clock* clock, RegistryDirectory* registry,
                                 PlanCache* plans)
    : db_(db),
      clock_(clock),
      registry_(registry),
      outbox_(kTasksSource, clock),
      audit_(clock),
      idempotency_(clock),
      plans_(plans) {}

absl::CivilDay ProjectsService::Today() const { return ShanghaiDay(clock_->Now()); }

absl::Status ProjectsService::FillFromPlan(sql::Connection& db, v1::Project* p) {
  std::optional<std::string> plan_id = store::DefaultPlanId(db, p->year());
  absl::StatusOr<std::shared_ptr<const v1::Plan>> plan =
      plan_id.has_value() ? plans_->Get(db, *plan_id) : absl::NotFoundError("");
  if (!plan.ok() || (*plan)->year() != p->year()) {
    return absl::FailedPreconditionError(
        absl::StrCat("project.year: no plan of ", p->year(), " has been applied"));
  }
  const v1::Plan& the_plan = **plan;
  const rv1::Cluster* cluster = nullptr;
  for (const rv1::Cluster& c : the_plan.clusters()) {
    if (c.cluster_id() == p->cluster_id()) cluster = &c;
  }
  if (cluster == nullptr) {
    return FieldError("project.cluster_id", absl::StrCat("no cluster ", QuoteInput(p->cluster_id()),
                                                         " in plan ", the_plan.plan_id()));
  }
  const rv1::Unit* township = UnitOfPlan(the_plan, p->township_id());
  if (township == nullptr || township->kind() == rv1::UNIT_KIND_DEPARTMENT ||
      township->kind() == rv1::UNIT_KIND_CITY_LEADER ||
      township->kind() == rv1::UNIT_KIND_PROVINCE_PREFECTURE) {
    return FieldError("project.township_id",
                      absl::StrCat("no township ", QuoteInput(p->township_id()), " in plan ",
                                   the_plan.plan_id()));
  }
  const rv1::Unit* department = UnitOfPlan(the_plan, p->department_unit_id());
  if (department == nullptr || department->kind() != rv1::UNIT_KIND_DEPARTMENT) {
    return FieldError("project.department_unit_id",
                      absl::StrCat("no department ", QuoteInput(p->department_unit_id()),
                                   " in plan ", the_plan.plan_id()));
  }
  p->set_cluster_name(cluster->name());
  p->set_township_name(township->name());
  p->set_department_name(department->name());
  p->set_leader_unit_id(cluster->liaison_leader_unit_id());
  const rv1::Unit* leader = UnitOfPlan(the_plan, cluster->liaison_leader_unit_id());
  p->set_leader_name(leader != nullptr ? leader->name() : "");
  return absl::OkStatus();
}

absl::Status ProjectsService::CheckActor(const Principal& who, const char* action,
                                         const v1::Project& p) const {
  const bool own = !who.unit_id.empty() &&
                   (who.unit_id == p.department_unit_id() || who.unit_id == p.township_id());
  absl::Status s = access_.Check(who, action, own);
  if (s.ok() || !access_.Gate(who, action).ok()) return s;
  return absl::PermissionDeniedError(
      absl::StrCat("project ", p.project_id(), " is followed by ", p.department_unit_id(), " and ",
                   p.township_id(), ", not by ", who.unit_id.empty() ? "no unit" : who.unit_id));
}

absl::StatusOr<v1::Project> ProjectsService::Load(sql::Connection& db,
                                                  const std::string& project_id) const {
  std::optional<v1::Project> p = store::FindProject(db, project_id);
  if (!p.has_value()) {
    return absl::NotFoundError(absl::StrCat("project ", project_id, " does not exist"));
  }
  return std::move(*p);
}

absl::Status ProjectsService::SaveStep(sql::Connection& tx, const Principal& who,
                                       const char* action, const v1::Project* before,
                                       v1::Project& after, v1::ProjectStep step,
                                       const std::string& request_id) {
  step = WithActor(std::move(step), who);
  *step.mutable_time() = ToProtoTimestamp(clock_->Now());
  *after.mutable_update_time() = step.time();
  if (before == nullptr) {
    store::InsertProject(tx, after);
  } else {
    store::UpdateProject(tx, after);
  }
  step.set_seq(store::AppendProjectStep(tx, after.project_id(), step));
  audit_.Record(tx, who, action, "project/" + after.project_id(), before, &after, request_id);
  v1::ProjectChanged changed;
  *changed.mutable_project() = after;
  *changed.mutable_step() = std::move(step);
  return outbox_.Append(tx, "project/" + after.project_id(), changed).status();
}

absl::StatusOr<v1::CreateProjectResponse> ProjectsService::CreateProject(
    const Principal& who, const v1::CreateProjectRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "CreateProject"));
  RETURN_IF_ERROR(CheckRequestId("request_id", req.request_id()));
  const absl::CivilDay today = Today();
  v1::Project p = req.project();
  if (!p.credit_code().empty()) {
    p.set_credit_code(uplift::registry::NormalizeCreditCode(p.credit_code()));
    RETURN_IF_ERROR(uplift::registry::CheckCreditCode("project.credit_code", p.credit_code()));
  }
  if (p.year() == 0) p.set_year(today.year());
  RETURN_IF_ERROR(ProjectPhases::CheckNew(&p, req.phase(), today));
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) { return FillFromPlan(db, &p); }));
  RETURN_IF_ERROR(access_.CheckUnit(who, "CreateProject", p.department_unit_id()));
  if (!p.credit_code().empty()) {
    absl::StatusOr<rv1::Enterprise> enterprise =
        registry_->GetEnterprise({who.bearer_token, who.call_deadline}, p.credit_code());
    if (enterprise.status().code() == absl::StatusCode::kNotFound) {
      return FieldError("project.credit_code",
                        absl::StrCat("enterprise ", p.credit_code(),
                                     " is not registered; name the investor instead"));
    }
    if (!enterprise.ok()) return enterprise.status();
    p.set_enterprise_name(enterprise->name());
    if (p.investor().empty()) p.set_investor(enterprise->name());
  }
  for (const char* output :
       {"phase", "phase_before_suspension", "suspension_reason", "completed_investment_fen",
        "year_completed_investment_fen", "last_period", "history"}) {
    p.GetReflection()->ClearField(&p, p.GetDescriptor()->FindFieldByName(output));
  }
  p.set_project_id(absl::StrCat("pj-", RandomHex(6)));
  *p.mutable_create_time() = ToProtoTimestamp(clock_->Now());
  const v1::ProjectStep step = ProjectPhases::Create(&p, req.phase(), today);

  v1::CreateProjectResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed, idempotency_.Lookup(tx, who, "CreateProject", req.request_id(),
                                                        req, &response));
    if (replayed) return absl::OkStatus();
    if (!p.ledger_number().empty()) {
      if (std::optional<v1::Project> same =
              store::FindProjectByLedgerNumber(tx, p.year(), p.ledger_number())) {
        return absl::AlreadyExistsError(absl::StrCat("project.ledger_number: ", p.ledger_number(),
                                                     " of ", p.year(), " is already project ",
                                                     same->project_id(), " (", same->name(), ")"));
      }
    }
    v1::Project created = p;
    RETURN_IF_ERROR(SaveStep(tx, who, "CreateProject", nullptr, created, step, req.request_id()));
    *response.mutable_project() = created;
    idempotency_.Remember(tx, who, "CreateProject", req.request_id(), req, response);
    return absl::OkStatus();
  }));
  ProjectPhases::FillLight(response.mutable_project(), today);
  return response;
}

absl::StatusOr<v1::GetProjectResponse> ProjectsService::GetProject(
    const Principal& who, const v1::GetProjectRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "GetProject"));
  RETURN_IF_ERROR(CheckProjectId(req.project_id()));
  v1::GetProjectResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    ASSIGN_OR_RETURN(*response.mutable_project(), Load(db, req.project_id()));
    for (v1::ProjectStep& s : store::ListProjectSteps(db, req.project_id())) {
      *response.mutable_project()->add_history() = std::move(s);
    }
    return absl::OkStatus();
  }));
  ProjectPhases::FillLight(response.mutable_project(), Today());
  return response;
}

absl::StatusOr<v1::ListProjectsResponse> ProjectsService::ListProjects(
    const Principal& who, const v1::ListProjectsRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListProjects"));
  store::ProjectFilter filter;
  filter.year = req.year() == 0 ? Today().year() : req.year();
  if (filter.year < 2000 || filter.year > 2100) return FieldError("year", "must be 2000 to 2100");
  for (const auto& [field, value, out] :
       {std::tuple<const char*, const std::string*, std::string*>{"cluster_id", &req.cluster_id(),
                                                                  &filter.cluster_id},
        {"township_id", &req.township_id(), &filter.township_id},
        {"department_unit_id", &req.department_unit_id(), &filter.department_unit_id}}) {
    if (!value->empty()) RETURN_IF_ERROR(CheckId(field, *value));
    *out = *value;
  }
  if (!req.credit_code().empty()) {
    filter.credit_code = uplift::registry::NormalizeCreditCode(req.credit_code());
    RETURN_IF_ERROR(uplift::registry::CheckCreditCode("credit_code", filter.credit_code));
  }
  if (!v1::ProjectPhase_IsValid(req.phase())) return FieldError("phase", "is not a phase");
  if (!v1::ProjectLight_IsValid(req.light())) return FieldError("light", "is not a colour");
  filter.phase = req.phase();
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  const std::string filter_key = absl::StrCat(
      filter.year, "|", filter.cluster_id, "|", filter.township_id, "|", filter.department_unit_id,
      "|", filter.credit_code, "|", req.phase(), "|", req.light());
  ASSIGN_OR_RETURN(std::string after, DecodePageToken(req.page_token(), filter_key));
  const absl::CivilDay today = Today();
  v1::ListProjectsResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    // The colour is of today, so it filters after the read.
    while (response.projects_size() <= page_size) {
      std::vector<v1::Project> batch = store::ListProjects(db, filter, after, page_size + 1);
      for (v1::Project& p : batch) {
        after = store::ProjectCursor(p);
        ProjectPhases::FillLight(&p, today);
        if (req.light() != v1::PROJECT_LIGHT_UNSPECIFIED && p.light() != req.light()) continue;
        *response.add_projects() = std::move(p);
        if (response.projects_size() > page_size) break;
      }
      if (static_cast<int>(batch.size()) <= page_size) break;
    }
    return absl::OkStatus();
  }));
  if (response.projects_size() > page_size) {
    response.mutable_projects()->RemoveLast();
    response.set_next_page_token(
        EncodePageToken(store::ProjectCursor(response.projects(page_size - 1)), filter_key));
  }
  return response;
}

absl::StatusOr<v1::Project> ProjectsService::ChangeProject(const Principal& who,
                                                           const std::string& project_id,
                                                           const char* action,
                                                           const ProjectChange& change) {
  RETURN_IF_ERROR(access_.Gate(who, action));
  RETURN_IF_ERROR(CheckProjectId(project_id));
  const absl::CivilDay today = Today();
  v1::Project after;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Project before, Load(tx, project_id));
    RETURN_IF_ERROR(CheckActor(who, action, before));
    after = before;
    ASSIGN_OR_RETURN(v1::ProjectStep step, change(&after, today));
    return SaveStep(tx, who, action, &before, after, std::move(step), "");
  }));
  ProjectPhases::FillLight(&after, today);
  return after;
}

absl::StatusOr<v1::AdvanceProjectResponse> ProjectsService::AdvanceProject(
    const Principal& who, const v1::AdvanceProjectRequest& req) {
  const std::string reason = TrimText(req.reason());
  RETURN_IF_ERROR(CheckText("reason", reason, 500, false));
  v1::AdvanceProjectResponse response;
  ASSIGN_OR_RETURN(
      *response.mutable_project(),
      ChangeProject(who, req.project_id(), "AdvanceProject",
                    [&](v1::Project* p, absl::CivilDay today) -> absl::StatusOr<v1::ProjectStep> {
                      absl::CivilDay on = today;
                      if (!req.on().empty()) {
                        ASSIGN_OR_RETURN(on, ParsePastDate("on", req.on(), today));
                      }
                      return ProjectPhases::Advance(p, req.phase(), on, reason);
                    }));
  return response;
}

absl::StatusOr<v1::RecordMilestoneResponse> ProjectsService::RecordMilestone(
    const Principal& who, const v1::RecordMilestoneRequest& req) {
  const std::string reason = TrimText(req.reason());
  RETURN_IF_ERROR(CheckText("reason", reason, 500, false));
  v1::RecordMilestoneResponse response;
  ASSIGN_OR_RETURN(
      *response.mutable_project(),
      ChangeProject(
          who, req.project_id(), "RecordMilestone",
          [&](v1::Project* p, absl::CivilDay today) -> absl::StatusOr<v1::ProjectStep> {
            std::optional<absl::CivilDay> actual, planned;
            if (!req.actual_on().empty()) {
              ASSIGN_OR_RETURN(actual, ParsePastDate("actual_on", req.actual_on(), today));
            }
            if (!req.planned_on().empty()) {
              ASSIGN_OR_RETURN(planned, ParseDate("planned_on", req.planned_on()));
            }
            return ProjectPhases::RecordMilestone(p, req.milestone(), actual, planned, reason);
          }));
  return response;
}

absl::StatusOr<v1::ReportProjectProgressResponse> ProjectsService::ReportProjectProgress(
    const Principal& who, const v1::ReportProjectProgressRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ReportProjectProgress"));
  v1::ProjectProgress progress = req.progress();
  RETURN_IF_ERROR(CheckProjectId(progress.project_id(), "progress.project_id"));
  const absl::CivilDay today = Today();
  ASSIGN_OR_RETURN(const absl::CivilMonth month, ParsePeriod("progress.period", progress.period()));
  if (month > absl::CivilMonth(today)) {
    return FieldError("progress.period", absl::StrCat(progress.period(), " has not begun"));
  }
  if (progress.investment_fen() < 0) {
    return FieldError("progress.investment_fen", "must not be negative");
  }
  if (req.revised_total_investment_fen() < 0) {
    return FieldError("revised_total_investment_fen", "must not be negative");
  }
  progress.set_image_progress(TrimText(progress.image_progress()));
  RETURN_IF_ERROR(CheckText("progress.image_progress", progress.image_progress(), 500, true));
  progress.set_problems_met(TrimText(progress.problems_met()));
  RETURN_IF_ERROR(CheckText("progress.problems_met", progress.problems_met(), 500, false));
  progress.set_unit_id(who.unit_id);
  *progress.mutable_report_time() = ToProtoTimestamp(clock_->Now());

  v1::ReportProjectProgressResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Project before, Load(tx, progress.project_id()));
    RETURN_IF_ERROR(CheckActor(who, "ReportProjectProgress", before));
    if (month.year() < before.year() - 1) {
      return FieldError(
          "progress.period",
          absl::StrCat(progress.period(), " is before the project's ledger year ", before.year()));
    }
    // The sums with this month's new figure in place of any earlier one.
    std::vector<v1::ProjectProgress> months = store::ListProjectProgress(tx, before.project_id());
    months.erase(std::remove_if(
                     months.begin(), months.end(),
                     [&](const v1::ProjectProgress& m) { return m.period() == progress.period(); }),
                 months.end());
    months.push_back(progress);
    const store::InvestmentSums sums = store::SumInvestment(months, before.year());
    const int64_t all = sums.all;
    v1::Project after = before;
    const int64_t total = req.revised_total_investment_fen() > 0
                              ? req.revised_total_investment_fen()
                              : before.total_investment_fen();
    if (all > total) {
      return FieldError(
          req.revised_total_investment_fen() > 0 ? "revised_total_investment_fen"
                                                 : "progress.investment_fen",
          absl::StrCat("the completed investment would be ", FormatAmountText(all),
                       ", above the total of ", FormatAmountText(total),
                       "; report a revised total (revised_total_investment_fen) of at least that"));
    }
    response.set_replaced(store::SaveProjectProgress(tx, progress));
    after.set_completed_investment_fen(sums.all);
    after.set_year_completed_investment_fen(sums.year);
    after.set_last_period(sums.last_period);
    if (req.revised_total_investment_fen() > 0 &&
        req.revised_total_investment_fen() != before.total_investment_fen()) {
      after.set_total_investment_fen(req.revised_total_investment_fen());
      v1::ProjectStep step;
      step.set_action(v1::ProjectStep::ACTION_TOTAL_REVISED);
      step.set_phase(after.phase());
      step.set_on(FormatDate(today));
      step.set_text(absl::StrCat("总投资 ", FormatAmountText(before.total_investment_fen()), " -> ",
                                 FormatAmountText(after.total_investment_fen())));
      RETURN_IF_ERROR(SaveStep(tx, who, "ReviseProjectTotal", &before, after, step, ""));
    } else {
      *after.mutable_update_time() = progress.report_time();
      store::UpdateProject(tx, after);
    }
    audit_.Record(tx, who, "ReportProjectProgress",
                  absl::StrCat("project/", before.project_id(), "/", progress.period()), nullptr,
                  &progress, "");
    v1::ProjectProgressReported reported;
    *reported.mutable_progress() = progress;
    *reported.mutable_project() = after;
    reported.set_replaced(response.replaced());
    RETURN_IF_ERROR(
        outbox_
            .Append(tx, absl::StrCat("project/", before.project_id(), "/", progress.period()),
                    reported)
            .status());
    *response.mutable_progress() = progress;
    *response.mutable_project() = std::move(after);
    return absl::OkStatus();
  }));
  ProjectPhases::FillLight(response.mutable_project(), today);
  return response;
}

absl::StatusOr<v1::ListProjectProgressResponse> ProjectsService::ListProjectProgress(
    const Principal& who, const v1::ListProjectProgressRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListProjectProgress"));
  RETURN_IF_ERROR(CheckProjectId(req.project_id()));
  v1::ListProjectProgressResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    RETURN_IF_ERROR(Load(db, req.project_id()).status());
    for (v1::ProjectProgress& p : store::ListProjectProgress(db, req.project_id())) {
      *response.add_progress() = std::move(p);
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace uplift::tasks

// TasksService: construction, plans and tasks.
#include "services/tasks/tasks_service.h"

#include <openssl/sha.h>

#include <set>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/sql/store.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/tasks/plan_rules.h"
#include "services/tasks/reporting_periods.h"
#include "services/tasks/task_facts_store.h"
#include "services/tasks/tasks_access.h"
#include "services/tasks/tasks_store.h"

namespace uplift::tasks {
namespace {

std::string ContentHash(const v1::Plan& plan) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    plan.SerializeToCodedStream(&coded);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), sizeof(digest)));
}

}  // namespace

TasksService::TasksService(sql::Store* db, const Clock* clock, const WorkingCalendar* calendar,
                           RegistryDirectory* registry, std::string service_token)
    : db_(db),
      clock_(clock),
      calendar_(calendar),
      registry_(registry),
      service_token_(std::move(service_token)),
      ladder_(calendar),
      outbox_(kTasksSource, clock),
      audit_(clock),
      idempotency_(clock) {}

absl::CivilDay TasksService::Today() const { return ShanghaiDay(clock_->Now()); }

CallAs TasksService::AsCaller(const Principal& who) const {
  return {who.bearer_token, who.call_deadline};
}

CallAs TasksService::AsService() const {
  // Deadlines of calls are real time, whatever the service clock says.
  return {service_token_, absl::Now() + absl::Seconds(5)};
}

absl::StatusOr<v1::Plan> TasksService::LoadPlan(sql::Connection& db, const std::string& plan_id) {
  std::optional<v1::Plan> plan = store::FindPlan(db, plan_id);
  if (!plan.has_value()) {
    return absl::NotFoundError(absl::StrCat("plan ", QuoteInput(plan_id), " has not been applied"));
  }
  return *plan;
}

absl::StatusOr<v1::ApplyPlanResponse> TasksService::ApplyPlan(const Principal& who,
                                                              const v1::ApplyPlanRequest& req) {
  v1::Plan plan = req.plan();
  plan.clear_content_hash();
  plan.clear_applied_time();
  RETURN_IF_ERROR(access_.CheckPlan(who, "ApplyPlan", plan));
  RETURN_IF_ERROR(NormalizeAndCheckPlan(&plan));
  plan.set_content_hash(ContentHash(plan));

  // The owner of an applied plan stays its owner.
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::optional<v1::Plan> before = store::FindPlan(db, plan.plan_id());
    if (before.has_value()) return access_.CheckPlan(who, "ApplyPlan", *before);
    return absl::OkStatus();
  }));

  v1::ApplyPlanResponse response;
  // The registry first: units (supervisors once all exist), then clusters.
  // Each is idempotent, so a failed apply can simply be repeated.
  const CallAs as = AsCaller(who);
  auto tally = [](Upsert u, int32_t* created, int32_t* updated) {
    if (u == Upsert::kCreated) ++*created;
    if (u == Upsert::kUpdated) ++*updated;
  };
  // A unit whose supervisor comes later in the file is created without it
  // first and given it once the supervisor exists.
  std::set<std::string> ensured;
  std::vector<rv1::Unit> deferred;
  for (rv1::Unit unit : plan.units()) {
    if (!unit.supervisor_unit_id().empty() && !ensured.count(unit.supervisor_unit_id())) {
      deferred.push_back(unit);
      unit.clear_supervisor_unit_id();
    }
    ASSIGN_OR_RETURN(Upsert u, registry_->EnsureUnit(as, unit));
    ensured.insert(unit.unit_id());
    int32_t created = response.units_created(), updated = response.units_updated();
    tally(u, &created, &updated);
    response.set_units_created(created);
    response.set_units_updated(updated);
  }
  for (const rv1::Unit& unit : deferred) {
    ASSIGN_OR_RETURN(Upsert u, registry_->EnsureUnit(as, unit));
    if (u == Upsert::kUpdated) response.set_units_updated(response.units_updated() + 1);
  }
  for (const rv1::Cluster& cluster : plan.clusters()) {
    ASSIGN_OR_RETURN(Upsert u, registry_->EnsureCluster(as, cluster));
    int32_t created = response.clusters_created(), updated = response.clusters_updated();
    tally(u, &created, &updated);
    response.set_clusters_created(created);
    response.set_clusters_updated(updated);
  }

  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Plan> before = store::FindPlan(tx, plan.plan_id());
    if (before.has_value() && before->content_hash() == plan.content_hash()) {
      *response.mutable_plan() = *before;
      response.set_changed(false);
      return absl::OkStatus();
    }
    if (before.has_value()) RETURN_IF_ERROR(access_.CheckPlan(who, "ApplyPlan", *before));
    *plan.mutable_applied_time() = ToProtoTimestamp(clock_->Now());
    store::SavePlan(tx, plan);
    store::ReplaceTasks(tx, plan);
    v1::PlanApplied event;
    event.set_plan_id(plan.plan_id());
    event.set_year(plan.year());
    event.set_content_hash(plan.content_hash());
    event.set_tasks(plan.tasks_size());
    audit_.Record(tx, who, "ApplyPlan", "plan/" + plan.plan_id(),
                  before.has_value() ? &*before : nullptr, &plan, "");
    RETURN_IF_ERROR(outbox_.Append(tx, "plan/" + plan.plan_id(), event).status());
    *response.mutable_plan() = plan;
    response.set_changed(true);
    return absl::OkStatus();
  }));
  response.set_tasks(response.plan().tasks_size());
  return response;
}

absl::StatusOr<v1::GetPlanResponse> TasksService::GetPlan(const Principal& who,
                                                          const v1::GetPlanRequest& req) {
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  v1::GetPlanResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Plan plan, LoadPlan(db, req.plan_id()));
    // Tasks as currently assigned.
    plan.clear_tasks();
    for (v1::Task& t : store::ListTasks(db, req.plan_id())) *plan.add_tasks() = std::move(t);
    *response.mutable_plan() = std::move(plan);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListPlansResponse> TasksService::ListPlans(const Principal& who,
                                                              const v1::ListPlansRequest&) {
  v1::ListPlansResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    for (v1::Plan& plan : store::ListPlans(db)) {
      plan.clear_tasks();
      plan.clear_programmes();
      plan.clear_units();
      plan.clear_clusters();
      *response.add_plans() = std::move(plan);
    }
    return absl::OkStatus();
  }));
  return response;
}

store::PlanFactsAsOf TasksService::FactsAt(sql::Connection& db, const v1::Plan& plan,
                                           absl::CivilDay day) const {
  // Today every figure counts, whatever period it is of; a past day sees
  // the periods up to its month.
  const absl::CivilMonth month =
      day >= Today() ? absl::CivilMonth(9999, 12) : absl::CivilMonth(day);
  store::PlanFactsAsOf facts =
      store::LoadPlanFacts(db, plan.plan_id(), month, absl::FromCivil(day + 1, ShanghaiTime()));
  if (std::optional<absl::CivilMonth> due = LastPeriodDue(plan, day)) {
    facts.last_period_due = FormatPeriod(*due);
    facts.reported_last_due = store::ReportedFor(db, plan.plan_id(), facts.last_period_due);
  }
  return facts;
}

v1::TaskView TasksService::ViewOf(const v1::Plan& plan, const v1::Task& task,
                                  const store::PlanFactsAsOf& known, absl::CivilDay day) const {
  TaskFacts facts;
  facts.task = task;
  facts.today = day;
  absl::StatusOr<absl::CivilDay> issued = ParseDate("issued_on", plan.issued_on());
  facts.plan_start = issued.ok() && issued->year() == plan.year() ? *issued
                                                                  : absl::CivilDay(plan.year(), 1, 1);
  facts.reported = known.reported;
  facts.counted_elsewhere = known.counted_elsewhere;
  facts.co_owner_unit_ids = CoOwnerUnits(plan);
  if (auto it = known.closure_steps.find(task.task_id()); it != known.closure_steps.end()) {
    facts.closure_steps = it->second;
  }
  if (!task.responsible_unit_ids().empty()) {
    auto it = known.milestones_reached.find({task.task_id(), task.responsible_unit_ids(0)});
    if (it != known.milestones_reached.end()) facts.milestones_reached = it->second;
  }
  if (!known.last_period_due.empty()) {
    facts.last_period_due = known.last_period_due;
    for (const std::string& unit : task.responsible_unit_ids()) {
      if (!known.reported_last_due.count({task.task_id(), unit})) {
        facts.overdue_report_units.push_back(unit);
      }
    }
  }
  return BuildTaskView(plan.plan_id(), facts, *calendar_);
}

absl::StatusOr<v1::TaskView> TasksService::CurrentView(sql::Connection& db,
                                                       const std::string& plan_id,
                                                       const std::string& task_id,
                                                       v1::Plan* plan_out) {
  ASSIGN_OR_RETURN(v1::Plan plan, LoadPlan(db, plan_id));
  std::optional<v1::Task> task = store::FindTask(db, plan_id, task_id);
  if (!task.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("task_id: plan ", plan_id, " has no task ", QuoteInput(task_id)));
  }
  const v1::TaskView view = ViewOf(plan, *task, FactsAt(db, plan, Today()), Today());
  if (plan_out != nullptr) *plan_out = std::move(plan);
  return view;
}

absl::StatusOr<v1::GetTaskResponse> TasksService::GetTask(const Principal& who,
                                                          const v1::GetTaskRequest& req) {
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  RETURN_IF_ERROR(CheckTaskId("task_id", req.task_id()));
  v1::GetTaskResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    ASSIGN_OR_RETURN(*response.mutable_task(),
                     CurrentView(db, req.plan_id(), req.task_id(), nullptr));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListTasksResponse> TasksService::ListTasks(const Principal& who,
                                                              const v1::ListTasksRequest& req) {
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  if (!req.unit_id().empty()) RETURN_IF_ERROR(CheckId("unit_id", req.unit_id()));
  if (!v1::TaskStatus_IsValid(req.status())) return FieldError("status", "is not a task status");
  absl::CivilDay day = Today();
  if (!req.as_of().empty()) {
    ASSIGN_OR_RETURN(day, ParseDate("as_of", req.as_of()));
    if (day > Today()) return FieldError("as_of", absl::StrCat(req.as_of(), " has not ended yet"));
  }
  v1::ListTasksResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Plan plan, LoadPlan(db, req.plan_id()));
    const store::PlanFactsAsOf known = FactsAt(db, plan, day);
    const std::vector<std::string> co_owners = CoOwnerUnits(plan);
    const bool co_owner = std::find(co_owners.begin(), co_owners.end(), req.unit_id()) != co_owners.end();
    for (const v1::Task& task : store::ListTasks(db, req.plan_id())) {
      if (!req.unit_id().empty() && !co_owner &&
          std::find(task.responsible_unit_ids().begin(), task.responsible_unit_ids().end(),
                    req.unit_id()) == task.responsible_unit_ids().end()) {
        continue;
      }
      v1::TaskView view = ViewOf(plan, task, known, day);
      if (req.status() != v1::TASK_STATUS_UNSPECIFIED && view.status() != req.status()) continue;
      *response.add_tasks() = std::move(view);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::AssignTaskResponse> TasksService::AssignTask(const Principal& who,
                                                                const v1::AssignTaskRequest& req) {
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  RETURN_IF_ERROR(CheckTaskId("task_id", req.task_id()));
  if (req.responsible_unit_ids_size() == 0) {
    return FieldError("responsible_unit_ids", "must name at least the leading unit");
  }
  v1::AssignTaskResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Plan plan, LoadPlan(tx, req.plan_id()));
    RETURN_IF_ERROR(access_.CheckPlan(who, "AssignTask", plan));
    std::optional<v1::Task> before = store::FindTask(tx, req.plan_id(), req.task_id());
    if (!before.has_value()) {
      return absl::NotFoundError(absl::StrCat("task_id: plan ", req.plan_id(), " has no task \"",
                                              req.task_id(), "\""));
    }
    // Check the new assignment with the plan's own rules.
    v1::Plan candidate = plan;
    for (v1::Task& t : *candidate.mutable_tasks()) {
      if (t.task_id() != req.task_id()) continue;
      t.clear_responsible_unit_ids();
      for (const std::string& u : req.responsible_unit_ids()) t.add_responsible_unit_ids(u);
      if (!req.due_on().empty()) t.set_due_on(req.due_on());
    }
    absl::Status valid = NormalizeAndCheckPlan(&candidate);
    if (!valid.ok()) {
      // Report the request's field, not the plan's path.
      const std::string msg(valid.message());
      const size_t colon = msg.find(": ");
      const std::string field = msg.find("responsible_unit_ids") != std::string::npos
                                    ? "responsible_unit_ids"
                                    : msg.find("due_on") != std::string::npos ? "due_on" : "task";
      return FieldError(field, colon == std::string::npos ? msg : msg.substr(colon + 2));
    }
    v1::Task after = *before;
    after.clear_responsible_unit_ids();
    for (const std::string& u : req.responsible_unit_ids()) after.add_responsible_unit_ids(u);
    if (!req.due_on().empty()) after.set_due_on(req.due_on());
    store::SaveTask(tx, req.plan_id(), after);
    v1::TaskAssigned event;
    event.set_plan_id(req.plan_id());
    *event.mutable_task() = after;
    audit_.Record(tx, who, "AssignTask", absl::StrCat("plan/", req.plan_id(), "/tasks/", req.task_id()),
                  &*before, &after, "");
    RETURN_IF_ERROR(
        outbox_.Append(tx, absl::StrCat("task/", req.plan_id(), "/", req.task_id()), event)
            .status());
    *response.mutable_task() = ViewOf(plan, after, FactsAt(tx, plan, Today()), Today());
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> TasksService::ListAuditRecords(
    const Principal& who, const uplift::audit::v1::ListAuditRecordsRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListAuditRecords"));
  return audit_.List(*db_, req);
}

}  // namespace uplift::tasks

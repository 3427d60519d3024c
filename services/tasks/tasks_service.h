// The tasks service's logic, free of gRPC: plans and tasks, monthly
// progress, problems and their ladder, and the periodic sweep that
// escalates overdue problems and reminds units of missing reports. Each
// change is one transaction with its audit record and its outbox events.
// Tests build it on an in-memory database with a ManualClock and an
// in-memory RegistryDirectory.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/audit_log.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/event_router.h"
#include "common/idempotency.h"
#include "common/outbox.h"
#include "common/sql/store.h"
#include "common/stream_event.h"
#include "common/working_calendar.h"
#include "services/tasks/plan_cache.h"
#include "services/tasks/problem_ladder.h"
#include "services/tasks/registry_directory.h"
#include "services/tasks/task_facts_store.h"
#include "services/tasks/task_status.h"
#include "services/tasks/tasks_access.h"
#include "uplift/indicators/v1/indicator_events.pb.h"
#include "uplift/registry/v1/registry_events.pb.h"
#include "uplift/tasks/v1/tasks.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::tasks {

inline constexpr char kTasksSource[] = "uplift-tasks";

// Who acted, for a step's record.
Actor ActorOf(const Principal& who);

struct SweepResult {
  int escalated = 0;
  int overdue_at_top = 0;
  int reminders = 0;
  int co_handlers_overdue = 0;  // 会商 answers past their deadline, recorded and reminded
  int skipped = 0;  // could not be handled this round (registry down)
  // Problems that cannot climb (their category left the plan, the registry
  // refuses): skipped for an hour, so they never hold up the others, and
  // listed in the log.
  int blocked = 0;
};

class TasksService {
 public:
  // `service_token` is this service's own SERVICE token, used for the
  // registry when no caller is behind a change (the sweep).
  TasksService(sql::Store* db, const Clock* clock, const WorkingCalendar* calendar,
               RegistryDirectory* registry, std::string service_token);

  absl::StatusOr<v1::ApplyPlanResponse> ApplyPlan(const Principal& who,
                                                  const v1::ApplyPlanRequest& req);
  absl::StatusOr<v1::GetPlanResponse> GetPlan(const Principal& who, const v1::GetPlanRequest& req);
  absl::StatusOr<v1::ListPlansResponse> ListPlans(const Principal& who,
                                                  const v1::ListPlansRequest& req);
  absl::StatusOr<v1::GetTaskResponse> GetTask(const Principal& who, const v1::GetTaskRequest& req);
  absl::StatusOr<v1::ListTasksResponse> ListTasks(const Principal& who,
                                                  const v1::ListTasksRequest& req);
  absl::StatusOr<v1::AssignTaskResponse> AssignTask(const Principal& who,
                                                    const v1::AssignTaskRequest& req);
  // 销号 (tasks_service_closure.cc).
  absl::StatusOr<v1::SubmitTaskCompletionResponse> SubmitTaskCompletion(
      const Principal& who, const v1::SubmitTaskCompletionRequest& req);
  absl::StatusOr<v1::DecideTaskCompletionResponse> DecideTaskCompletion(
      const Principal& who, const v1::DecideTaskCompletionRequest& req);

  absl::StatusOr<v1::ReportProgressResponse> ReportProgress(const Principal& who,
                                                            const v1::ReportProgressRequest& req);
  absl::StatusOr<v1::ListProgressResponse> ListProgress(const Principal& who,
                                                        const v1::ListProgressRequest& req);
  absl::StatusOr<v1::ListOverdueReportsResponse> ListOverdueReports(
      const Principal& who, const v1::ListOverdueReportsRequest& req);

  absl::StatusOr<v1::RaiseProblemResponse> RaiseProblem(const Principal& who,
                                                        const v1::RaiseProblemRequest& req);
  absl::StatusOr<v1::GetProblemResponse> GetProblem(const Principal& who,
                                                    const v1::GetProblemRequest& req);
  absl::StatusOr<v1::ListProblemsResponse> ListProblems(const Principal& who,
                                                        const v1::ListProblemsRequest& req);
  absl::StatusOr<v1::GetProblemStatisticsResponse> GetProblemStatistics(
      const Principal& who, const v1::GetProblemStatisticsRequest& req);
  absl::StatusOr<v1::AcceptProblemResponse> AcceptProblem(const Principal& who,
                                                          const v1::AcceptProblemRequest& req);
  absl::StatusOr<v1::ResolveProblemResponse> ResolveProblem(const Principal& who,
                                                            const v1::ResolveProblemRequest& req);
  absl::StatusOr<v1::ReturnProblemResponse> ReturnProblem(const Principal& who,
                                                          const v1::ReturnProblemRequest& req);
  absl::StatusOr<v1::EscalateProblemResponse> EscalateProblem(
      const Principal& who, const v1::EscalateProblemRequest& req);
  absl::StatusOr<v1::RecordSatisfactionResponse> RecordSatisfaction(
      const Principal& who, const v1::RecordSatisfactionRequest& req);
  absl::StatusOr<v1::ReopenProblemResponse> ReopenProblem(const Principal& who,
                                                          const v1::ReopenProblemRequest& req);
  absl::StatusOr<v1::RuleOnProblemResponse> RuleOnProblem(const Principal& who,
                                                          const v1::RuleOnProblemRequest& req);
  absl::StatusOr<v1::RequestExtensionResponse> RequestExtension(
      const Principal& who, const v1::RequestExtensionRequest& req);
  absl::StatusOr<v1::DecideExtensionResponse> DecideExtension(
      const Principal& who, const v1::DecideExtensionRequest& req);
  absl::StatusOr<v1::AddCoHandlersResponse> AddCoHandlers(const Principal& who,
                                                          const v1::AddCoHandlersRequest& req);
  absl::StatusOr<v1::AnswerCoHandlingResponse> AnswerCoHandling(
      const Principal& who, const v1::AnswerCoHandlingRequest& req);

  absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> ListAuditRecords(
      const Principal& who, const uplift::audit::v1::ListAuditRecordsRequest& req);

  // Escalates every unresolved problem past its deadline one rung (marking
  // those at the top), reminds co-handlers past theirs, and publishes a reminder for every
  // responsible unit that missed the last reporting day. Safe to run any time, repeatedly.
  absl::StatusOr<SweepResult> Sweep();

  // What the tasks service consumes, through the runtime's router: target
  // progress from the indicator service; units, clusters and enterprises
  // from the registry, which keep names, townships and leaders current
  // (visibility follows the registry as it is now, and a rung whose owner
  // the registry moved passes to the new owner).
  void RegisterEventHandlers(EventRouter* router);

  // The parsed plans, shared with ProjectsService in the same process.
  PlanCache* plan_cache() { return &plans_; }

 private:
  // What a ladder step needs besides the problem.
  struct LadderInputs {
    std::shared_ptr<const v1::Plan> plan;  // never null
    v1::ProblemCategory category;
    RungOwners owners;
    std::string leader_unit_id;
  };
  using LadderMove = std::function<absl::StatusOr<v1::ProblemStep>(
      v1::Problem*, const LadderInputs&, absl::Time now)>;

  // Who may make a move: the owner of the problem's current rung, whoever
  // may follow the enterprise up (its township, the plan owner), or only
  // the owner of the problem's plan, the unit that approves its pending
  // extension, or one of its co-handling departments.
  enum class Mover { kRungOwner, kFollower, kPlanOwner, kExtensionApprover, kCoHandler };
  // Whether the move needs the cluster's current liaison leader from the
  // registry: when it may climb from the department rung, or always.
  enum class LeaderNeed { kNo, kFromDepartment, kYes };
  // Loads the problem, checks that `who` may make the move, looks up what
  // the move needs, and applies `move` in one transaction with its events.
  absl::StatusOr<v1::Problem> MoveProblem(const Principal& who, const std::string& problem_id,
                                          const char* action, Mover mover, LeaderNeed leader,
                                          const LadderMove& move);
  absl::StatusOr<LadderInputs> InputsFor(const v1::Problem& p, const CallAs& as, bool needs_leader);
  // Saves the changed problem and its step; publishes ProblemChanged and,
  // when it climbed (escalations grew), ProblemEscalated. Inside `tx`.
  absl::Status SaveStep(sql::Connection& tx, const Principal& who, const char* action,
                        const v1::Problem& before, v1::Problem& after, v1::ProblemStep step,
                        const LadderInputs& inputs);
  absl::StatusOr<v1::Plan> LoadPlan(sql::Connection& db, const std::string& plan_id);
  // What the views of the plan's tasks are built from, at the end of `day`.
  store::PlanFactsAsOf FactsAt(sql::Connection& db, const v1::Plan& plan, absl::CivilDay day) const;
  v1::TaskView ViewOf(const v1::Plan& plan, const v1::Task& task, const store::PlanFactsAsOf& known,
                      absl::CivilDay day) const;
  // The task as it stands now (NOT_FOUND naming task_id); its plan in
  // `plan_out` unless null.
  absl::StatusOr<v1::TaskView> CurrentView(sql::Connection& db, const std::string& plan_id,
                                           const std::string& task_id, v1::Plan* plan_out);
  absl::Status SendReminders(SweepResult* result);
  // Appends a 销号 step of `task` with its audit record and event; the task
  // as it stands after it in `view`.
  absl::Status SaveClosureStep(sql::Connection& tx, const Principal& who, const char* action,
                               const v1::Plan& plan, const v1::Task& task,
                               const v1::ClosureStep& step, v1::TaskView* view);
  // Registry events (tasks_service_registry_events.cc).
  absl::Status OnCluster(sql::Connection& tx, const rv1::Cluster& cluster);
  absl::Status OnEnterprise(sql::Connection& tx, const rv1::Enterprise& enterprise);
  // Saves a transfer of `after` (made by the ladder) with its step and event.
  absl::Status SaveTransfer(sql::Connection& tx, const v1::Problem& before, v1::Problem& after,
                            v1::ProblemStep step);
  // Publishes `request` on uplift:requests with the units' names filled in;
  // nothing when it names no unit or the unit asks itself.
  absl::Status RequestAction(sql::Connection& tx, const v1::Plan* plan,
                             v1::ActionRequested request);
  // A unit's name for texts: the registry's, else the plan's, else "".
  std::string NameOf(sql::Connection& tx, const v1::Plan* plan, const std::string& unit_id);
  static Principal SystemPrincipal();  // the sweep acts as the system
  // The problem as stored now, if it exists.
  absl::StatusOr<std::optional<v1::Problem>> ReadProblem(const std::string& id);
  absl::Status EscalateDue(SweepResult* result);
  // 会商: a co-handler past its deadline unanswered is recorded in the
  // timeline and asked again, once.
  absl::Status RemindCoHandlers(SweepResult* result);
  void FillDerived(v1::Problem* p) const;  // overdue
  absl::CivilDay Today() const;
  CallAs AsCaller(const Principal& who) const;
  CallAs AsService() const;

  sql::Store* const db_;
  const Clock* const clock_;
  const WorkingCalendar* const calendar_;
  RegistryDirectory* const registry_;
  const std::string service_token_;
  ProblemLadder ladder_;
  Outbox outbox_;
  AuditLog audit_;
  IdempotencyKeys idempotency_;
  const TasksAccess access_;
  PlanCache plans_;
};

}  // namespace uplift::tasks

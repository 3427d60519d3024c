// The project ledger's logic (项目台账), free of gRPC: projects checked
// against the plan of their year (cluster, township, responsible
// department), phases and milestones through ProjectPhases, monthly
// progress with the investment summed, each change one transaction with
// its audit record and its event on uplift:events:projects. Who may act
// on a project: its responsible department and its township (own), the
// plan owner and ADMIN (any); every role may read the ledger, which the
// dispatch report circulates. Tests build it as TasksService is built.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/audit_log.h"
#include "common/auth/access_table.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/idempotency.h"
#include "common/outbox.h"
#include "common/sql/store.h"
#include "services/tasks/plan_cache.h"
#include "services/tasks/registry_directory.h"
#include "uplift/tasks/v1/projects.pb.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

class ProjectsService {
 public:
  // `plans`: the parsed plans (TasksService::plan_cache() in the process).
  ProjectsService(sql::Store* db, const Clock* clock, RegistryDirectory* registry,
                  PlanCache* plans);

  absl::StatusOr<v1::CreateProjectResponse> CreateProject(const Principal& who,
                                                          const v1::CreateProjectRequest& req);
  absl::StatusOr<v1::GetProjectResponse> GetProject(const Principal& who,
                                                    const v1::GetProjectRequest& req);
  absl::StatusOr<v1::ListProjectsResponse> ListProjects(const Principal& who,
                                                        const v1::ListProjectsRequest& req);
  absl::StatusOr<v1::AdvanceProjectResponse> AdvanceProject(const Principal& who,
                                                            const v1::AdvanceProjectRequest& req);
  absl::StatusOr<v1::RecordMilestoneResponse> RecordMilestone(
      const Principal& who, const v1::RecordMilestoneRequest& req);
  absl::StatusOr<v1::ReportProjectProgressResponse> ReportProjectProgress(
      const Principal& who, const v1::ReportProjectProgressRequest& req);
  absl::StatusOr<v1::ListProjectProgressResponse> ListProjectProgress(
      const Principal& who, const v1::ListProjectProgressRequest& req);

 private:
  using ProjectChange =
      std::function<absl::StatusOr<v1::ProjectStep>(v1::Project*, absl::CivilDay today)>;
  // Loads the project, checks that `who` may act on it, applies `change`
  // and saves it with its step, audit record and event, in one
  // transaction. The project as it stands after, coloured.
  absl::StatusOr<v1::Project> ChangeProject(const Principal& who, const std::string& project_id,
                                            const char* action, const ProjectChange& change);
  // Saves the step and publishes ProjectChanged, inside `tx`.
  absl::Status SaveStep(sql::Connection& tx, const Principal& who, const char* action,
                        const v1::Project* before, v1::Project& after, v1::ProjectStep step,
                        const std::string& request_id);
  // Names, leader and unit checks from the plan of the project's year.
  absl::Status FillFromPlan(sql::Connection& db, v1::Project* p);
  absl::Status CheckActor(const Principal& who, const char* action, const v1::Project& p) const;
  absl::StatusOr<v1::Project> Load(sql::Connection& db, const std::string& project_id) const;
  absl::CivilDay Today() const;

  sql::Store* const db_;
  const Clock* const clock_;
  RegistryDirectory* const registry_;
  Outbox outbox_;
  AuditLog audit_;
  IdempotencyKeys idempotency_;
  const ServiceAccess access_{"uplift.tasks.v1.ProjectLedger"};
  PlanCache* const plans_;
};

}  // namespace uplift::tasks

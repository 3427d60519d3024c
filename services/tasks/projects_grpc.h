// The gRPC face of the project ledger (uplift.tasks.v1.ProjectLedger),
// served by uplift-tasks: every RPC authenticates through the shared
// Authenticator and forwards to ProjectsService.
#pragma once

#include "common/auth/authenticator.h"
#include "services/tasks/projects_service.h"
#include "uplift/tasks/v1/projects.grpc.pb.h"

// clang-format off
#define UPLIFT_PROJECTS_UNARY_RPCS(X)                                             \
  X(CreateProject) X(GetProject) X(ListProjects) X(AdvanceProject) X(RecordMilestone) \
  X(ReportProjectProgress) X(ListProjectProgress)
// clang-format on

namespace uplift::tasks {

class ProjectsGrpcService final : public v1::ProjectLedger::CallbackService {
 public:
  ProjectsGrpcService(ProjectsService* service, const Authenticator* auth)
      : service_(service), auth_(auth) {}

#define UPLIFT_PROJECTS_DECLARE(Method)                                  \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  UPLIFT_PROJECTS_UNARY_RPCS(UPLIFT_PROJECTS_DECLARE)
#undef UPLIFT_PROJECTS_DECLARE

 private:
  ProjectsService* const service_;
  const Authenticator* const auth_;
};

}  // namespace uplift::tasks

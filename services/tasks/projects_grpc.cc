// RPC forwarding of the project ledger.
#include "services/tasks/projects_grpc.h"

#include "common/unary_call.h"

namespace uplift::tasks {

#define UPLIFT_PROJECTS_DEFINE(Method) \
  UPLIFT_SERVE_UNARY(ProjectsGrpcService, v1::ProjectLedger, v1, Method)
UPLIFT_PROJECTS_UNARY_RPCS(UPLIFT_PROJECTS_DEFINE)
#undef UPLIFT_PROJECTS_DEFINE

}  // namespace uplift::tasks

// RPC forwarding of the tasks service.
#include "services/tasks/tasks_grpc.h"

#include "common/unary_call.h"

namespace uplift::tasks {

#define UPLIFT_TASKS_DEFINE(Method) \
  UPLIFT_SERVE_UNARY(TasksGrpcService, v1::TaskAssignment, v1, Method)
UPLIFT_TASKS_UNARY_RPCS(UPLIFT_TASKS_DEFINE)
UPLIFT_SERVE_UNARY(TasksGrpcService, v1::TaskAssignment, uplift::audit::v1, ListAuditRecords)
#undef UPLIFT_TASKS_DEFINE

}  // namespace uplift::tasks

// RPC forwarding of the tasks service.
#include "services/tasks/tasks_grpc.h"

#include "common/unary_call.h"

namespace uplift::tasks {

#define UPLIFT_TASKS_DEFINE(Method)                                                         \
  grpc::ServerUnaryReactor* TasksGrpcService::Method(                                      \
      grpc::CallbackServerContext* context, const v1::Method##Request* request,            \
      v1::Method##Response* response) {                                                    \
    return ServeUnary(context, *auth_, service_, &TasksService::Method, request, response); \
  }
UPLIFT_TASKS_UNARY_RPCS(UPLIFT_TASKS_DEFINE)
#undef UPLIFT_TASKS_DEFINE

grpc::ServerUnaryReactor* TasksGrpcService::ListAuditRecords(
    grpc::CallbackServerContext* context,
    const uplift::audit::v1::ListAuditRecordsRequest* request,
    uplift::audit::v1::ListAuditRecordsResponse* response) {
  return ServeUnary(context, *auth_, service_, &TasksService::ListAuditRecords, request, response);
}

}  // namespace uplift::tasks

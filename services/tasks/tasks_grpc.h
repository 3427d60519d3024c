// The gRPC face of the tasks service: every RPC authenticates through the
// shared Authenticator and forwards to TasksService.
#pragma once

#include "common/auth/authenticator.h"
#include "services/tasks/tasks_service.h"
#include "uplift/tasks/v1/tasks.grpc.pb.h"

// Every unary RPC whose messages are <Method>Request and <Method>Response.
// clang-format off
#define UPLIFT_TASKS_UNARY_RPCS(X)                                                         \
  X(ApplyPlan) X(GetPlan) X(ListPlans) X(GetTask) X(ListTasks) X(AssignTask)               \
  X(ReportProgress) X(ListProgress) X(ListOverdueReports) X(RaiseProblem) X(GetProblem)    \
  X(ListProblems) X(AcceptProblem) X(ResolveProblem) X(ReturnProblem) X(EscalateProblem)   \
  X(RecordSatisfaction) X(ReopenProblem) X(RuleOnProblem)   \
  X(RequestExtension) X(DecideExtension) X(AddCoHandlers) X(AnswerCoHandling) X(SubmitTaskCompletion) X(DecideTaskCompletion) \
  X(GetProblemStatistics)
// clang-format on

namespace uplift::tasks {

class TasksGrpcService final : public v1::TaskAssignment::CallbackService {
 public:
  TasksGrpcService(TasksService* service, const Authenticator* auth)
      : service_(service), auth_(auth) {}

#define UPLIFT_TASKS_DECLARE(Method)                                       \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  UPLIFT_TASKS_UNARY_RPCS(UPLIFT_TASKS_DECLARE)
#undef UPLIFT_TASKS_DECLARE

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context,
      const uplift::audit::v1::ListAuditRecordsRequest* request,
      uplift::audit::v1::ListAuditRecordsResponse* response) override;

 private:
  TasksService* const service_;
  const Authenticator* const auth_;
};

}  // namespace uplift::tasks

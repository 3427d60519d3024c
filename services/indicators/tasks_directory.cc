// The tasks service over gRPC.
#include "services/indicators/tasks_directory.h"

namespace uplift::indicators {

TasksDirectoryGrpc::TasksDirectoryGrpc(std::shared_ptr<grpc::Channel> channel)
    : stub_(tv1::TaskAssignment::NewStub(std::move(channel))) {}

absl::StatusOr<tv1::Plan> TasksDirectoryGrpc::GetPlan(const CallAs& as, const std::string& plan_id) {
  tv1::GetPlanRequest req;
  req.set_plan_id(plan_id);
  tv1::GetPlanResponse resp;
  grpc::Status s = stub_->GetPlan(MakeClientContext(as).get(), req, &resp);
  if (!s.ok()) return DependencyError(s, "tasks", "GetPlan " + plan_id);
  return resp.plan();
}

absl::StatusOr<std::vector<tv1::TaskView>> TasksDirectoryGrpc::ListTasks(const CallAs& as,
                                                                         const std::string& plan_id,
                                                                         const std::string& as_of) {
  tv1::ListTasksRequest req;
  req.set_plan_id(plan_id);
  req.set_as_of(as_of);
  tv1::ListTasksResponse resp;
  grpc::Status s = stub_->ListTasks(MakeClientContext(as).get(), req, &resp);
  if (!s.ok()) return DependencyError(s, "tasks", "ListTasks " + plan_id);
  return std::vector<tv1::TaskView>(resp.tasks().begin(), resp.tasks().end());
}

}  // namespace uplift::indicators

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

absl::StatusOr<tv1::GetProblemStatisticsResponse> TasksDirectoryGrpc::GetProblemStatistics(
    const CallAs& as, const std::string& plan_id, const std::string& from,
    const std::string& until) {
  tv1::GetProblemStatisticsRequest req;
  req.set_plan_id(plan_id);
  req.set_from(from);
  req.set_until(until);
  tv1::GetProblemStatisticsResponse resp;
  grpc::Status s = stub_->GetProblemStatistics(MakeClientContext(as).get(), req, &resp);
  if (!s.ok()) return DependencyError(s, "tasks", "GetProblemStatistics " + plan_id);
  return resp;
}

}  // namespace uplift::indicators

// What the indicator service needs from the tasks service: the plan (its
// targets and reporting day), the tasks as they stand (status colours for
// the dispatch report) and the problems counted (问题办理情况). An interface so the logic is tested
// with a fake; TasksDirectoryGrpc calls uplift-tasks with the caller's token and deadline.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "common/client_channel.h"
#include "uplift/tasks/v1/tasks.grpc.pb.h"

namespace uplift::indicators {

namespace tv1 = uplift::tasks::v1;

class TasksDirectory {
 public:
  virtual ~TasksDirectory() = default;
  virtual absl::StatusOr<tv1::Plan> GetPlan(const CallAs& as, const std::string& plan_id) = 0;
  // The plan's tasks as they stood at the end of `as_of` (YYYY-MM-DD), or
  // now when it is empty.
  virtual absl::StatusOr<std::vector<tv1::TaskView>> ListTasks(const CallAs& as,
                                                               const std::string& plan_id,
                                                               const std::string& as_of) = 0;
  // The plan's problems counted for the window `from`..`until` (YYYY-MM-DD),
  // as they stood at the end of `until`.
  virtual absl::StatusOr<tv1::GetProblemStatisticsResponse> GetProblemStatistics(
      const CallAs& as, const std::string& plan_id, const std::string& from,
      const std::string& until) = 0;
};

class TasksDirectoryGrpc : public TasksDirectory {
 public:
  explicit TasksDirectoryGrpc(std::shared_ptr<grpc::Channel> channel);
  absl::StatusOr<tv1::Plan> GetPlan(const CallAs& as, const std::string& plan_id) override;
  absl::StatusOr<std::vector<tv1::TaskView>> ListTasks(const CallAs& as, const std::string& plan_id,
                                                       const std::string& as_of) override;
  absl::StatusOr<tv1::GetProblemStatisticsResponse> GetProblemStatistics(
      const CallAs& as, const std::string& plan_id, const std::string& from,
      const std::string& until) override;

 private:
  std::unique_ptr<tv1::TaskAssignment::Stub> stub_;
};

}  // namespace uplift::indicators

// The registry fixture plus a real uplift-tasks process: its own SERVICE
// token, a fast sweep, and a clock the test moves by writing an offset file
// (the service starts at `start`, Asia/Shanghai).
#pragma once

#include <map>

#include "tests/support/registry_fixture.h"
#include "uplift/tasks/v1/projects.grpc.pb.h"
#include "uplift/tasks/v1/tasks.grpc.pb.h"

namespace uplift::testing {

namespace tv1 = uplift::tasks::v1;

class SuiteFixture : public RegistryFixture {
 public:
  explicit SuiteFixture(absl::CivilSecond start = absl::CivilSecond(2023, 6, 1, 10, 0, 0),
                        RedisSetup redis_setup = RedisSetup::kOneServer);
  ~SuiteFixture();

  void StartTasks();
  // Another replica of uplift-tasks on the same database (the file, or the
  // PostgreSQL database), named tasks-<n>, on `port` (0: a free one); its
  // address.
  std::string StartTasksReplica(int n, int port = 0);
  Process& tasks_replica(int n) { return *tasks_replicas_.at(n); }
  void KillTasks();
  int StopTasks();
  std::string tasks_address() const { return "127.0.0.1:" + std::to_string(tasks_port_); }
  pid_t tasks_pid() const { return tasks_->pid(); }
  std::string TasksLog() const;
  tv1::TaskAssignment::Stub& tasks() { return *tasks_stub_; }
  tv1::ProjectLedger::Stub& projects() { return *projects_stub_; }

  // Moves the tasks service's clock by `d` (it notices within 50 ms).
  void AdvanceClock(absl::Duration d);
  absl::Time Now() const { return absl::Now() + offset_; }

  // Applies plans/xinle-2023.textproto through upliftctl as the plan owner.
  std::string ApplyXinlePlan(int* exit_code);
  // Imports enterprises 0..n-1 (TestCreditCode) of the equipment cluster
  // in `township`; false if any row failed.
  bool ImportEnterprises(int n, const std::string& township);
  // Raises problem i for enterprise i / categories.size() in category
  // i % categories.size(), as `token` (eight calls at a time); their ids in
  // that order, or empty on a failure.
  std::vector<std::string> RaiseProblems(int n, const std::vector<std::string>& categories,
                                         const std::string& token);
  std::string owner_token;  // PLAN_OWNER of dept-kgx

 private:
  void WriteOffset();
  absl::Duration offset_;
  std::unique_ptr<Process> tasks_;
  std::map<int, std::unique_ptr<Process>> tasks_replicas_;
  int tasks_port_ = 0;
  std::unique_ptr<tv1::TaskAssignment::Stub> tasks_stub_;
  std::unique_ptr<tv1::ProjectLedger::Stub> projects_stub_;
};

}  // namespace uplift::testing

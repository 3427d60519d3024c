// SuiteFixture: the tasks process next to the registry.
#include "tests/support/suite_fixture.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/client_channel.h"
#include "common/time_util.h"

namespace uplift::testing {

SuiteFixture::SuiteFixture(absl::CivilSecond start, RedisSetup redis_setup)
    : RegistryFixture(redis_setup), offset_(absl::FromCivil(start, ShanghaiTime()) - absl::Now()) {
  owner_token = keys().Token(uplift::auth::v1::ROLE_PLAN_OWNER, "dept-kgx", "科工信局");
  WriteOffset();
  StartTasks();
}

SuiteFixture::~SuiteFixture() {
  for (auto& [n, replica] : tasks_replicas_) replica->Kill();
  if (tasks_ != nullptr) tasks_->Kill();
}

void SuiteFixture::WriteOffset() {
  const std::string tmp = dir().File("clock.offset.tmp");
  std::ofstream(tmp) << absl::StrFormat("%.3f\n", absl::ToDoubleSeconds(offset_));
  std::filesystem::rename(tmp, dir().File("clock.offset"));
}

void SuiteFixture::AdvanceClock(absl::Duration d) {
  offset_ += d;
  WriteOffset();
  absl::SleepFor(absl::Milliseconds(60));
}

void SuiteFixture::StartTasks() {
  const std::string port_file = dir().File("tasks.port");
  std::filesystem::remove(port_file);
  std::vector<std::string> args = ServiceArgs("uplift-tasks", port_file, "tasks-data");
  args.insert(args.end(), {"--registry-addr", address(), "--sweep-interval", "100ms",
                           "--testing-clock-offset-file", dir().File("clock.offset")});
  tasks_ = std::make_unique<Process>(UPLIFT_TASKS_BIN, args, dir().File("tasks.log"));
  tasks_->Start();
  tasks_port_ = WaitForPortFile(port_file);
  tasks_stub_ = tv1::TaskAssignment::NewStub(*MakeChannel(tasks_address(), {}));
  projects_stub_ = tv1::ProjectLedger::NewStub(*MakeChannel(tasks_address(), {}));
}

std::string SuiteFixture::StartTasksReplica(int n, int port) {
  const std::string name = absl::StrCat("tasks-", n);
  return absl::StrCat("127.0.0.1:",
                      LaunchService(UPLIFT_TASKS_BIN, "uplift-tasks", name, "tasks-data", port,
                                    {"--registry-addr", address(), "--sweep-interval", "100ms",
                                     "--testing-clock-offset-file", dir().File("clock.offset"),
                                     "--consumer-name", name},
                                    &tasks_replicas_[n]));
}

void SuiteFixture::KillTasks() { tasks_->Kill(); }

int SuiteFixture::StopTasks() {
  tasks_stub_.reset();
  projects_stub_.reset();
  return tasks_->Terminate();
}

std::string SuiteFixture::TasksLog() const { return tasks_->Log(); }

bool SuiteFixture::ImportEnterprises(int n, const std::string& township) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + admin_token);
  rv1::ImportEnterprisesResponse result;
  auto writer = stub().ImportEnterprises(&ctx, &result);
  for (int i = 0; i < n; ++i) {
    rv1::ImportEnterprisesRequest row;
    row.mutable_enterprise()->set_credit_code(TestCreditCode(i));
    row.mutable_enterprise()->set_name(absl::StrFormat("新乐市第%d机械有限公司", i));
    row.mutable_enterprise()->set_cluster_id("equipment");
    row.mutable_enterprise()->set_township_id(township);
    writer->Write(row);
  }
  writer->WritesDone();
  return writer->Finish().ok() && result.created() == n;
}

std::vector<std::string> SuiteFixture::RaiseProblems(int n, const std::vector<std::string>& categories,
                                                     const std::string& token) {
  std::vector<std::string> ids(n);
  const int per = static_cast<int>(categories.size());
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex first_failure_mu;
  std::string first_failure;
  std::vector<std::thread> callers;
  for (int c = 0; c < 8; ++c) {  // the set-up of thousands: eight callers at a time
    callers.emplace_back([&] {
      for (int i = next++; i < n && !failed; i = next++) {
        tv1::RaiseProblemRequest req;
        req.set_plan_id("xinle-2023");
        req.mutable_problem()->set_credit_code(TestCreditCode(i / per));
        req.mutable_problem()->set_category(categories[i % per]);
        req.mutable_problem()->set_title("基准测试问题");
        req.mutable_problem()->set_description("用于测量上报和通知链路的问题");
        tv1::RaiseProblemResponse resp;
        const grpc::Status status = tasks().RaiseProblem(Ctx(token).get(), req, &resp);
        if (!status.ok()) {
          std::lock_guard<std::mutex> lock(first_failure_mu);
          if (!failed.exchange(true)) {
            first_failure = absl::StrCat("problem ", i, ": code ", status.error_code(), ": ",
                                         status.error_message());
          }
        }
        ids[i] = resp.problem().problem_id();
      }
    });
  }
  for (std::thread& t : callers) t.join();
  if (failed) {
    std::cerr << "RaiseProblems failed at " << first_failure << "\n" << TasksLog() << "\n";
    return {};
  }
  return ids;
}

std::string SuiteFixture::ApplyXinlePlan(int* exit_code) {
  std::string out;
  *exit_code = RunCommand(UPLIFT_CTL_BIN,
                          {"--registry-addr", address(), "--tasks-addr", tasks_address(), "--token",
                           owner_token, "plan", "apply",
                           std::string(UPLIFT_SOURCE_DIR) + "/plans/xinle-2023.textproto"},
                          &out);
  return out;
}

}  // namespace uplift::testing

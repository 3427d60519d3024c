// Benchmark, not a test: escalations per second through EscalateProblem on
// a real uplift-tasks (with a real registry and redis-server), the RPC's
// latency, and the time from the RPC's start to the ProblemEscalated
// message on uplift:escalations (p50/p99). Prints numbers; asserts nothing
// about speed.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/strings/str_format.h"
#include "bench/build_info.h"
#include "common/redis_client.h"
#include "common/stream_event.h"
#include "tests/support/suite_fixture.h"

namespace {

namespace rv1 = uplift::registry::v1;
namespace tv1 = uplift::tasks::v1;
using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(v.size() * p))];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"escalation_bench: EscalateProblem throughput and RPC-to-stream latency"};
  int problems = 2000, concurrency = 8;
  app.add_option("--problems", problems, "problems escalated (one escalation each)")->capture_default_str();
  app.add_option("--concurrency", concurrency, "callers in parallel")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  uplift::bench::PrintBuild();

  uplift::testing::SuiteFixture f;
  int code = 0;
  const std::string applied = f.ApplyXinlePlan(&code);
  if (code != 0) {
    std::fprintf(stderr, "plan apply failed: %s\n", applied.c_str());
    return 1;
  }
  // Enterprises x categories: one open problem per pair.
  const std::vector<std::string> categories = {"land", "financing", "labour", "energy", "approvals",
                                               "environment", "market", "technology", "policy", "sales"};
  const int enterprises = (problems + static_cast<int>(categories.size()) - 1) / static_cast<int>(categories.size());
  if (!f.ImportEnterprises(enterprises, "town-chengan")) return 1;
  const std::string town = f.keys().Token(uplift::auth::v1::ROLE_TOWNSHIP, "town-chengan", "承安镇专班");
  const std::vector<std::string> ids = f.RaiseProblems(problems, categories, town);
  if (static_cast<int>(ids.size()) != problems) {
    std::fprintf(stderr, "raising the problems failed\n");
    return 1;
  }

  // A reader that stamps each escalation's arrival on the stream.
  std::mutex mu;
  std::map<std::string, Clock::time_point> arrived;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    uplift::RedisClient redis(f.redis().AdminOptions());
    std::string last = "0";
    while (!stop) {
      auto reply = redis.CommandWithTimeout(
          {"XREAD", "COUNT", "500", "BLOCK", "100", "STREAMS", "uplift:escalations", last}, absl::Seconds(2));
      if (!reply.ok() || reply->is_nil() || reply->elements.empty()) continue;
      const Clock::time_point now = Clock::now();
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& entry : reply->elements[0].elements[1].elements) {
        auto e = uplift::ParseStreamEntry(entry);
        if (!e.ok()) continue;
        last = e->entry_id;
        arrived.emplace(e->subject.substr(std::string("problem/").size()), now);
      }
    }
  });

  std::vector<Clock::time_point> started(problems);
  std::vector<double> rpc_us(problems, -1);
  std::atomic<int> next{0}, failures{0};
  const Clock::time_point begin = Clock::now();
  std::vector<std::thread> callers;
  for (int c = 0; c < concurrency; ++c) {
    callers.emplace_back([&] {
      auto stub = tv1::TaskAssignment::NewStub(
          grpc::CreateChannel(f.tasks_address(), grpc::InsecureChannelCredentials()));
      for (int i = next++; i < problems; i = next++) {
        tv1::EscalateProblemRequest req;
        req.set_problem_id(ids[i]);
        req.set_reason("乡镇无法解决");
        tv1::EscalateProblemResponse resp;
        started[i] = Clock::now();
        grpc::Status s = stub->EscalateProblem(f.Ctx(town).get(), req, &resp);
        rpc_us[i] = std::chrono::duration<double, std::micro>(Clock::now() - started[i]).count();
        if (!s.ok()) ++failures;
      }
    });
  }
  for (std::thread& t : callers) t.join();
  const double rpc_seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  // Wait for the stream to catch up (at most 30 s).
  for (int i = 0; i < 300; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (arrived.size() >= ids.size()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  reader.join();

  std::vector<double> to_stream_us;
  for (int i = 0; i < problems; ++i) {
    auto it = arrived.find(ids[i]);
    if (it != arrived.end()) {
      to_stream_us.push_back(std::chrono::duration<double, std::micro>(it->second - started[i]).count());
    }
  }
  std::printf("EscalateProblem through uplift-tasks (SQLite WAL, synchronous=FULL; outbox relay to "
              "redis-server with appendfsync always),\n%d problems, %d callers, client and services on "
              "this machine (%u cores)\n\n",
              problems, concurrency, std::thread::hardware_concurrency());
  std::printf("escalations/s (RPCs acknowledged)   %10.0f\n", problems / rpc_seconds);
  std::printf("RPC latency p50 / p99 (ms)          %10.2f / %.2f\n", Percentile(rpc_us, 0.5) / 1000,
              Percentile(rpc_us, 0.99) / 1000);
  std::printf("RPC start -> on stream p50 / p99 (ms)%9.2f / %.2f\n", Percentile(to_stream_us, 0.5) / 1000,
              Percentile(to_stream_us, 0.99) / 1000);
  std::printf("messages on uplift:escalations      %10zu of %d (failed RPCs: %d)\n", to_stream_us.size(),
              problems, failures.load());
  return failures > 0 || static_cast<int>(to_stream_us.size()) != problems ? 1 : 0;
}

// Benchmark, not a test: escalations per second through EscalateProblem on
// a real uplift-tasks (with a real registry and redis-server), the RPC's
// latency, and the time from the RPC's start to the ProblemEscalated
// message on uplift:escalations (p50/p99). In one run, on SQLite, on
// PostgreSQL, and on PostgreSQL with two replicas of uplift-tasks (the
// callers alternating between them), with ratios to SQLite. Prints
// numbers; asserts nothing about speed.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/strings/str_format.h"
#include "bench/build_info.h"
#include "bench/engine_setups.h"
#include "common/redis_client.h"
#include "common/stream_event.h"
#include "tests/support/suite_fixture.h"

namespace {

using uplift::bench::Percentile;
using uplift::bench::Setup;

namespace rv1 = uplift::registry::v1;
namespace tv1 = uplift::tasks::v1;
using Clock = std::chrono::steady_clock;

struct Outcome {
  double per_second = 0, rpc_p50 = 0, rpc_p99 = 0, stream_p50 = 0, stream_p99 = 0;
  size_t on_stream = 0;
  int failures = 0;
  bool ok = false;
};

// One measurement on a fresh suite: the plan, the enterprises and their
// problems made first, then `problems` escalations from `concurrency`
// callers over the replicas.
Outcome Measure(const Setup& setup, int problems, int concurrency) {
  setenv("UPLIFT_TEST_ENGINE", setup.engine, 1);
  uplift::testing::SuiteFixture f;
  Outcome out;
  int code = 0;
  const std::string applied = f.ApplyXinlePlan(&code);
  if (code != 0) {
    std::fprintf(stderr, "plan apply failed: %s\n", applied.c_str());
    return out;
  }
  // Enterprises x categories: one open problem per pair.
  const std::vector<std::string> categories = {"land", "financing", "labour", "energy", "approvals",
                                               "environment", "market", "technology", "policy", "sales"};
  const int enterprises = (problems + static_cast<int>(categories.size()) - 1) / static_cast<int>(categories.size());
  if (!f.ImportEnterprises(enterprises, "town-chengan")) return out;
  const std::string town = f.keys().Token(uplift::auth::v1::ROLE_TOWNSHIP, "town-chengan", "承安镇专班");
  const std::vector<std::string> ids = f.RaiseProblems(problems, categories, town);
  if (static_cast<int>(ids.size()) != problems) {
    std::fprintf(stderr, "raising the problems failed\n");
    return out;
  }
  std::vector<std::string> addresses = {f.tasks_address()};
  for (int r = 1; r < setup.replicas; ++r) addresses.push_back(f.StartTasksReplica(r));

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
    callers.emplace_back([&, c] {
      auto stub = tv1::TaskAssignment::NewStub(
          grpc::CreateChannel(addresses[c % addresses.size()], grpc::InsecureChannelCredentials()));
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
  out.per_second = problems / rpc_seconds;
  out.rpc_p50 = Percentile(rpc_us, 0.5) / 1000;
  out.rpc_p99 = Percentile(rpc_us, 0.99) / 1000;
  out.stream_p50 = Percentile(to_stream_us, 0.5) / 1000;
  out.stream_p99 = Percentile(to_stream_us, 0.99) / 1000;
  out.on_stream = to_stream_us.size();
  out.failures = failures.load();
  out.ok = out.failures == 0 && static_cast<int>(out.on_stream) == problems;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"escalation_bench: EscalateProblem throughput and RPC-to-stream latency"};
  int problems = 2000, concurrency = 8;
  std::string only;
  app.add_option("--problems", problems, "problems escalated (one escalation each)")
      ->capture_default_str();
  app.add_option("--concurrency", concurrency, "callers in parallel")->capture_default_str();
  uplift::bench::AddOnlyOption(app, &only);
  CLI11_PARSE(app, argc, argv);
  uplift::bench::PrintBuild();

  const auto results = uplift::bench::MeasureSetups(
      only, [&](const Setup& setup) { return Measure(setup, problems, concurrency); });
  std::printf(
      "EscalateProblem through uplift-tasks (SQLite WAL, synchronous=FULL, or PostgreSQL 15 "
      "SERIALIZABLE, fsync on;\noutbox relay to redis-server with appendfsync always), "
      "%d problems, %d callers,\nclient, services and servers on this machine (%u cores)\n\n",
      problems, concurrency, std::thread::hardware_concurrency());
  std::printf("%-14s %9s %7s %21s %25s %10s\n", "set-up", "esc/s", "ratio", "RPC p50 / p99 (ms)",
              "to stream p50 / p99 (ms)", "on stream");
  bool ok = true;
  for (const auto& [setup, r] : results) {
    const double base = results.front().second.per_second;
    std::printf("%-14s %9.0f %7.2f %10.2f / %8.2f %12.2f / %10.2f %10zu\n", setup.name,
                r.per_second, base > 0 ? r.per_second / base : 0, r.rpc_p50, r.rpc_p99,
                r.stream_p50, r.stream_p99, r.on_stream);
    ok = ok && r.ok;
  }
  std::printf(
      "\n(ratio: escalations/s against the first set-up; failed RPCs or messages missing "
      "from the stream make the exit code 1)\n");
  return ok ? 0 : 1;
}

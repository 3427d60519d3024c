// Benchmark, not a test: escalations through the whole path, from the
// EscalateProblem RPC on uplift-tasks, through the outbox, Redis and
// uplift-notify, to the new owner's Subscribe feed: escalations per second
// and p50/p99 latency; beside it, the raw XADD and XREADGROUP/XACK rates of
// the same redis-server in the same run. Prints numbers; asserts nothing.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/strings/str_format.h"
#include "bench/build_info.h"
#include "common/client_channel.h"
#include "common/redis_client.h"
#include "tests/support/notify_fixture.h"

namespace {

namespace rv1 = uplift::registry::v1;
namespace tv1 = uplift::tasks::v1;
namespace nv1 = uplift::notify::v1;
using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(v.size() * p))];
}

// The same redis-server, bare: sequential XADDs of `size` bytes, then
// XREADGROUP (100 at a time) with an XACK per entry.
std::pair<double, double> RawRedisRates(const uplift::RedisOptions& options, int n, size_t size) {
  uplift::RedisClient redis(options);
  const std::string payload(size, 'x');
  Clock::time_point t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    (void)redis.Command({"XADD", "bench:raw", "*", "event_id", std::to_string(i), "payload", payload});
  }
  const double xadd = n / std::chrono::duration<double>(Clock::now() - t0).count();
  (void)redis.Command({"XGROUP", "CREATE", "bench:raw", "g", "0"});
  t0 = Clock::now();
  int read = 0;
  while (read < n) {
    auto reply = redis.Command({"XREADGROUP", "GROUP", "g", "c", "COUNT", "100", "STREAMS", "bench:raw", ">"});
    if (!reply.ok() || reply->is_nil() || reply->elements.empty()) break;
    for (const auto& entry : reply->elements[0].elements[1].elements) {
      (void)redis.Command({"XACK", "bench:raw", "g", entry.elements[0].str});
      ++read;
    }
  }
  const double consume = read / std::chrono::duration<double>(Clock::now() - t0).count();
  return {xadd, consume};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"notify_bench: EscalateProblem to the new owner's live feed"};
  int problems = 1000, concurrency = 8;
  app.add_option("--problems", problems)->capture_default_str();
  app.add_option("--concurrency", concurrency)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  uplift::bench::PrintBuild();

  uplift::testing::NotifyFixture f;
  int code = 0;
  if ((f.ApplyXinlePlan(&code), code) != 0) return 1;
  f.StartNotify(0);
  const std::vector<std::pair<std::string, std::string>> categories = {
      {"land", "dept-zrj"},   {"financing", "dept-jrj"},   {"labour", "dept-rsj"},
      {"energy", "dept-fgj"}, {"environment", "dept-sthj"}, {"market", "dept-scj"},
      {"technology", "dept-kgx"}};
  std::vector<std::string> category_ids;
  for (const auto& [category, dept] : categories) category_ids.push_back(category);
  const int enterprises = (problems + static_cast<int>(categories.size()) - 1) / static_cast<int>(categories.size());
  if (!f.ImportEnterprises(enterprises, "town-chengan")) return 1;
  const std::string town = f.keys().Token(uplift::auth::v1::ROLE_TOWNSHIP, "town-chengan", "承安镇专班");
  const std::vector<std::string> ids = f.RaiseProblems(problems, category_ids, town);
  if (static_cast<int>(ids.size()) != problems) return 1;

  // One live feed per department that will receive escalations.
  std::mutex mu;
  std::map<std::string, Clock::time_point> arrived;
  std::set<std::string> departments;
  for (const auto& [category, dept] : categories) departments.insert(dept);
  std::vector<std::unique_ptr<grpc::ClientContext>> feeds;
  std::vector<std::thread> readers;
  for (const std::string& dept : departments) {
    feeds.push_back(std::make_unique<grpc::ClientContext>());
    grpc::ClientContext* ctx = feeds.back().get();
    ctx->AddMetadata("authorization", "Bearer " + f.TokenFor(dept));
    readers.emplace_back([&, ctx, dept] {
      auto stub = nv1::Notification::NewStub(*uplift::MakeChannel(f.notify_address(), {}));
      nv1::SubscribeRequest req;
      req.set_unit_id(dept);
      auto reader = stub->Subscribe(ctx, req);
      nv1::SubscribeResponse m;
      while (reader->Read(&m)) {
        const auto& a = m.notification().attributes();
        auto p = a.find("problem_id");
        if (p == a.end()) continue;
        std::lock_guard<std::mutex> lock(mu);
        arrived.emplace(p->second, Clock::now());
      }
      reader->Finish();
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  std::vector<Clock::time_point> started(problems);
  std::atomic<int> next{0}, failures{0};
  const Clock::time_point begin = Clock::now();
  std::vector<std::thread> callers;
  for (int c = 0; c < concurrency; ++c) {
    callers.emplace_back([&] {
      auto stub = tv1::TaskAssignment::NewStub(*uplift::MakeChannel(f.tasks_address(), {}));
      for (int i = next++; i < problems; i = next++) {
        tv1::EscalateProblemRequest req;
        req.set_problem_id(ids[i]);
        req.set_reason("乡镇无法解决");
        tv1::EscalateProblemResponse resp;
        started[i] = Clock::now();
        if (!stub->EscalateProblem(f.Ctx(town).get(), req, &resp).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : callers) t.join();
  for (int i = 0; i < 600; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (arrived.size() >= ids.size()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto& ctx : feeds) ctx->TryCancel();
  for (std::thread& t : readers) t.join();

  std::vector<double> latency_ms;
  Clock::time_point last = begin;
  for (int i = 0; i < problems; ++i) {
    auto it = arrived.find(ids[i]);
    if (it == arrived.end()) continue;
    latency_ms.push_back(std::chrono::duration<double, std::milli>(it->second - started[i]).count());
    last = std::max(last, it->second);
  }
  const double seconds = std::chrono::duration<double>(last - begin).count();
  const auto [xadd, consume] = RawRedisRates(f.redis().AdminOptions(), 20000, 600);
  std::printf("Escalations through the whole path: EscalateProblem (uplift-tasks) -> outbox -> "
              "uplift:escalations -> uplift-notify -> Subscribe,\n%d problems, %d callers, %zu live "
              "feeds, all processes on this machine (%u cores)\n\n",
              problems, concurrency, departments.size(), std::thread::hardware_concurrency());
  std::printf("escalations/s, RPC to feed           %10.0f\n", latency_ms.size() / seconds);
  std::printf("latency p50 / p99 (ms)               %10.1f / %.1f\n", Percentile(latency_ms, 0.5),
              Percentile(latency_ms, 0.99));
  std::printf("arrived in feeds                     %10zu of %d (failed RPCs %d)\n\n", latency_ms.size(),
              problems, failures.load());
  std::printf("the same redis-server, bare (600-byte entries, one command at a time):\n");
  std::printf("XADD/s                               %10.0f\n", xadd);
  std::printf("XREADGROUP(COUNT 100)+XACK entries/s %10.0f\n", consume);
  return failures > 0 || static_cast<int>(latency_ms.size()) != problems ? 1 : 0;
}

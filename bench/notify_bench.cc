// Benchmark, not a test: escalations through the whole path, from the
// EscalateProblem RPC on uplift-tasks, through the outbox, Redis and
// uplift-notify, to the new owner's Subscribe feed. Two runs: saturated (as
// fast as the callers go: escalations per second, p50/p99) and at a fixed
// offered load (--rate a second, scheduled ahead, latency counted from each
// escalation's scheduled time so a stall is not hidden: p50/p99); beside
// them, the raw XADD and XREADGROUP/XACK rates of the same redis-server in
// the same run, and uplift-notify alone draining a stream of escalations,
// one entry a transaction against 64. In one run on SQLite, on PostgreSQL,
// and on PostgreSQL with two replicas of uplift-tasks and of uplift-notify
// (callers and feeds taking turns over them), with ratios to SQLite.
// Prints numbers; asserts nothing.
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
#include "bench/engine_setups.h"
#include "bench/process_cpu.h"
#include "common/client_channel.h"
#include "common/redis_client.h"
#include "common/sql/query.h"
#include "common/sql/store.h"
#include "tests/support/notify_fixture.h"
#include "tests/support/test_store.h"

namespace {

using uplift::bench::Percentile;
using uplift::bench::Setup;

namespace rv1 = uplift::registry::v1;
namespace tv1 = uplift::tasks::v1;
namespace nv1 = uplift::notify::v1;
using Clock = std::chrono::steady_clock;

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

// When each escalation was sent (or scheduled) and reached its feed.
struct Arrivals {
  std::mutex mu;
  std::map<std::string, Clock::time_point> at;
};

struct RunResult {
  std::vector<double> latency_ms;
  double seconds = 0;  // first send to last arrival
  int failures = 0;
};

// Escalates `ids` from the township: as fast as `callers` threads go when
// `rate` is 0, else the i-th at begin + i/rate (open loop: a slow answer
// does not delay the next send, and latency counts from the schedule).
RunResult Escalate(uplift::testing::NotifyFixture& f, const std::vector<std::string>& tasks,
                   const std::vector<std::string>& ids, const std::string& town, int callers,
                   double rate, Arrivals& arrivals) {
  std::vector<Clock::time_point> started(ids.size());
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  const Clock::time_point begin = Clock::now() + std::chrono::milliseconds(50);
  std::vector<std::thread> threads;
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      auto stub = tv1::TaskAssignment::NewStub(*uplift::MakeChannel(tasks[c % tasks.size()], {}));
      for (size_t i = next++; i < ids.size(); i = next++) {
        if (rate > 0) {
          started[i] = begin + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(static_cast<double>(i) / rate));
          std::this_thread::sleep_until(started[i]);
        } else {
          started[i] = Clock::now();
        }
        tv1::EscalateProblemRequest req;
        req.set_problem_id(ids[i]);
        req.set_reason("乡镇无法解决");
        tv1::EscalateProblemResponse resp;
        if (!stub->EscalateProblem(f.Ctx(town).get(), req, &resp).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 600; ++i) {
    {
      std::lock_guard<std::mutex> lock(arrivals.mu);
      size_t in = 0;
      for (const std::string& id : ids) in += arrivals.at.count(id);
      if (in + failures >= ids.size()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  RunResult r;
  r.failures = failures;
  Clock::time_point first = Clock::time_point::max(), last = Clock::time_point::min();
  std::lock_guard<std::mutex> lock(arrivals.mu);
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = arrivals.at.find(ids[i]);
    if (it == arrivals.at.end()) continue;
    r.latency_ms.push_back(
        std::chrono::duration<double, std::milli>(it->second - started[i]).count());
    first = std::min(first, started[i]);
    last = std::max(last, it->second);
  }
  if (!r.latency_ms.empty()) r.seconds = std::chrono::duration<double>(last - first).count();
  return r;
}

// uplift-notify alone: `n` escalations waiting on uplift:escalations when
// replica 0 starts with `batch` entries a read (one commit each read);
// escalations a second from its start to the last notification stored.
double NotifyAlone(uplift::testing::NotifyFixture& f, int n, int batch, const std::string& tag) {
  f.StopNotify(0);
  for (int i = 0; i < n; ++i) {
    f.PublishEscalation(absl::StrFormat("pb-%s-%06d", tag, i), i % 2 ? "dept-zrj" : "dept-kgx");
  }
  std::unique_ptr<uplift::sql::Store> db = f.ServiceDatabase("notify-data", "notify.db");
  auto stored = [&] {
    int64_t count = -1;
    (void)db->Read([&](uplift::sql::Connection& c) {
      uplift::sql::Query q(c, "SELECT count(*) FROM notifications");
      if (q.Step()) count = q.Int64(0);
      return absl::OkStatus();
    });
    return count;
  };
  const int64_t before = stored();
  const Clock::time_point start = Clock::now();
  f.StartNotify(0, {"--consume-batch", std::to_string(batch)});
  while (stored() < before + n) {
    if (Clock::now() - start > std::chrono::minutes(5)) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return n / std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU each process of the path used during a run, per escalation: steadier
// than escalations a second on a shared machine, and it says which process
// to make cheaper (2 cores at 2,000 a second leave 1 ms for all of them).
class PathCpu {
 public:
  // `services`: the services' processes; redis and this one are added.
  PathCpu(uplift::testing::NotifyFixture& f, std::vector<std::pair<std::string, pid_t>> services)
      : processes_(std::move(services)) {
    processes_.emplace_back("redis-server", f.redis().pid());
    processes_.emplace_back("notify_bench (callers, feeds)", getpid());
    for (const auto& [name, pid] : processes_) {
      start_.push_back(uplift::bench::CpuSeconds(pid));
      switches_.push_back(uplift::bench::ContextSwitches(pid));
    }
  }
  // "  CPU per escalation (ms): uplift-tasks 0.412, ...; all 1.020" since
  // construction, over `escalations`.
  std::string Line(size_t escalations) const {
    std::string line = "  CPU per escalation (ms):";
    double total = 0;
    for (size_t i = 0; i < processes_.size(); ++i) {
      const double ms = 1000 * (uplift::bench::CpuSeconds(processes_[i].second) - start_[i]) /
                        std::max<size_t>(escalations, 1);
      total += ms;
      absl::StrAppendFormat(&line, "%s %s %.3f", i == 0 ? "" : ",", processes_[i].first, ms);
    }
    absl::StrAppendFormat(&line, "; all %.3f\n  context switches per escalation:", total);
    for (size_t i = 0; i + 1 < processes_.size(); ++i) {  // the services and redis
      absl::StrAppendFormat(&line, "%s %s %.1f", i == 0 ? "" : ",", processes_[i].first,
                            (uplift::bench::ContextSwitches(processes_[i].second) - switches_[i]) /
                                std::max<size_t>(escalations, 1));
    }
    line += "\n";
    return line;
  }

 private:
  std::vector<std::pair<std::string, pid_t>> processes_;
  std::vector<double> start_;
  std::vector<double> switches_;
};

// On PostgreSQL: the transactions each service's database committed and
// rolled back during a run, per escalation (pg_stat_database; a backend
// reports its counts within a second or so, so a run of thousands is
// counted to within a few per cent). A rollback is most often a
// serialization failure that was run again.
class DatabaseTransactions {
 public:
  DatabaseTransactions(uplift::testing::NotifyFixture& f) {
    if (uplift::testing::TestEngine() != uplift::sql::Engine::kPostgres) return;
    for (const char* service : {"tasks", "notify"}) {
      Counted c{service, f.ServiceDatabase(absl::StrCat(service, "-data"), "")};
      c.start = Now(*c.db);
      databases_.push_back(std::move(c));
    }
  }
  // "  transactions per escalation: tasks 3.1 committed, 0.0 rolled back; ..."
  std::string Line(size_t escalations) const {
    if (databases_.empty()) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the counts' lag
    std::string line = "  transactions per escalation:";
    for (const Counted& c : databases_) {
      const auto [commits, rollbacks] = Now(*c.db);
      const double n = static_cast<double>(std::max<size_t>(escalations, 1));
      absl::StrAppendFormat(&line, "%s %s %.1f committed, %.1f rolled back",
                            &c == &databases_.front() ? "" : ";", c.service,
                            (commits - c.start.first) / n, (rollbacks - c.start.second) / n);
    }
    return line + "\n";
  }

 private:
  struct Counted {
    const char* service;
    std::unique_ptr<uplift::sql::Store> db;
    std::pair<int64_t, int64_t> start = {0, 0};
  };
  static std::pair<int64_t, int64_t> Now(uplift::sql::Store& db) {
    std::pair<int64_t, int64_t> counts;
    (void)db.Read([&](uplift::sql::Connection& c) {
      uplift::sql::Query q(c,
                           "SELECT xact_commit, xact_rollback FROM pg_stat_database "
                           "WHERE datname = current_database()");
      if (q.Step()) counts = {q.Int64(0), q.Int64(1)};
      return absl::OkStatus();
    });
    return counts;
  }
  std::vector<Counted> databases_;
};

void PrintRun(const char* label, const RunResult& r, size_t sent) {
  std::printf("%s\n", label);
  std::printf("  escalations/s, RPC to feed         %10.0f\n",
              r.seconds > 0 ? r.latency_ms.size() / r.seconds : 0.0);
  std::printf("  latency p50 / p99 (ms)             %10.1f / %.1f\n", Percentile(r.latency_ms, 0.5),
              Percentile(r.latency_ms, 0.99));
  std::printf("  arrived in feeds                   %10zu of %zu (failed RPCs %d)\n",
              r.latency_ms.size(), sent, r.failures);
}

struct Options {
  int problems = 4000, concurrency = 32, paced = 2000, raw = 20000, alone = 3000;
  double rate = 200;
};

struct Outcome {
  RunResult saturated, fixed;
  std::string cpu_line;
  size_t feeds = 0;
  double alone_one = 0, alone_batch = 0;  // one replica only
  double xadd = 0, consume = 0;           // the first set-up only
  bool ok = false;
};

// One set-up on a fresh suite: the plan, the enterprises and their problems
// made first; a live feed per department (taking turns over the notify
// replicas, so a feed shows what another replica stored); the saturated and
// the fixed-load runs (callers taking turns over the tasks replicas); then,
// with one replica, uplift-notify alone, and, if `raw`, the bare Redis rates.
Outcome Measure(const Setup& setup, const Options& o, bool raw) {
  setenv("UPLIFT_TEST_ENGINE", setup.engine, 1);
  Outcome out;
  uplift::testing::NotifyFixture f;
  int code = 0;
  if ((f.ApplyXinlePlan(&code), code) != 0) return out;
  std::vector<std::string> tasks = {f.tasks_address()}, notify;
  std::vector<std::pair<std::string, pid_t>> services;
  for (int r = 0; r < setup.replicas; ++r) {
    f.StartNotify(r);
    notify.push_back(f.notify_address(r));
    const std::string suffix = setup.replicas > 1 ? absl::StrCat("-", r) : "";
    if (r > 0) tasks.push_back(f.StartTasksReplica(r));
    services.emplace_back("uplift-tasks" + suffix,
                          r == 0 ? f.tasks_pid() : f.tasks_replica(r).pid());
    services.emplace_back("uplift-notify" + suffix, f.notify_pid(r));
  }
  const std::vector<std::pair<std::string, std::string>> categories = {
      {"land", "dept-zrj"},   {"financing", "dept-jrj"},   {"labour", "dept-rsj"},
      {"energy", "dept-fgj"}, {"environment", "dept-sthj"}, {"market", "dept-scj"},
      {"technology", "dept-kgx"}};
  std::vector<std::string> category_ids;
  for (const auto& [category, dept] : categories) category_ids.push_back(category);
  const int total = o.problems + o.paced;
  const int enterprises =
      (total + static_cast<int>(categories.size()) - 1) / static_cast<int>(categories.size());
  if (!f.ImportEnterprises(enterprises, "town-chengan")) return out;
  const std::string town = f.keys().Token(uplift::auth::v1::ROLE_TOWNSHIP, "town-chengan", "承安镇专班");
  const std::vector<std::string> ids = f.RaiseProblems(total, category_ids, town);
  if (static_cast<int>(ids.size()) != total) return out;

  // One live feed per department that will receive escalations.
  Arrivals arrivals;
  std::set<std::string> departments;
  for (const auto& [category, dept] : categories) departments.insert(dept);
  std::vector<std::unique_ptr<grpc::ClientContext>> feeds;
  std::vector<std::thread> readers;
  for (const std::string& dept : departments) {
    feeds.push_back(std::make_unique<grpc::ClientContext>());
    grpc::ClientContext* ctx = feeds.back().get();
    ctx->AddMetadata("authorization", "Bearer " + f.TokenFor(dept));
    const std::string address = notify[readers.size() % notify.size()];
    readers.emplace_back([&, ctx, dept, address] {
      auto stub = nv1::Notification::NewStub(*uplift::MakeChannel(address, {}));
      nv1::SubscribeRequest req;
      req.set_unit_id(dept);
      auto reader = stub->Subscribe(ctx, req);
      nv1::SubscribeResponse m;
      while (reader->Read(&m)) {
        const auto& a = m.notification().attributes();
        auto p = a.find("problem_id");
        if (p == a.end()) continue;
        std::lock_guard<std::mutex> lock(arrivals.mu);
        arrivals.at.emplace(p->second, Clock::now());
      }
      reader->Finish();
    });
  }
  out.feeds = feeds.size();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  const std::vector<std::string> saturated_ids(ids.begin(), ids.begin() + o.problems);
  const std::vector<std::string> paced_ids(ids.begin() + o.problems, ids.end());
  const PathCpu saturated_cpu(f, services);
  const DatabaseTransactions saturated_transactions(f);
  out.saturated = Escalate(f, tasks, saturated_ids, town, o.concurrency, 0, arrivals);
  out.cpu_line = saturated_cpu.Line(out.saturated.latency_ms.size()) +
                 saturated_transactions.Line(out.saturated.latency_ms.size());
  if (o.paced > 0) {
    // Enough callers that a slow answer never holds back the schedule.
    out.fixed = Escalate(f, tasks, paced_ids, town, std::max(o.concurrency, 32), o.rate, arrivals);
  }
  for (auto& ctx : feeds) ctx->TryCancel();
  for (std::thread& t : readers) t.join();

  if (o.alone > 0 && setup.replicas == 1) {
    out.alone_one = NotifyAlone(f, o.alone, 1, "one");
    out.alone_batch = NotifyAlone(f, o.alone, 64, "batch");
  }
  if (raw) std::tie(out.xadd, out.consume) = RawRedisRates(f.redis().AdminOptions(), o.raw, 600);
  out.ok = out.saturated.failures == 0 && out.fixed.failures == 0 &&
           out.saturated.latency_ms.size() == saturated_ids.size() &&
           out.fixed.latency_ms.size() == paced_ids.size();
  return out;
}

double PerSecond(const RunResult& r) {
  return r.seconds > 0 ? r.latency_ms.size() / r.seconds : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"notify_bench: EscalateProblem to the new owner's live feed"};
  Options o;
  std::string only;
  app.add_option("--problems", o.problems, "escalations in the saturated run")
      ->capture_default_str();
  app.add_option("--concurrency", o.concurrency,
                 "callers in the saturated run, each waiting for its answer (enough that the "
                 "callers are not the limit: 8 gave ~900/s where 32 gave ~1,500/s)")
      ->capture_default_str();
  app.add_option("--rate", o.rate, "offered escalations a second in the fixed-load run (0: none)")
      ->capture_default_str();
  app.add_option("--paced-problems", o.paced, "escalations in the fixed-load run")
      ->capture_default_str();
  app.add_option("--raw-entries", o.raw, "entries for the bare redis-server rates")
      ->capture_default_str();
  app.add_option("--alone", o.alone,
                 "escalations for uplift-notify alone, one and 64 entries a transaction (0: none)")
      ->capture_default_str();
  uplift::bench::AddOnlyOption(app, &only);
  CLI11_PARSE(app, argc, argv);
  if (o.rate <= 0) o.paced = 0;
  uplift::bench::PrintBuild();

  bool first = true;
  const auto results = uplift::bench::MeasureSetups(only, [&](const Setup& setup) {
    const bool is_first = std::exchange(first, false);
    return Measure(setup, o, is_first);
  });
  if (results.empty()) return 1;
  std::printf(
      "Escalations through the whole path: EscalateProblem (uplift-tasks) -> outbox -> "
      "uplift:escalations -> uplift-notify -> Subscribe,\n%zu live feeds, all processes on "
      "this machine (%u cores); SQLite (WAL, synchronous=FULL) or PostgreSQL 15\n(SERIALIZABLE, "
      "fsync on), one replica of uplift-tasks and uplift-notify or two\n",
      results.front().second.feeds, std::thread::hardware_concurrency());
  bool ok = true;
  for (const auto& [setup, r] : results) {
    std::printf("\n== %s (%d replica%s of each)\n", setup.name, setup.replicas,
                setup.replicas > 1 ? "s" : "");
    ok = ok && r.ok;
    const std::string saturated_label =
        absl::StrFormat("saturated: %d escalations, %d callers", o.problems, o.concurrency);
    PrintRun(saturated_label.c_str(), r.saturated, o.problems);
    std::printf("%s", r.cpu_line.c_str());
    if (o.paced > 0) {
      const std::string fixed_label = absl::StrFormat(
          "fixed load: %.0f escalations/s offered, %d escalations (latency from the schedule; "
          "goal p99 <= 50 ms at 200/s)",
          o.rate, o.paced);
      PrintRun(fixed_label.c_str(), r.fixed, o.paced);
    }
    if (r.alone_one > 0) {
      std::printf(
          "uplift-notify alone, %d escalations waiting on the stream (start to last stored):\n",
          o.alone);
      std::printf("  one entry a transaction (--consume-batch 1)   %10.0f /s\n", r.alone_one);
      std::printf("  64 entries a transaction (the default)        %10.0f /s  (x%.1f)\n",
                  r.alone_batch, r.alone_batch / r.alone_one);
    }
  }
  const Outcome& base = results.front().second;
  std::printf("\n%-14s %14s %7s %22s %22s %14s\n", "set-up", "saturated /s", "ratio",
              "saturated p50/p99 ms", "fixed p50/p99 ms", "notify alone/s");
  for (const auto& [setup, r] : results) {
    std::printf(
        "%-14s %14.0f %7.2f %10.1f / %9.1f %10.1f / %9.1f %14.0f\n", setup.name,
        PerSecond(r.saturated),
        PerSecond(base.saturated) > 0 ? PerSecond(r.saturated) / PerSecond(base.saturated) : 0,
        Percentile(r.saturated.latency_ms, 0.5), Percentile(r.saturated.latency_ms, 0.99),
        Percentile(r.fixed.latency_ms, 0.5), Percentile(r.fixed.latency_ms, 0.99), r.alone_batch);
  }
  std::printf("\nthe same redis-server, bare (600-byte entries, one command at a time):\n");
  std::printf("XADD/s                               %10.0f\n", base.xadd);
  std::printf("XREADGROUP(COUNT 100)+XACK entries/s %10.0f\n", base.consume);
  std::printf(
      "\n(ratio: saturated escalations/s against the first set-up; failed RPCs or "
      "escalations missing from the feeds make the exit code 1)\n");
  return ok ? 0 : 1;
}

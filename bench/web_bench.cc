// Benchmark, not a test: GetEnterprise through uplift-web (HTTP/1.1
// keep-alive, JSON, the Connect protocol) beside the same call over gRPC
// directly to uplift-registry, in the same run at the same concurrency:
// calls/s, p50 and p99, and the ratio. Through the gateway twice: as a
// department system (its bearer token) and as a person (the session
// cookie, so each call also resumes the session). The HTTP load, like the
// gRPC one, is driven asynchronously by one client thread. Asserts nothing
// about speed. In one run on SQLite, on PostgreSQL, and on PostgreSQL with
// two replicas of uplift-registry and of uplift-web (connections taking
// turns over them), with ratios to SQLite.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bench/build_info.h"
#include "bench/engine_setups.h"
#include "bench/process_cpu.h"
#include "bench/registry_load.h"
#include "tests/support/http_client.h"
#include "uplift/accounts/v1/accounts.grpc.pb.h"

namespace {

using uplift::bench::Setup;

using uplift::bench::CpuSeconds;
using uplift::bench::LoadResult;
using uplift::bench::RegistryLoadOptions;
using uplift::testing::HttpClient;
namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// One keep-alive connection per slot, all driven by one client thread
// (as the gRPC load drives its calls), each with one call in flight.
class HttpLoad {
 public:
  // Slot i connects to ports[i % ports.size()]; an Origin among `headers`
  // is replaced by that replica's own.
  HttpLoad(std::vector<int> ports, const RegistryLoadOptions& o,
           std::map<std::string, std::string> headers)
      : ports_(std::move(ports)), o_(o), headers_(std::move(headers)), slots_(o.concurrency) {}

  LoadResult Run() {
    for (int i = 0; i < o_.concurrency; ++i) {
      Slot& s = slots_[i];
      s.socket = std::make_unique<tcp::socket>(ioc_);
      s.next = i * 7919 % o_.enterprises;
      s.port = ports_[i % ports_.size()];
      boost::system::error_code ec;
      s.socket->connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), s.port), ec);
      if (ec) return Failed("connect: " + ec.message());
      Issue(s);
    }
    std::thread client([this] { ioc_.run(); });
    absl::SleepFor(absl::Seconds(o_.warmup));
    measuring_ = true;
    const absl::Time begin = absl::Now();
    absl::SleepFor(absl::Seconds(o_.seconds));
    measuring_ = false;
    const double elapsed = absl::ToDoubleSeconds(absl::Now() - begin);
    stop_ = true;
    client.join();
    std::sort(latencies_.begin(), latencies_.end());
    result_.calls = static_cast<int64_t>(latencies_.size());
    result_.qps = result_.calls / elapsed;
    if (!latencies_.empty()) {
      result_.p50_us = latencies_[latencies_.size() / 2];
      result_.p99_us = latencies_[std::min(latencies_.size() - 1, latencies_.size() * 99 / 100)];
    }
    return result_;
  }

 private:
  struct Slot {
    std::unique_ptr<tcp::socket> socket;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
    boost::beast::flat_buffer buffer;
    absl::Time start;
    int next = 0;
    int port = 0;
  };

  LoadResult Failed(const std::string& why) {
    result_.errors = 1;
    result_.first_error = why;
    return result_;
  }

  void Issue(Slot& s) {
    if (stop_) return;
    s.next = (s.next + 1) % o_.enterprises;
    s.request = http::request<http::string_body>(
        http::verb::post, "/uplift.registry.v1.EnterpriseRegistry/GetEnterprise", 11);
    s.request.set(http::field::host, "127.0.0.1:" + std::to_string(s.port));
    s.request.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : headers_) s.request.set(k, v);
    // A browser's calls come from the page of the replica it talks to.
    if (headers_.count("Origin"))
      s.request.set(http::field::origin, "http://127.0.0.1:" + std::to_string(s.port));
    s.request.body() =
        absl::StrCat("{\"creditCode\":\"", uplift::testing::TestCreditCode(s.next), "\"}");
    s.request.prepare_payload();
    s.response = {};
    s.start = absl::Now();
    http::async_write(*s.socket, s.request, [this, &s](boost::system::error_code ec, size_t) {
      if (ec) return Error(s, "write: " + ec.message());
      http::async_read(
          *s.socket, s.buffer, s.response, [this, &s](boost::system::error_code ec, size_t) {
            if (ec) return Error(s, "read: " + ec.message());
            ++result_.completed;
            const double us = absl::ToDoubleMicroseconds(absl::Now() - s.start);
            if (measuring_) {
              if (s.response.result_int() == 200) {
                latencies_.push_back(us);
              } else {
                Error(s, absl::StrCat(s.response.result_int(), " ", s.response.body()), false);
              }
            }
            Issue(s);
          });
    });
  }

  void Error(Slot& s, const std::string& what, bool fatal = true) {
    if (result_.errors++ == 0) result_.first_error = what;
    if (!fatal) return;
    // A broken connection: open another and go on.
    boost::system::error_code ec;
    s.socket = std::make_unique<tcp::socket>(ioc_);
    s.socket->connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), s.port), ec);
    s.buffer.clear();
    if (!ec) Issue(s);
  }

  const std::vector<int> ports_;
  const RegistryLoadOptions o_;
  const std::map<std::string, std::string> headers_;
  net::io_context ioc_;
  std::vector<Slot> slots_;
  std::atomic<bool> measuring_{false}, stop_{false};
  std::vector<double> latencies_;  // only the client thread touches it
  LoadResult result_;
};

// One target's run: its load and the CPU each process spent per call.
struct Measured {
  LoadResult load;
  double client_us = 0, web_us = 0, registry_us = 0;
  double total_us() const { return client_us + web_us + registry_us; }
};

constexpr const char* kTargets[] = {"gRPC direct to uplift-registry",
                                    "HTTP/JSON via uplift-web, bearer",
                                    "HTTP/JSON via uplift-web, session"};

struct Options {
  RegistryLoadOptions load;
  int http_threads = 2, backend_connections = 2, rounds = 3;
};

using Round = std::array<Measured, 3>;

// The median over `rounds` of `of`.
double Median(const std::vector<Round>& rounds, const std::function<double(const Round&)>& of) {
  std::vector<double> v;
  for (const auto& r : rounds) v.push_back(of(r));
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

// Starts uplift-web replica `n` in front of `registries`; its gRPC and
// HTTP ports.
std::pair<int, int> StartWeb(uplift::testing::RegistryFixture& f, int n,
                             const std::string& registries, const Options& o,
                             std::vector<std::unique_ptr<uplift::testing::Process>>& webs) {
  const std::string name = absl::StrCat("web-", n);
  const std::string port_file = f.dir().File(name + ".port");
  const std::string http_port_file = f.dir().File(name + ".http-port");
  std::vector<std::string> args = f.ServiceArgs("uplift-web", port_file, "web-data");
  args.insert(args.end(), {"--http-listen",         "127.0.0.1:0",
                           "--http-port-file",      http_port_file,
                           "--http-threads",        std::to_string(o.http_threads),
                           "--backend-connections", std::to_string(o.backend_connections),
                           "--token-signing-key",   f.keys().private_key_file(),
                           "--registry-addr",       registries,
                           "--tasks-addr",          "127.0.0.1:1",
                           "--indicators-addr",     "127.0.0.1:1",
                           "--notify-addr",         "127.0.0.1:1",
                           "--log-level",           "warn"});
  webs.push_back(std::make_unique<uplift::testing::Process>(UPLIFT_WEB_BIN, args,
                                                            f.dir().File(name + ".log")));
  webs.back()->Start();
  return {uplift::testing::WaitForPortFile(port_file),
          uplift::testing::WaitForPortFile(http_port_file)};
}

// One set-up on a fresh registry (and uplift-web): the three targets take
// turns, round after round (the machine is shared: its speed drifts over a
// run, so each ratio is taken within a round and the median round is the
// result); beside calls/s, the CPU each kind of process spent per call
// (warm-up included), which the machine's drift moves far less.
std::vector<Round> Measure(const Setup& setup, const Options& o, int64_t* errors) {
  setenv("UPLIFT_TEST_ENGINE", setup.engine, 1);
  const RegistryLoadOptions& load = o.load;
  uplift::testing::RegistryFixture f;
  f.SeedBasics();
  uplift::bench::SeedEnterprises(f, load.enterprises);
  std::vector<std::string> registries = {f.address()};
  std::vector<pid_t> registry_pids = {f.registry_pid()};
  for (int r = 1; r < setup.replicas; ++r) {
    registries.push_back(f.StartRegistryReplica(r));
    registry_pids.push_back(f.registry_replica(r).pid());
  }
  const std::string registry_target =
      setup.replicas > 1 ? absl::StrCat("ipv4:", absl::StrJoin(registries, ",")) : f.address();
  std::vector<std::unique_ptr<uplift::testing::Process>> webs;
  std::vector<int> grpc_ports, http_ports;
  for (int w = 0; w < setup.replicas; ++w) {
    const auto [grpc_port, http_port] = StartWeb(f, w, registry_target, o, webs);
    grpc_ports.push_back(grpc_port);
    http_ports.push_back(http_port);
  }
  std::vector<pid_t> web_pids;
  for (const auto& web : webs) web_pids.push_back(web->pid());

  // A person with a settled password, for the session run.
  auto accounts = uplift::accounts::v1::Accounts::NewStub(
      uplift::bench::Channels("127.0.0.1:" + std::to_string(grpc_ports[0]), 1)[0]);
  uplift::accounts::v1::CreateAccountRequest create;
  create.mutable_account()->set_login("bench.viewer");
  create.mutable_account()->set_display_name("基准");
  create.mutable_account()->set_role(uplift::auth::v1::ROLE_VIEWER);
  create.set_initial_password("Bench-2023-first");
  uplift::accounts::v1::CreateAccountResponse created;
  if (!accounts->CreateAccount(f.Ctx(f.admin_token).get(), create, &created).ok()) {
    ++*errors;
    return {};
  }
  HttpClient person(http_ports[0]);
  person.set_browser(true);
  person.Post("/uplift.accounts.v1.Accounts/SignIn",
              "{\"login\":\"bench.viewer\",\"password\":\"Bench-2023-first\"}");
  person.Post("/uplift.accounts.v1.Accounts/ChangePassword",
              "{\"currentPassword\":\"Bench-2023-first\",\"newPassword\":\"Bench-2023-mine\"}");
  person.Post("/uplift.accounts.v1.Accounts/SignIn",
              "{\"login\":\"bench.viewer\",\"password\":\"Bench-2023-mine\"}");
  const std::string session = person.session();

  // Seeding left the registry its outbox to publish; measuring while it
  // does would slow the first round's direct calls.
  if (!uplift::bench::WaitUntilIdle(registry_pids[0], absl::Minutes(2))) {
    std::printf("(the registry never went idle; the first round may be slowed)\n");
  }
  const auto cpu = [](const std::vector<pid_t>& pids) {
    double seconds = 0;
    for (pid_t pid : pids) seconds += CpuSeconds(pid);
    return seconds;
  };
  const auto measure = [&](const std::function<LoadResult()>& run) {
    Measured m;
    const double client0 = CpuSeconds(getpid()), web0 = cpu(web_pids),
                 registry0 = cpu(registry_pids);
    m.load = run();
    const double calls = static_cast<double>(std::max<int64_t>(1, m.load.completed));
    m.client_us = (CpuSeconds(getpid()) - client0) * 1e6 / calls;
    m.web_us = (cpu(web_pids) - web0) * 1e6 / calls;
    m.registry_us = (cpu(registry_pids) - registry0) * 1e6 / calls;
    return m;
  };
  std::printf("\n== %s (%d replica%s of uplift-registry and of uplift-web)\n", setup.name,
              setup.replicas, setup.replicas > 1 ? "s" : "");
  uplift::bench::PrintHeader();
  std::vector<Round> rounds;
  for (int r = 0; r < o.rounds; ++r) {
    Round round;
    round[0] = measure(
        [&] { return uplift::bench::LoadGetEnterprise(registry_target, f.admin_token, load); });
    round[1] = measure([&] {
      return HttpLoad(http_ports, load, {{"Authorization", "Bearer " + f.admin_token}}).Run();
    });
    round[2] = measure([&] {
      return HttpLoad(http_ports, load,
                      {{"Cookie", "uplift_session=" + session},
                       {"Origin", person.origin()},
                       {"Connect-Protocol-Version", "1"}})
          .Run();
    });
    for (int t = 0; t < 3; ++t) {
      uplift::bench::PrintRow(absl::StrCat(kTargets[t], " #", r + 1).c_str(), round[t].load);
      *errors += round[t].load.errors;
    }
    rounds.push_back(round);
  }
  const auto each = [&](const char* what, const std::function<double(const Measured&)>& of) {
    std::printf("  %-8s direct gRPC %.0f, via uplift-web bearer %.0f, session %.0f\n", what,
                Median(rounds, [&](const Round& r) { return of(r[0]); }),
                Median(rounds, [&](const Round& r) { return of(r[1]); }),
                Median(rounds, [&](const Round& r) { return of(r[2]); }));
  };
  std::printf("\nmedian of %zu rounds:\n", rounds.size());
  each("calls/s:", [](const Measured& m) { return m.load.qps; });
  each("p50 us:", [](const Measured& m) { return m.load.p50_us; });
  each("p99 us:", [](const Measured& m) { return m.load.p99_us; });
  std::printf(
      "\nCPU per call (us, median of rounds, replicas summed):\n%-34s %10s %10s %10s %10s\n",
      "target", "client", "uplift-web", "registry", "total");
  for (int t = 0; t < 3; ++t) {
    std::printf("%-34s %10.1f %10.1f %10.1f %10.1f\n", kTargets[t],
                Median(rounds, [&](const Round& r) { return r[t].client_us; }),
                Median(rounds, [&](const Round& r) { return r[t].web_us; }),
                Median(rounds, [&](const Round& r) { return r[t].registry_us; }),
                Median(rounds, [&](const Round& r) { return r[t].total_us(); }));
  }
  std::printf(
      "\nratio via uplift-web (bearer) / direct gRPC (throughput):  %.2f   (goal >= 0.50)\n",
      Median(rounds, [&](const Round& r) { return Ratio(r[1].load.qps, r[0].load.qps); }));
  std::printf("ratio via uplift-web (session) / direct gRPC (throughput): %.2f\n",
              Median(rounds, [&](const Round& r) { return Ratio(r[2].load.qps, r[0].load.qps); }));
  std::printf(
      "ratio of CPU per call, direct gRPC / via uplift-web (bearer): %.2f\n",
      Median(rounds, [&](const Round& r) { return Ratio(r[0].total_us(), r[1].total_us()); }));
  for (auto& web : webs) web->Terminate();
  return rounds;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"web_bench: GetEnterprise through uplift-web beside direct gRPC"};
  Options o;
  std::string only;
  app.add_option("--concurrency", o.load.concurrency, "calls in flight")->capture_default_str();
  app.add_option("--seconds", o.load.seconds, "measured window per target")->capture_default_str();
  app.add_option("--warmup", o.load.warmup, "warm-up before each window")->capture_default_str();
  app.add_option("--enterprises", o.load.enterprises, "enterprises in the registry")
      ->capture_default_str();
  app.add_option("--channels", o.load.channels, "gRPC client connections")->capture_default_str();
  app.add_option("--rounds", o.rounds, "rounds of the three targets, taking turns")
      ->capture_default_str();
  app.add_option("--http-threads", o.http_threads, "uplift-web's HTTP threads")
      ->capture_default_str();
  app.add_option("--backend-connections", o.backend_connections,
                 "uplift-web's connections to the registry")
      ->capture_default_str();
  uplift::bench::AddOnlyOption(app, &only);
  CLI11_PARSE(app, argc, argv);
  uplift::bench::PrintBuild();
  std::printf(
      "GetEnterprise through uplift-web (HTTP/1.1 keep-alive, JSON) and directly over "
      "gRPC:\nconcurrency %d, %.1f s measured after %.1f s warm-up per target, %d "
      "enterprises,\nuplift-web with %d HTTP threads; client, gateway and registry on this "
      "machine (%d cores);\nSQLite (WAL) or PostgreSQL 15 (SERIALIZABLE, fsync on)\n",
      o.load.concurrency, o.load.seconds, o.load.warmup, o.load.enterprises, o.http_threads,
      static_cast<int>(std::thread::hardware_concurrency()));

  int64_t errors = 0;
  const auto results = uplift::bench::MeasureSetups(
      only, [&](const Setup& setup) { return Measure(setup, o, &errors); });
  if (results.empty()) return 1;
  std::printf("\ncalls/s, median of rounds (ratio to %s):\n%-14s %20s %20s %20s\n",
              results.front().first.name, "set-up", "direct gRPC", "via web, bearer",
              "via web, session");
  const auto qps = [](const std::vector<Round>& rounds, int t) {
    return Median(rounds, [t](const Round& r) { return r[t].load.qps; });
  };
  for (const auto& [setup, rounds] : results) {
    std::printf("%-14s", setup.name);
    for (int t = 0; t < 3; ++t) {
      std::printf(" %12.0f (%5.2f)", qps(rounds, t),
                  Ratio(qps(rounds, t), qps(results.front().second, t)));
    }
    std::printf("\n");
  }
  return errors > 0 ? 1 : 0;
}

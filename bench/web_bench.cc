// Benchmark, not a test: GetEnterprise through uplift-web (HTTP/1.1
// keep-alive, JSON, the Connect protocol) beside the same call over gRPC
// directly to uplift-registry, in the same run at the same concurrency:
// calls/s, p50 and p99, and the ratio. Through the gateway twice: as a
// department system (its bearer token) and as a person (the session
// cookie, so each call also resumes the session). The HTTP load, like the
// gRPC one, is driven asynchronously by one client thread. Asserts nothing
// about speed.
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
#include "bench/build_info.h"
#include "bench/process_cpu.h"
#include "bench/registry_load.h"
#include "tests/support/http_client.h"
#include "uplift/accounts/v1/accounts.grpc.pb.h"

namespace {

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
  HttpLoad(int port, const RegistryLoadOptions& o, std::map<std::string, std::string> headers)
      : port_(port), o_(o), headers_(std::move(headers)), slots_(o.concurrency) {}

  LoadResult Run() {
    for (int i = 0; i < o_.concurrency; ++i) {
      Slot& s = slots_[i];
      s.socket = std::make_unique<tcp::socket>(ioc_);
      s.next = i * 7919 % o_.enterprises;
      boost::system::error_code ec;
      s.socket->connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
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
    s.request.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    s.request.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : headers_) s.request.set(k, v);
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
    s.socket->connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
    s.buffer.clear();
    if (!ec) Issue(s);
  }

  const int port_;
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"web_bench: GetEnterprise through uplift-web beside direct gRPC"};
  RegistryLoadOptions o;
  int http_threads = 2, backend_connections = 2, rounds_wanted = 3;
  app.add_option("--concurrency", o.concurrency, "calls in flight")->capture_default_str();
  app.add_option("--seconds", o.seconds, "measured window per target")->capture_default_str();
  app.add_option("--warmup", o.warmup, "warm-up before each window")->capture_default_str();
  app.add_option("--enterprises", o.enterprises, "enterprises in the registry")
      ->capture_default_str();
  app.add_option("--channels", o.channels, "gRPC client connections")->capture_default_str();
  app.add_option("--rounds", rounds_wanted, "rounds of the three targets, taking turns")
      ->capture_default_str();
  app.add_option("--http-threads", http_threads, "uplift-web's HTTP threads")
      ->capture_default_str();
  app.add_option("--backend-connections", backend_connections,
                 "uplift-web's connections to the registry")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  uplift::bench::PrintBuild();

  uplift::testing::RegistryFixture f;
  f.SeedBasics();
  uplift::bench::SeedEnterprises(f, o.enterprises);

  // uplift-web in front of the registry (the other backends are not used).
  const std::string port_file = f.dir().File("web.port");
  const std::string http_port_file = f.dir().File("web.http-port");
  std::vector<std::string> args = f.ServiceArgs("uplift-web", port_file, "web-data");
  args.insert(args.end(), {"--http-listen",         "127.0.0.1:0",
                           "--http-port-file",      http_port_file,
                           "--http-threads",        std::to_string(http_threads),
                           "--backend-connections", std::to_string(backend_connections),
                           "--token-signing-key",   f.keys().private_key_file(),
                           "--registry-addr",       f.address(),
                           "--tasks-addr",          "127.0.0.1:1",
                           "--indicators-addr",     "127.0.0.1:1",
                           "--notify-addr",         "127.0.0.1:1",
                           "--log-level",           "warn"});
  uplift::testing::Process web(UPLIFT_WEB_BIN, args, f.dir().File("web.log"));
  web.Start();
  const int grpc_port = uplift::testing::WaitForPortFile(port_file);
  const int http_port = uplift::testing::WaitForPortFile(http_port_file);

  // A person with a settled password, for the session run.
  auto accounts = uplift::accounts::v1::Accounts::NewStub(
      uplift::bench::Channels("127.0.0.1:" + std::to_string(grpc_port), 1)[0]);
  uplift::accounts::v1::CreateAccountRequest create;
  create.mutable_account()->set_login("bench.viewer");
  create.mutable_account()->set_display_name("基准");
  create.mutable_account()->set_role(uplift::auth::v1::ROLE_VIEWER);
  create.set_initial_password("Bench-2023-first");
  uplift::accounts::v1::CreateAccountResponse created;
  if (!accounts->CreateAccount(f.Ctx(f.admin_token).get(), create, &created).ok()) return 1;
  HttpClient person(http_port);
  person.set_browser(true);
  person.Post("/uplift.accounts.v1.Accounts/SignIn",
              "{\"login\":\"bench.viewer\",\"password\":\"Bench-2023-first\"}");
  person.Post("/uplift.accounts.v1.Accounts/ChangePassword",
              "{\"currentPassword\":\"Bench-2023-first\",\"newPassword\":\"Bench-2023-mine\"}");
  person.Post("/uplift.accounts.v1.Accounts/SignIn",
              "{\"login\":\"bench.viewer\",\"password\":\"Bench-2023-mine\"}");
  const std::string session = person.session();

  std::printf(
      "GetEnterprise through uplift-web (HTTP/1.1 keep-alive, JSON) and directly over "
      "gRPC:\nconcurrency %d, %.1f s measured after %.1f s warm-up per target, %d "
      "enterprises,\nuplift-web with %d HTTP threads; client, gateway and registry on this "
      "machine (%d cores)\n\n",
      o.concurrency, o.seconds, o.warmup, o.enterprises, http_threads,
      static_cast<int>(std::thread::hardware_concurrency()));
  // The machine is shared: its speed drifts over a run. The targets take
  // turns, round after round, and each ratio is taken within a round; the
  // median round is the result. Beside calls/s, the CPU each process spent
  // per call (warm-up included), which the machine's drift moves far less.
  const pid_t web_pid = web.pid(), registry_pid = f.registry_pid(), client_pid = getpid();
  // Seeding left the registry its outbox to publish; measuring while it
  // does would slow the first round's direct calls.
  if (!uplift::bench::WaitUntilIdle(registry_pid, absl::Minutes(2))) {
    std::printf("(the registry never went idle; the first round may be slowed)\n");
  }
  const auto measure = [&](const std::function<LoadResult()>& run) {
    Measured m;
    const double client0 = CpuSeconds(client_pid), web0 = CpuSeconds(web_pid),
                 registry0 = CpuSeconds(registry_pid);
    m.load = run();
    const double calls = static_cast<double>(std::max<int64_t>(1, m.load.completed));
    m.client_us = (CpuSeconds(client_pid) - client0) * 1e6 / calls;
    m.web_us = (CpuSeconds(web_pid) - web0) * 1e6 / calls;
    m.registry_us = (CpuSeconds(registry_pid) - registry0) * 1e6 / calls;
    return m;
  };
  uplift::bench::PrintHeader();
  std::vector<std::array<Measured, 3>> rounds;
  int64_t errors = 0;
  for (int r = 0; r < rounds_wanted; ++r) {
    std::array<Measured, 3> round;
    round[0] =
        measure([&] { return uplift::bench::LoadGetEnterprise(f.address(), f.admin_token, o); });
    round[1] = measure([&] {
      return HttpLoad(http_port, o, {{"Authorization", "Bearer " + f.admin_token}}).Run();
    });
    round[2] = measure([&] {
      return HttpLoad(http_port, o,
                      {{"Cookie", "uplift_session=" + session},
                       {"Origin", person.origin()},
                       {"Connect-Protocol-Version", "1"}})
          .Run();
    });
    for (int t = 0; t < 3; ++t) {
      uplift::bench::PrintRow(absl::StrCat(kTargets[t], " #", r + 1).c_str(), round[t].load);
      errors += round[t].load.errors;
    }
    rounds.push_back(round);
  }
  const auto median = [&](const std::function<double(const std::array<Measured, 3>&)>& of) {
    std::vector<double> v;
    for (const auto& r : rounds) v.push_back(of(r));
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const auto each = [&](const char* what, const std::function<double(const Measured&)>& of) {
    std::printf("  %-8s direct gRPC %.0f, via uplift-web bearer %.0f, session %.0f\n", what,
                median([&](const auto& r) { return of(r[0]); }),
                median([&](const auto& r) { return of(r[1]); }),
                median([&](const auto& r) { return of(r[2]); }));
  };
  std::printf("\nmedian of %zu rounds:\n", rounds.size());
  each("calls/s:", [](const Measured& m) { return m.load.qps; });
  each("p50 us:", [](const Measured& m) { return m.load.p50_us; });
  each("p99 us:", [](const Measured& m) { return m.load.p99_us; });
  std::printf("\nCPU per call (us, median of rounds):\n%-34s %10s %10s %10s %10s\n", "target",
              "client", "uplift-web", "registry", "total");
  for (int t = 0; t < 3; ++t) {
    std::printf("%-34s %10.1f %10.1f %10.1f %10.1f\n", kTargets[t],
                median([&](const auto& r) { return r[t].client_us; }),
                median([&](const auto& r) { return r[t].web_us; }),
                median([&](const auto& r) { return r[t].registry_us; }),
                median([&](const auto& r) { return r[t].total_us(); }));
  }
  const auto ratio = [](double a, double b) { return b > 0 ? a / b : 0; };
  std::printf(
      "\nratio via uplift-web (bearer) / direct gRPC (throughput):  %.2f   (goal >= 0.50)\n",
      median([&](const auto& r) { return ratio(r[1].load.qps, r[0].load.qps); }));
  std::printf("ratio via uplift-web (session) / direct gRPC (throughput): %.2f\n",
              median([&](const auto& r) { return ratio(r[2].load.qps, r[0].load.qps); }));
  std::printf("ratio of CPU per call, direct gRPC / via uplift-web (bearer): %.2f\n",
              median([&](const auto& r) { return ratio(r[0].total_us(), r[1].total_us()); }));
  web.Terminate();
  return errors > 0 ? 1 : 0;
}

// Benchmark, not a test: GetEnterprise through uplift-web (HTTP/1.1
// keep-alive, JSON, the Connect protocol) beside the same call over gRPC
// directly to uplift-registry, in the same run at the same concurrency:
// calls/s, p50 and p99, and the ratio. Through the gateway twice: as a
// department system (its bearer token) and as a person (the session
// cookie, so each call also resumes the session). The HTTP load, like the
// gRPC one, is driven asynchronously by one client thread. Asserts nothing
// about speed.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/str_cat.h"
#include "bench/registry_load.h"
#include "tests/support/http_client.h"
#include "uplift/accounts/v1/accounts.grpc.pb.h"

namespace {

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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"web_bench: GetEnterprise through uplift-web beside direct gRPC"};
  RegistryLoadOptions o;
  int http_threads = 2, rounds_wanted = 3;
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
  CLI11_PARSE(app, argc, argv);

  uplift::testing::RegistryFixture f;
  f.SeedBasics();
  uplift::bench::SeedEnterprises(f, o.enterprises);

  // uplift-web in front of the registry (the other backends are not used).
  const std::string port_file = f.dir().File("web.port");
  const std::string http_port_file = f.dir().File("web.http-port");
  std::vector<std::string> args = f.ServiceArgs("uplift-web", port_file, "web-data");
  args.insert(args.end(),
              {"--http-listen", "127.0.0.1:0", "--http-port-file", http_port_file, "--http-threads",
               std::to_string(http_threads), "--token-signing-key", f.keys().private_key_file(),
               "--registry-addr", f.address(), "--tasks-addr", "127.0.0.1:1", "--indicators-addr",
               "127.0.0.1:1", "--notify-addr", "127.0.0.1:1", "--log-level", "warn"});
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
  // median round is the result.
  uplift::bench::PrintHeader();
  struct Round {
    LoadResult direct, bearer, session;
  };
  std::vector<Round> rounds;
  int64_t errors = 0;
  for (int r = 0; r < rounds_wanted; ++r) {
    Round round;
    round.direct = uplift::bench::LoadGetEnterprise(f.address(), f.admin_token, o);
    uplift::bench::PrintRow(absl::StrCat("gRPC direct to uplift-registry #", r + 1).c_str(),
                            round.direct);
    round.bearer = HttpLoad(http_port, o, {{"Authorization", "Bearer " + f.admin_token}}).Run();
    uplift::bench::PrintRow(absl::StrCat("HTTP/JSON via uplift-web, bearer #", r + 1).c_str(),
                            round.bearer);
    round.session = HttpLoad(http_port, o,
                             {{"Cookie", "uplift_session=" + session},
                              {"Origin", person.origin()},
                              {"Connect-Protocol-Version", "1"}})
                        .Run();
    uplift::bench::PrintRow(absl::StrCat("HTTP/JSON via uplift-web, session #", r + 1).c_str(),
                            round.session);
    errors += round.direct.errors + round.bearer.errors + round.session.errors;
    rounds.push_back(round);
  }
  const auto ratio = [](const LoadResult& a, const LoadResult& b) {
    return b.qps > 0 ? a.qps / b.qps : 0;
  };
  const auto median = [&](const std::function<double(const Round&)>& of) {
    std::vector<double> v;
    for (const Round& r : rounds) v.push_back(of(r));
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::printf("\nmedian of %zu rounds:\n", rounds.size());
  std::printf("  calls/s: direct gRPC %.0f, via uplift-web bearer %.0f, session %.0f\n",
              median([](const Round& r) { return r.direct.qps; }),
              median([](const Round& r) { return r.bearer.qps; }),
              median([](const Round& r) { return r.session.qps; }));
  std::printf("  p50 us:  direct gRPC %.0f, via uplift-web bearer %.0f, session %.0f\n",
              median([](const Round& r) { return r.direct.p50_us; }),
              median([](const Round& r) { return r.bearer.p50_us; }),
              median([](const Round& r) { return r.session.p50_us; }));
  std::printf("  p99 us:  direct gRPC %.0f, via uplift-web bearer %.0f, session %.0f\n",
              median([](const Round& r) { return r.direct.p99_us; }),
              median([](const Round& r) { return r.bearer.p99_us; }),
              median([](const Round& r) { return r.session.p99_us; }));
  std::printf("ratio via uplift-web (bearer) / direct gRPC (throughput):  %.2f   (goal >= 0.50)\n",
              median([&](const Round& r) { return ratio(r.bearer, r.direct); }));
  std::printf("ratio via uplift-web (session) / direct gRPC (throughput): %.2f\n",
              median([&](const Round& r) { return ratio(r.session, r.direct); }));
  web.Terminate();
  return errors > 0 ? 1 : 0;
}

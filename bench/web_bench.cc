// Benchmark, not a test: GetEnterprise through uplift-web (HTTP/1.1
// keep-alive, JSON, the Connect protocol) beside the same call over gRPC
// directly to uplift-registry, in the same run at the same concurrency:
// calls/s, p50 and p99, and the ratio. Through the gateway twice: as a
// department system (its bearer token) and as a person (the session
// cookie, so each call also resumes the session). Asserts nothing about
// speed.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "bench/registry_load.h"
#include "tests/support/http_client.h"
#include "uplift/accounts/v1/accounts.grpc.pb.h"

namespace {

using uplift::bench::LoadResult;
using uplift::bench::RegistryLoadOptions;
using uplift::testing::HttpClient;
using uplift::testing::HttpResult;

// `concurrency` threads, each on its own keep-alive connection, each with
// one call in flight (a closed loop, as the gRPC load).
LoadResult LoadHttp(int port, const RegistryLoadOptions& o,
                    const std::function<void(HttpClient&)>& prepare,
                    const std::map<std::string, std::string>& headers) {
  std::atomic<bool> measuring{false}, stop{false};
  std::vector<std::vector<double>> latencies(o.concurrency);
  std::vector<int64_t> errors(o.concurrency);
  std::vector<std::string> first_error(o.concurrency);
  std::vector<std::thread> threads;
  for (int t = 0; t < o.concurrency; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(port);
      prepare(client);
      int next = t * 7919 % o.enterprises;
      while (!stop) {
        next = (next + 1) % o.enterprises;
        const std::string body =
            absl::StrCat("{\"creditCode\":\"", uplift::testing::TestCreditCode(next), "\"}");
        const absl::Time start = absl::Now();
        HttpResult r =
            client.Post("/uplift.registry.v1.EnterpriseRegistry/GetEnterprise", body, headers);
        const double us = absl::ToDoubleMicroseconds(absl::Now() - start);
        if (!measuring) continue;
        if (r.status == 200) {
          latencies[t].push_back(us);
        } else {
          if (errors[t]++ == 0) first_error[t] = absl::StrCat(r.status, " ", r.body);
        }
      }
    });
  }
  absl::SleepFor(absl::Seconds(o.warmup));
  measuring = true;
  const absl::Time begin = absl::Now();
  absl::SleepFor(absl::Seconds(o.seconds));
  measuring = false;
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - begin);
  stop = true;
  for (std::thread& t : threads) t.join();
  LoadResult r;
  std::vector<double> all;
  for (int t = 0; t < o.concurrency; ++t) {
    all.insert(all.end(), latencies[t].begin(), latencies[t].end());
    r.errors += errors[t];
    if (r.first_error.empty()) r.first_error = first_error[t];
  }
  std::sort(all.begin(), all.end());
  r.calls = static_cast<int64_t>(all.size());
  r.qps = r.calls / elapsed;
  if (!all.empty()) {
    r.p50_us = all[all.size() / 2];
    r.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"web_bench: GetEnterprise through uplift-web beside direct gRPC"};
  RegistryLoadOptions o;
  int http_threads = 2;
  app.add_option("--concurrency", o.concurrency, "calls in flight")->capture_default_str();
  app.add_option("--seconds", o.seconds, "measured window per target")->capture_default_str();
  app.add_option("--warmup", o.warmup, "warm-up before each window")->capture_default_str();
  app.add_option("--enterprises", o.enterprises, "enterprises in the registry")
      ->capture_default_str();
  app.add_option("--channels", o.channels, "gRPC client connections")->capture_default_str();
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
  uplift::bench::PrintHeader();
  const LoadResult direct = uplift::bench::LoadGetEnterprise(f.address(), f.admin_token, o);
  uplift::bench::PrintRow("gRPC direct to uplift-registry", direct);
  const LoadResult bearer =
      LoadHttp(http_port, o, [](HttpClient&) {}, {{"Authorization", "Bearer " + f.admin_token}});
  uplift::bench::PrintRow("HTTP/JSON via uplift-web, bearer", bearer);
  const LoadResult cookie = LoadHttp(http_port, o,
                                     [&](HttpClient& c) {
                                       c.set_browser(true);
                                       c.set_session(session);
                                     },
                                     {});
  uplift::bench::PrintRow("HTTP/JSON via uplift-web, session", cookie);
  std::printf(
      "\nratio via uplift-web (bearer) / direct gRPC (throughput):  %.2f   (goal >= 0.50)\n",
      direct.qps > 0 ? bearer.qps / direct.qps : 0);
  std::printf("ratio via uplift-web (session) / direct gRPC (throughput): %.2f\n",
              direct.qps > 0 ? cookie.qps / direct.qps : 0);
  std::printf("p50 via uplift-web (bearer) / direct gRPC:                 %.2f\n",
              direct.p50_us > 0 ? bearer.p50_us / direct.p50_us : 0);
  web.Terminate();
  return direct.errors + bearer.errors + cookie.errors > 0 ? 1 : 0;
}

// Benchmark, not a test: GetEnterprise throughput and p50/p99 latency at a
// fixed concurrency against a real uplift-registry process, and in the same
// run against a bare gRPC echo server (and the echo on our bootstrap) with
// a payload of the same size; then the registry on PostgreSQL, with one
// replica and with two (callers going round robin), against SQLite.
// Prints the numbers and the ratios; asserts nothing about speed.
#include <cstdio>
#include <thread>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/build_info.h"
#include "bench/registry_load.h"
#include "common/client_channel.h"
#include "tests/support/registry_fixture.h"
#include "uplift/bench/v1/echo.grpc.pb.h"

namespace {

namespace bv1 = uplift::bench::v1;
namespace rv1 = uplift::registry::v1;
using uplift::bench::Channels;
using uplift::bench::LoadGetEnterprise;
using uplift::bench::LoadResult;
using uplift::bench::PrintHeader;
using uplift::bench::PrintRow;
using uplift::bench::RegistryLoadOptions;
using uplift::bench::RunLoad;
using uplift::bench::SeedEnterprises;

LoadResult LoadEcho(const std::string& address, const std::string& token, size_t payload_size,
                    const RegistryLoadOptions& o) {
  auto channels = Channels(address, o.channels);
  std::vector<std::unique_ptr<bv1::Echo::Stub>> stubs;
  for (auto& c : channels) stubs.push_back(bv1::Echo::NewStub(c));
  std::vector<bv1::EchoRequest> requests(o.concurrency);
  std::vector<bv1::EchoResponse> responses(o.concurrency);
  // The request carries a credit code's worth; the reply a whole enterprise.
  for (auto& r : requests) r.set_payload(std::string(payload_size, 'x'));
  return RunLoad(o.concurrency, absl::Seconds(o.warmup), absl::Seconds(o.seconds), token,
                 [&](int slot, grpc::ClientContext* ctx, std::function<void(grpc::Status)> done) {
                   stubs[slot % stubs.size()]->async()->Echo(ctx, &requests[slot],
                                                             &responses[slot], std::move(done));
                 });
}

// Runs the echo server (bare or on our bootstrap) and loads it.
LoadResult RunEcho(uplift::testing::RegistryFixture& f, bool bootstrap, size_t payload_size,
                   const RegistryLoadOptions& o) {
  const std::string port_file = f.dir().File(bootstrap ? "echo2.port" : "echo1.port");
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--port-file", port_file};
  if (bootstrap) {
    args.insert(args.end(), {"--bootstrap", "--auth-public-key", f.keys().public_key_file()});
  }
  uplift::testing::Process echo(UPLIFT_ECHO_BIN, args, f.dir().File("echo.log"));
  echo.Start();
  const int port = uplift::testing::WaitForPortFile(port_file);
  LoadResult r = LoadEcho("127.0.0.1:" + std::to_string(port), bootstrap ? f.admin_token : "",
                          payload_size, o);
  echo.Terminate();
  return r;
}

// GetEnterprise on a fresh registry on `engine` (UPLIFT_TEST_ENGINE) with
// `replicas` processes, the callers' channels going round robin over them.
LoadResult MeasureRegistry(const char* engine, int replicas, const RegistryLoadOptions& o) {
  setenv("UPLIFT_TEST_ENGINE", engine, 1);
  uplift::testing::RegistryFixture f;
  f.SeedBasics();
  SeedEnterprises(f, o.enterprises);
  std::string address = f.address();
  if (replicas > 1) address = absl::StrCat("ipv4:", f.address(), ",", f.StartRegistryReplica(1));
  return LoadGetEnterprise(address, f.admin_token, o);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"registry_bench: GetEnterprise against the registry and a bare echo server"};
  RegistryLoadOptions o;
  app.add_option("--concurrency", o.concurrency, "calls in flight")->capture_default_str();
  app.add_option("--seconds", o.seconds, "measured window per target")->capture_default_str();
  app.add_option("--warmup", o.warmup, "warm-up before each window")->capture_default_str();
  app.add_option("--enterprises", o.enterprises, "enterprises in the registry")->capture_default_str();
  app.add_option("--channels", o.channels, "client connections")->capture_default_str();
  bool engines = true;
  app.add_flag("!--sqlite-only", engines, "skip the PostgreSQL set-ups");
  CLI11_PARSE(app, argc, argv);
  uplift::bench::PrintBuild();

  setenv("UPLIFT_TEST_ENGINE", "sqlite", 1);
  uplift::testing::RegistryFixture f;
  f.SeedBasics();
  SeedEnterprises(f, o.enterprises);
  rv1::GetEnterpriseRequest probe;
  probe.set_credit_code(uplift::testing::TestCreditCode(1));
  rv1::GetEnterpriseResponse sample;
  if (!f.stub().GetEnterprise(f.Ctx(f.admin_token).get(), probe, &sample).ok()) return 1;
  const size_t payload = sample.ByteSizeLong();

  std::printf("GetEnterprise vs echo: concurrency %d over %d connections, %.1f s measured after "
              "%.1f s warm-up per target,\n%d enterprises, response %zu bytes (echo payload the "
              "same), client and servers on this machine (%d cores)\n\n",
              o.concurrency, o.channels, o.seconds, o.warmup, o.enterprises, payload,
              static_cast<int>(std::thread::hardware_concurrency()));
  PrintHeader();
  const LoadResult registry = LoadGetEnterprise(f.address(), f.admin_token, o);
  PrintRow("uplift-registry GetEnterprise", registry);
  const LoadResult bare = RunEcho(f, false, payload, o);
  PrintRow("echo, bare gRPC", bare);
  const LoadResult stack = RunEcho(f, true, payload, o);
  PrintRow("echo, our bootstrap + auth", stack);
  std::printf("\nratio registry / bare echo (throughput): %.2f   (goal >= 0.70)\n",
              bare.qps > 0 ? registry.qps / bare.qps : 0);
  std::printf("ratio registry / echo on our bootstrap:   %.2f\n",
              stack.qps > 0 ? registry.qps / stack.qps : 0);
  std::printf("p50 registry / bare echo:                 %.2f\n",
              bare.p50_us > 0 ? registry.p50_us / bare.p50_us : 0);
  int errors = registry.errors + bare.errors + stack.errors;
  if (!engines) return errors > 0 ? 1 : 0;

  std::printf("\nThe registry on PostgreSQL 15 (SERIALIZABLE, fsync on), on this machine too:\n\n");
  PrintHeader();
  PrintRow("uplift-registry on SQLite (above)", registry);
  const LoadResult postgres = MeasureRegistry("postgresql", 1, o);
  PrintRow("uplift-registry on PostgreSQL", postgres);
  const LoadResult two = MeasureRegistry("postgresql", 2, o);
  PrintRow("two registries on PostgreSQL", two);
  std::printf("\nratio PostgreSQL / SQLite (throughput):              %.2f\n",
              registry.qps > 0 ? postgres.qps / registry.qps : 0);
  std::printf("ratio two replicas on PostgreSQL / SQLite:            %.2f\n",
              registry.qps > 0 ? two.qps / registry.qps : 0);
  errors += postgres.errors + two.errors;
  return errors > 0 ? 1 : 0;
}

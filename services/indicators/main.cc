// uplift-indicators: wiring only. Flags, rules, store, tasks client, the
// registry and tasks event consumers, the outbox relay, the month-closing
// sweep, gRPC host.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "common/auth/authenticator.h"
#include "common/client_channel.h"
#include "common/common_schema.h"
#include "common/outbox.h"
#include "common/periodic_task.h"
#include "common/redis_client.h"
#include "common/service_host.h"
#include "common/stream_consumer.h"
#include "services/indicators/indicator_rules.h"
#include "services/indicators/indicators_grpc.h"
#include "services/indicators/indicators_schema.h"
#include "services/indicators/indicators_service.h"
#include "services/indicators/tasks_directory.h"

namespace {

int Fail(const absl::Status& status) {
  spdlog::critical("uplift-indicators cannot start: {}", std::string(status.message()));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uplift::ServiceHost::PrepareProcess();
  CLI::App app{"uplift-indicators: enterprises' figures, aggregates, targets, dispatch and bulletin"};
  uplift::ServiceFlags flags;
  uplift::AddServiceFlags(app, "INDICATORS", "0.0.0.0:50053", &flags);
  std::string tasks_addr, token_file, rules_file, clock_file, consumer;
  std::string sweep_interval = "60s", claim_idle = "30s";
  app.add_option("--tasks-addr", tasks_addr, "uplift-tasks address")->envname("UPLIFT_TASKS_ADDR");
  app.add_option("--service-token-file", token_file,
                 "this service's own SERVICE token, for calls no caller is behind")
      ->envname("UPLIFT_INDICATORS_SERVICE_TOKEN_FILE");
  app.add_option("--rules-file", rules_file,
                 "figure limits, 亩均 grades and ranking rules (default: the built-in rules)")
      ->envname("UPLIFT_INDICATORS_RULES_FILE");
  app.add_option("--sweep-interval", sweep_interval,
                 "how often months are closed and changed progress is published")
      ->envname("UPLIFT_INDICATORS_SWEEP_INTERVAL")->capture_default_str();
  app.add_option("--claim-idle", claim_idle, "reclaim stream entries a dead consumer held this long")
      ->capture_default_str();
  app.add_option("--consumer-name", consumer, "this replica's name in the consumer groups (default host-pid)");
  uplift::AddTestingClockFlag(app, &clock_file);
  CLI11_PARSE(app, argc, argv);
  if (absl::Status s = uplift::SetLogLevel(flags.log_level); !s.ok()) return Fail(s);
  if (absl::Status s = uplift::CheckServiceFlags(flags); !s.ok()) return Fail(s);
  for (absl::Status s :
       {uplift::RequiredFlag(tasks_addr, "--tasks-addr", "UPLIFT_TASKS_ADDR", "the uplift-tasks address"),
        uplift::RequiredFlag(token_file, "--service-token-file", "UPLIFT_INDICATORS_SERVICE_TOKEN_FILE",
                 "a SERVICE token (upliftctl auth init --service-token indicators:PATH)")}) {
    if (!s.ok()) return Fail(s);
  }
  absl::Duration sweep, claim;
  if (!absl::ParseDuration(sweep_interval, &sweep) || sweep <= absl::ZeroDuration() ||
      !absl::ParseDuration(claim_idle, &claim)) {
    return Fail(absl::InvalidArgumentError("--sweep-interval / --claim-idle: not a duration such as 60s"));
  }
  uplift::indicators::IndicatorsConfig config;
  if (rules_file.empty()) {
    config.rules = uplift::indicators::DefaultRules();
  } else {
    auto rules = uplift::indicators::LoadRules(rules_file);
    if (!rules.ok()) return Fail(rules.status());
    config.rules = *rules;
  }
  auto service_token = uplift::ReadSecretFile("--service-token-file", token_file);
  if (!service_token.ok()) return Fail(service_token.status());
  config.service_token = *service_token;

  std::unique_ptr<uplift::Clock> test_clock;
  const uplift::Clock* clock = uplift::ServiceClock("uplift-indicators", clock_file, &test_clock);
  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  const std::string db_path = flags.data_dir + "/indicators.db";
  auto db = uplift::Database::Open(
      db_path, {uplift::CommonMigrations(), uplift::indicators::IndicatorsMigrations()});
  if (!db.ok()) return Fail(db.status());
  auto verifier = uplift::TokenVerifier::FromPemFile(flags.auth_public_key);
  if (!verifier.ok()) return Fail(verifier.status());
  auto tasks_channel = uplift::MakeChannel(tasks_addr, flags.tls);
  if (!tasks_channel.ok()) return Fail(tasks_channel.status());

  uplift::Authenticator auth(std::move(*verifier), clock);
  uplift::RedisClient redis({flags.redis_addr, flags.redis_password});
  uplift::OutboxRelay relay(db->get(), &redis, clock);
  uplift::indicators::TasksDirectoryGrpc tasks(*tasks_channel);
  uplift::indicators::IndicatorsService service(db->get(), clock, &tasks, config);
  uplift::indicators::IndicatorsGrpcService grpc_service(&service, &auth);
  const absl::Time warm_start = absl::Now();
  if (absl::Status s = service.Warm(); !s.ok()) return Fail(s);
  spdlog::info("uplift-indicators: working set loaded in {}", absl::FormatDuration(absl::Now() - warm_start));

  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  if (consumer.empty()) consumer = absl::StrCat(host, "-", getpid());
  std::vector<std::unique_ptr<uplift::RedisClient>> consumer_redis;
  std::vector<std::unique_ptr<uplift::StreamConsumer>> consumers;
  auto consume = [&](const char* stream, uplift::StreamHandler handler) {
    consumer_redis.push_back(std::make_unique<uplift::RedisClient>(
        uplift::RedisOptions{flags.redis_addr, flags.redis_password}));
    uplift::ConsumerOptions o;
    o.stream = stream;
    o.group = "uplift-indicators";
    o.consumer = consumer;
    o.claim_idle = claim;
    consumers.push_back(std::make_unique<uplift::StreamConsumer>(consumer_redis.back().get(), o,
                                                                 std::move(handler)));
  };
  consume(uplift::indicators::kRegistryEventsStream,
          [&service](const uplift::StreamEvent& e) { return service.ApplyRegistryEvent(e); });
  consume(uplift::indicators::kTasksEventsStream,
          [&service](const uplift::StreamEvent& e) { return service.ApplyTasksEvent(e); });
  uplift::PeriodicTask sweeper("indicators sweep", sweep, [&] {
    absl::StatusOr<uplift::indicators::IndicatorsSweepResult> r = service.Sweep();
    if (!r.ok()) {
      spdlog::warn("sweep failed: {}", r.status().ToString());
    } else if (r->closed + r->progress_events > 0) {
      spdlog::info("sweep: {} months closed, {} alerts, {} progress events", r->closed, r->alerts,
                   r->progress_events);
    }
  });

  uplift::ServiceHost host_server;
  absl::Status started = host_server.Start(
      {"uplift-indicators", flags.listen, flags.port_file, flags.tls}, {&grpc_service});
  if (!started.ok()) return Fail(started);
  spdlog::info("uplift-indicators: database {}, tasks {}, events on redis {}", db_path, tasks_addr,
               flags.redis_addr);
  relay.Start();
  for (auto& c : consumers) c->Start();
  sweeper.Start();
  host_server.WaitForTermination();
  host_server.Shutdown();
  sweeper.Stop();
  for (auto& c : consumers) c->Stop();
  relay.Stop();
  return 0;
}

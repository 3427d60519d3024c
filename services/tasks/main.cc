// uplift-tasks: wiring only. Flags, store, calendar, registry client,
// outbox relay, indicator-events consumer, the sweep, gRPC host.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/authenticator.h"
#include "common/client_channel.h"
#include "common/common_schema.h"
#include "common/outbox.h"
#include "common/periodic_task.h"
#include "common/redis_client.h"
#include "common/service_host.h"
#include "common/stream_consumer.h"
#include "common/time_util.h"
#include "common/working_calendar.h"
#include "services/tasks/registry_directory.h"
#include "services/tasks/tasks_grpc.h"
#include "services/tasks/tasks_schema.h"
#include "services/tasks/tasks_service.h"

namespace {

int Fail(const absl::Status& status) {
  spdlog::critical("uplift-tasks cannot start: {}", std::string(status.message()));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uplift::ServiceHost::PrepareProcess();
  CLI::App app{"uplift-tasks: plans, tasks, monthly progress and the problem ladder"};
  uplift::ServiceFlags flags;
  uplift::AddServiceFlags(app, "TASKS", "0.0.0.0:50052", &flags);
  std::string registry_addr, token_file, calendar_dir, clock_file;
  std::string sweep_interval = "60s";
  app.add_option("--registry-addr", registry_addr, "uplift-registry address")
      ->envname("UPLIFT_REGISTRY_ADDR");
  app.add_option("--service-token-file", token_file,
                 "this service's own SERVICE token, for registry calls no caller is behind")
      ->envname("UPLIFT_TASKS_SERVICE_TOKEN_FILE");
  app.add_option("--calendar-dir", calendar_dir,
                 "extra official calendars (cn-<year>.textproto) beyond the built-in years")
      ->envname("UPLIFT_CALENDAR_DIR");
  app.add_option("--sweep-interval", sweep_interval,
                 "how often overdue problems climb and reminders go out")
      ->envname("UPLIFT_TASKS_SWEEP_INTERVAL")
      ->capture_default_str();
  uplift::AddTestingClockFlag(app, &clock_file);
  CLI11_PARSE(app, argc, argv);
  if (absl::Status s = uplift::SetLogLevel(flags.log_level); !s.ok()) return Fail(s);
  if (absl::Status s = uplift::CheckServiceFlags(flags); !s.ok()) return Fail(s);
  for (absl::Status s :
       {uplift::RequiredFlag(registry_addr, "--registry-addr", "UPLIFT_REGISTRY_ADDR",
                             "the uplift-registry address"),
        uplift::RequiredFlag(token_file, "--service-token-file", "UPLIFT_TASKS_SERVICE_TOKEN_FILE",
                             "a SERVICE token from `upliftctl auth mint --role SERVICE`")}) {
    if (!s.ok()) return Fail(s);
  }
  absl::Duration sweep;
  if (!absl::ParseDuration(sweep_interval, &sweep) || sweep <= absl::ZeroDuration()) {
    return Fail(absl::InvalidArgumentError("--sweep-interval: not a duration such as 60s"));
  }
  auto service_token = uplift::ReadSecretFile("--service-token-file", token_file);
  if (!service_token.ok()) return Fail(service_token.status());

  auto calendar = uplift::WorkingCalendar::Builtin();
  if (!calendar.ok()) return Fail(calendar.status());
  if (!calendar_dir.empty()) {
    if (absl::Status s = calendar->LoadDirectory(calendar_dir); !s.ok()) return Fail(s);
  }
  std::unique_ptr<uplift::Clock> test_clock;
  const uplift::Clock* clock = uplift::ServiceClock("uplift-tasks", clock_file, &test_clock);
  const int year = uplift::ShanghaiDay(clock->Now()).year();
  if (!calendar->Covers(year)) {
    spdlog::warn("uplift-tasks: no official calendar for {}; deadlines count Monday to Friday "
                 "until cn-{}.textproto is added (--calendar-dir)", year, year);
  }

  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  const std::string db_path = flags.data_dir + "/tasks.db";
  auto db = uplift::Database::Open(db_path,
                                   {uplift::CommonMigrations(), uplift::tasks::TasksMigrations()});
  if (!db.ok()) return Fail(db.status());
  auto verifier = uplift::TokenVerifier::FromPemFile(flags.auth_public_key);
  if (!verifier.ok()) return Fail(verifier.status());
  auto registry_channel = uplift::MakeChannel(registry_addr, flags.tls);
  if (!registry_channel.ok()) return Fail(registry_channel.status());

  uplift::Authenticator auth(std::move(*verifier), clock);
  uplift::RedisClient redis({flags.redis_addr, flags.redis_password});
  uplift::RedisClient consumer_redis({flags.redis_addr, flags.redis_password});
  uplift::OutboxRelay relay(db->get(), &redis, clock);
  uplift::tasks::RegistryDirectoryGrpc registry(*registry_channel);
  uplift::tasks::TasksService service(db->get(), clock, &*calendar, &registry, *service_token);
  uplift::tasks::TasksGrpcService grpc_service(&service, &auth);

  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  uplift::ConsumerOptions consumer_options;
  consumer_options.stream = uplift::tasks::kIndicatorsEventsStream;
  consumer_options.group = "uplift-tasks";
  consumer_options.consumer = absl::StrCat(host, "-", getpid());
  uplift::StreamConsumer indicators(&consumer_redis, consumer_options,
                                    [&](const uplift::StreamEvent& e) {
                                      return service.ApplyIndicatorEvent(e);
                                    });
  uplift::PeriodicTask sweeper("sweep", sweep, [&] {
    absl::StatusOr<uplift::tasks::SweepResult> r = service.Sweep();
    if (!r.ok()) {
      spdlog::warn("sweep failed: {}", r.status().ToString());
    } else if (r->escalated + r->overdue_at_top + r->reminders > 0) {
      spdlog::info("sweep: {} escalated, {} overdue at the top rung, {} reminders, {} skipped",
                   r->escalated, r->overdue_at_top, r->reminders, r->skipped);
    }
  });

  uplift::ServiceHost host_server;
  absl::Status started = host_server.Start(
      {"uplift-tasks", flags.listen, flags.port_file, flags.tls}, {&grpc_service});
  if (!started.ok()) return Fail(started);
  spdlog::info("uplift-tasks: database {}, registry {}, events to redis {}", db_path, registry_addr,
               flags.redis_addr);
  relay.Start();
  indicators.Start();
  sweeper.Start();
  host_server.WaitForTermination();
  host_server.Shutdown();
  sweeper.Stop();
  indicators.Stop();
  relay.Stop();
  return 0;
}

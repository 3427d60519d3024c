// uplift-notify: wiring only. Flags, store, secrets, registry client, the
// stream consumers, the policy sweep, webhook delivery, the live feed, gRPC.
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
#include "common/periodic_task.h"
#include "common/redis_client.h"
#include "common/service_host.h"
#include "common/stream_consumer.h"
#include "services/notify/delivery_pump.h"
#include "services/notify/feed_hub.h"
#include "services/notify/notify_flags.h"
#include "services/notify/notify_grpc.h"
#include "services/notify/notify_schema.h"
#include "services/notify/notify_service.h"
#include "services/notify/unit_directory_grpc.h"
#include "services/notify/webhook_sender.h"

namespace {

int Fail(const absl::Status& status) {
  spdlog::critical("uplift-notify cannot start: {}", std::string(status.message()));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uplift::ServiceHost::PrepareProcess();
  CLI::App app{"uplift-notify: escalations, reminders and alerts to the units that must act"};
  uplift::ServiceFlags flags;
  uplift::AddServiceFlags(app, "NOTIFY", "0.0.0.0:50054", &flags);
  std::string registry_addr, token_file, secrets_key, clock_file, consumer;
  std::string quiet = "22:00-07:00", digests = "09:00", sweep_interval = "10s";
  std::string webhook_timeout = "10s", give_up = "24h", claim_idle = "30s";
  std::string retry_first = "1s", retry_cap = "5m", lease = "60s";
  int workers = 4, max_deliveries = 5;
  app.add_option("--registry-addr", registry_addr, "uplift-registry address")->envname("UPLIFT_REGISTRY_ADDR");
  app.add_option("--service-token-file", token_file, "this service's own SERVICE token")
      ->envname("UPLIFT_NOTIFY_SERVICE_TOKEN_FILE");
  app.add_option("--secrets-key-file", secrets_key,
                 "the key that encrypts webhook secrets at rest (64 hex characters, mode 0600)")
      ->envname("UPLIFT_NOTIFY_SECRETS_KEY_FILE");
  app.add_option("--quiet-hours", quiet, "no reminder digests in these hours (Asia/Shanghai), or off")
      ->envname("UPLIFT_NOTIFY_QUIET_HOURS")->capture_default_str();
  app.add_option("--digest-times", digests, "when reminders go out, bundled per unit")
      ->envname("UPLIFT_NOTIFY_DIGEST_TIMES")->capture_default_str();
  app.add_option("--sweep-interval", sweep_interval, "how often policies and digests are checked")
      ->envname("UPLIFT_NOTIFY_SWEEP_INTERVAL")->capture_default_str();
  app.add_option("--webhook-timeout", webhook_timeout, "per request")->capture_default_str();
  app.add_option("--webhook-give-up", give_up, "keep retrying a failing receiver this long")
      ->envname("UPLIFT_NOTIFY_WEBHOOK_GIVE_UP")->capture_default_str();
  app.add_option("--webhook-retry-first", retry_first, "first backoff after a failed request")
      ->capture_default_str();
  app.add_option("--webhook-retry-cap", retry_cap, "longest backoff between attempts")->capture_default_str();
  app.add_option("--delivery-lease", lease,
                 "a delivery being sent is this replica's this long (longer than --webhook-timeout)")
      ->capture_default_str();
  app.add_option("--delivery-workers", workers, "webhook requests in parallel")->capture_default_str();
  app.add_option("--claim-idle", claim_idle, "reclaim stream entries a dead consumer held this long")
      ->capture_default_str();
  app.add_option("--max-deliveries", max_deliveries, "attempts before a stream entry is dead-lettered")
      ->capture_default_str();
  app.add_option("--consumer-name", consumer, "this replica's name in the consumer groups (default host-pid)");
  uplift::AddTestingClockFlag(app, &clock_file);
  CLI11_PARSE(app, argc, argv);
  if (absl::Status s = uplift::SetLogLevel(flags.log_level); !s.ok()) return Fail(s);
  if (absl::Status s = uplift::CheckServiceFlags(flags); !s.ok()) return Fail(s);
  for (absl::Status s :
       {uplift::RequiredFlag(registry_addr, "--registry-addr", "UPLIFT_REGISTRY_ADDR", "the uplift-registry address"),
        uplift::RequiredFlag(token_file, "--service-token-file", "UPLIFT_NOTIFY_SERVICE_TOKEN_FILE",
                 "a SERVICE token (upliftctl auth init --service-token notify:PATH)"),
        uplift::RequiredFlag(secrets_key, "--secrets-key-file", "UPLIFT_NOTIFY_SECRETS_KEY_FILE",
                 "the webhook secrets key (upliftctl auth init --notify-key PATH)")}) {
    if (!s.ok()) return Fail(s);
  }
  uplift::notify::NotifyOptions options;
  auto quiet_hours = uplift::notify::ParseQuietHours(quiet);
  if (!quiet_hours.ok()) return Fail(quiet_hours.status());
  options.quiet = *quiet_hours;
  auto digest_times = uplift::notify::ParseDigestTimes(digests);
  if (!digest_times.ok()) return Fail(digest_times.status());
  options.digest_minutes = *digest_times;
  absl::Duration sweep, claim;
  if (!absl::ParseDuration(sweep_interval, &sweep) || !absl::ParseDuration(webhook_timeout, &options.webhook_timeout) ||
      !absl::ParseDuration(give_up, &options.retry.give_up_after) || !absl::ParseDuration(claim_idle, &claim) ||
      !absl::ParseDuration(retry_first, &options.retry.first) || !absl::ParseDuration(retry_cap, &options.retry.cap) ||
      !absl::ParseDuration(lease, &options.lease)) {
    return Fail(absl::InvalidArgumentError("a duration flag is not like 10s, 5m or 24h"));
  }
  if (options.lease <= options.webhook_timeout) {
    return Fail(absl::InvalidArgumentError("--delivery-lease must be longer than --webhook-timeout"));
  }
  auto service_token = uplift::ReadSecretFile("--service-token-file", token_file);
  if (!service_token.ok()) return Fail(service_token.status());
  auto secrets = uplift::notify::SecretBox::FromKeyFile(secrets_key);
  if (!secrets.ok()) return Fail(secrets.status());

  std::unique_ptr<uplift::Clock> test_clock;
  const uplift::Clock* clock = uplift::ServiceClock("uplift-notify", clock_file, &test_clock);
  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  const std::string db_path = flags.data_dir + "/notify.db";
  auto db = uplift::Database::Open(db_path, {uplift::CommonMigrations(), uplift::notify::NotifyMigrations()});
  if (!db.ok()) return Fail(db.status());
  auto verifier = uplift::TokenVerifier::FromPemFile(flags.auth_public_key);
  if (!verifier.ok()) return Fail(verifier.status());
  auto registry_channel = uplift::MakeChannel(registry_addr, flags.tls);
  if (!registry_channel.ok()) return Fail(registry_channel.status());

  uplift::Authenticator auth(std::move(*verifier), clock);
  uplift::RedisClient redis({flags.redis_addr, flags.redis_password});
  uplift::notify::UnitDirectoryGrpc units(*registry_channel, *service_token);
  uplift::notify::NotifyService service(db->get(), clock, &*secrets, &units, &redis, options);
  uplift::notify::CurlWebhookSender sender;
  uplift::notify::DeliveryPump pump(&service, &sender, workers);
  service.SetDeliveriesQueuedListener([&pump] { pump.Wake(); });
  uplift::notify::FeedHub hub(db->get());
  uplift::notify::NotifyGrpcService grpc_service(&service, &hub, &auth);

  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  if (consumer.empty()) consumer = absl::StrCat(host, "-", getpid());
  std::vector<std::unique_ptr<uplift::RedisClient>> consumer_redis;
  std::vector<std::unique_ptr<uplift::StreamConsumer>> consumers;
  for (const char* stream : {uplift::notify::kEscalationsStream, uplift::notify::kRemindersStream,
                             uplift::notify::kAlertsStream}) {
    consumer_redis.push_back(std::make_unique<uplift::RedisClient>(
        uplift::RedisOptions{flags.redis_addr, flags.redis_password}));
    uplift::ConsumerOptions o;
    o.stream = stream;
    o.group = "uplift-notify";
    o.consumer = consumer;
    o.claim_idle = claim;
    o.max_deliveries = max_deliveries;
    const std::string name = stream;
    consumers.push_back(std::make_unique<uplift::StreamConsumer>(
        consumer_redis.back().get(), o,
        [&service, name](const uplift::StreamEvent& e) { return service.HandleEvent(name, e); }));
  }
  uplift::PeriodicTask sweeper("notify sweep", sweep, [&] {
    absl::StatusOr<uplift::notify::SweepCounts> c = service.Sweep();
    if (!c.ok()) {
      spdlog::warn("sweep failed: {}", c.status().ToString());
    } else if (c->resent + c->supervisors + c->digests > 0) {
      spdlog::info("sweep: {} resent, {} supervisors told, {} digests", c->resent, c->supervisors, c->digests);
    }
  });

  uplift::ServiceHost host_server;
  absl::Status started = host_server.Start({"uplift-notify", flags.listen, flags.port_file, flags.tls},
                                           {&grpc_service});
  if (!started.ok()) return Fail(started);
  spdlog::info("uplift-notify: database {}, consumer {} on redis {}", db_path, consumer, flags.redis_addr);
  hub.Start();
  pump.Start();
  for (auto& c : consumers) c->Start();
  sweeper.Start();
  host_server.WaitForTermination();
  hub.Stop();  // ends live feeds so the server need not wait for them
  host_server.Shutdown();
  sweeper.Stop();
  for (auto& c : consumers) c->Stop();
  pump.Stop();
  return 0;
}

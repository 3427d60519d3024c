// uplift-notify: wiring only. Secrets, the registry client, the address
// policy, webhook delivery, the live feed and the policy sweep on the shared
// service runtime; it consumes escalations, reminders and alerts through
// the runtime's router.
#include <spdlog/spdlog.h>

#include "common/service_runtime.h"
#include "services/notify/delivery_metrics.h"
#include "services/notify/delivery_pump.h"
#include "services/notify/feed_hub.h"
#include "services/notify/notify_flags.h"
#include "services/notify/notify_grpc.h"
#include "services/notify/notify_schema.h"
#include "services/notify/notify_service.h"
#include "services/notify/people_source_grpc.h"
#include "services/notify/sms_flags.h"
#include "services/notify/unit_directory_grpc.h"
#include "services/notify/webhook_address_policy.h"
#include "services/notify/webhook_sender.h"

namespace {

int Fail(const absl::Status& status) {
  spdlog::critical("uplift-notify cannot start: {}", std::string(status.message()));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uplift::ServiceRuntime rt("uplift-notify",
                            "escalations, reminders and alerts to the units that must act",
                            {uplift::notify::NotifyMigrations()});
  std::string registry_addr, quiet = "22:00-07:00", digests = "09:00", sweep_interval = "10s";
  std::string webhook_timeout = "10s", give_up = "24h", retry_first = "1s", retry_cap = "5m";
  std::string lease = "60s", allow, deny, robot_window = "1m", mail_ca_file;
  std::string accounts_addr, people_refresh = "30s";
  int workers = 8;
  uplift::notify::NotifyOptions options;
  uplift::notify::FeedLimits feeds;
  CLI::App& app = rt.app();
  rt.RequireAddress(&registry_addr, "--registry-addr", "UPLIFT_REGISTRY_ADDR",
                    "the uplift-registry address");
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
  app.add_option("--webhook-retry-cap", retry_cap, "longest backoff between attempts")
      ->capture_default_str();
  app.add_option("--webhook-allow", allow,
                 "CIDRs webhooks may reach (default: anywhere but loopback, link-local, multicast "
                 "and metadata addresses); naming such a range allows it")
      ->envname("UPLIFT_NOTIFY_WEBHOOK_ALLOW");
  app.add_option("--webhook-deny", deny, "CIDRs webhooks may never reach")
      ->envname("UPLIFT_NOTIFY_WEBHOOK_DENY");
  app.add_option("--delivery-lease", lease,
                 "a delivery being sent is this replica's this long (longer than --webhook-timeout)")
      ->capture_default_str();
  app.add_option("--delivery-workers", workers, "webhook requests in parallel")->capture_default_str();
  app.add_option("--per-destination", options.in_flight_per_destination,
                 "webhook requests in parallel to one host and port")
      ->capture_default_str();
  app.add_option("--max-channels-per-unit", options.max_channels_per_unit,
                 "webhook channels a unit may have")
      ->capture_default_str();
  app.add_option("--mail-from-name", options.mail_from_name, "the sender's name on e-mails")
      ->envname("UPLIFT_NOTIFY_MAIL_FROM_NAME")
      ->capture_default_str();
  app.add_option("--mail-ca-file", mail_ca_file,
                 "CA certificates mail servers' certificates are checked against (default: the "
                 "system's)")
      ->envname("UPLIFT_NOTIFY_MAIL_CA_FILE");
  app.add_option("--plan-owner-unit", options.undeliverable_alert_unit,
                 "the unit told when an escalation reached nobody of its unit in its policy's time "
                 "(the lead department, e.g. dept-kgx)")
      ->envname("UPLIFT_NOTIFY_PLAN_OWNER_UNIT");
  app.add_option("--ack-link-base", options.ack_link_base,
                 "uplift-web's address as people reach it (https://…): SMS, e-mails and robot "
                 "messages carry a link to acknowledge; none without it")
      ->envname("UPLIFT_NOTIFY_ACK_LINK_BASE");
  app.add_option("--accounts-addr", accounts_addr,
                 "uplift-web's gRPC address: the people of units (its accounts) are read from it "
                 "and get notifications by their preferences; none without it")
      ->envname("UPLIFT_ACCOUNTS_ADDR");
  app.add_option("--people-refresh", people_refresh, "how often the people are read again")
      ->envname("UPLIFT_NOTIFY_PEOPLE_REFRESH")
      ->capture_default_str();
  app.add_option("--person-mail-url", options.person_mail_url,
                 "the mail server people's e-mails go through, smtps://account%40domain@host:465 "
                 "or smtp://…:587 (STARTTLS); its password from env "
                 "UPLIFT_NOTIFY_PERSON_MAIL_PASSWORD")
      ->envname("UPLIFT_NOTIFY_PERSON_MAIL_URL");
  uplift::notify::SmsFlags sms_flags(app, &options.sms);
  app.add_option("--robot-rate", options.robot_sends_per_window,
                 "messages a 企业微信 or 钉钉 robot takes per --robot-window (the rest wait)")
      ->capture_default_str();
  app.add_option("--robot-window", robot_window, "the window of --robot-rate")
      ->capture_default_str();
  app.add_option("--feeds-per-caller", feeds.per_principal, "live feeds one caller may hold open")
      ->capture_default_str();
  app.add_option("--feeds-total", feeds.total, "live feeds this replica holds at most")
      ->capture_default_str();
  if (std::optional<int> exit = rt.Init(argc, argv)) return *exit;

  absl::StatusOr<uplift::notify::QuietHours> quiet_hours = uplift::notify::ParseQuietHours(quiet);
  if (!quiet_hours.ok()) return Fail(quiet_hours.status());
  options.quiet = *quiet_hours;
  absl::StatusOr<std::vector<int>> digest_times = uplift::notify::ParseDigestTimes(digests);
  if (!digest_times.ok()) return Fail(digest_times.status());
  options.digest_minutes = *digest_times;
  for (const auto& [flag, text, out] :
       {std::tuple{"--webhook-timeout", &webhook_timeout, &options.webhook_timeout},
        std::tuple{"--webhook-give-up", &give_up, &options.retry.give_up_after},
        std::tuple{"--webhook-retry-first", &retry_first, &options.retry.first},
        std::tuple{"--webhook-retry-cap", &retry_cap, &options.retry.cap},
        std::tuple{"--delivery-lease", &lease, &options.lease},
        std::tuple{"--robot-window", &robot_window, &options.robot_window}}) {
    absl::StatusOr<absl::Duration> d = uplift::ParseDurationFlag(flag, *text);
    if (!d.ok()) return Fail(d.status());
    *out = *d;
  }
  if (absl::Status s = sms_flags.Finish(); !s.ok()) return Fail(s);
  absl::StatusOr<absl::Duration> sweep = uplift::ParseDurationFlag("--sweep-interval", sweep_interval);
  if (!sweep.ok()) return Fail(sweep.status());
  absl::StatusOr<absl::Duration> refresh =
      uplift::ParseDurationFlag("--people-refresh", people_refresh);
  if (!refresh.ok()) return Fail(refresh.status());
  if (const char* password = std::getenv("UPLIFT_NOTIFY_PERSON_MAIL_PASSWORD")) {
    options.person_mail_password = password;
  }
  if (options.lease <= options.webhook_timeout) {
    return Fail(absl::InvalidArgumentError("--delivery-lease must be longer than --webhook-timeout"));
  }
  if (options.in_flight_per_destination < 1 || options.max_channels_per_unit < 1 || workers < 1 ||
      options.robot_sends_per_window < 1) {
    return Fail(absl::InvalidArgumentError(
        "--delivery-workers, --per-destination, --max-channels-per-unit and --robot-rate: at least "
        "1"));
  }
  // The suite's own listeners are never webhook destinations.
  absl::StatusOr<uplift::notify::WebhookAddressPolicy> addresses =
      uplift::notify::WebhookAddressPolicy::Parse(allow, deny,
                                                  {rt.flags().redis_addr, registry_addr});
  if (!addresses.ok()) return Fail(addresses.status());
  options.addresses = &*addresses;
  absl::StatusOr<uplift::notify::SecretBox> secrets = uplift::notify::SecretBox::FromKeyFile(
      rt.flags().secrets_dir + "/notify-secrets.key");
  if (!secrets.ok()) return Fail(secrets.status());
  absl::StatusOr<std::shared_ptr<grpc::Channel>> registry_channel = rt.Channel(registry_addr);
  if (!registry_channel.ok()) return Fail(registry_channel.status());

  uplift::notify::UnitDirectoryGrpc units(*registry_channel, rt.service_token());
  uplift::notify::NotifyService service(rt.db(), rt.clock(), &*secrets, &units, rt.redis(), options);
  if (absl::Status s = service.SealLegacyChannelUrls(); !s.ok()) return Fail(s);
  service.RegisterEventHandlers(&rt.router());
  uplift::notify::CurlWebhookSender sender;
  uplift::notify::CurlMailSender mail(mail_ca_file);
  service.SetMailSender(&mail);
  uplift::notify::DeliveryPump pump(&service, &sender, workers);
  uplift::notify::FeedHub hub(rt.db(), absl::Milliseconds(100), feeds);
  service.SetPushedListener([&pump, &hub] {
    pump.Wake();
    hub.Wake();
  });
  uplift::notify::NotifyGrpcService grpc_service(&service, &hub, &rt.auth());
  rt.OnServing([&addresses, &rt](int port) {
    const std::string& listen = rt.flags().listen;
    addresses->DenyEndpoint(absl::StrCat(listen.substr(0, listen.rfind(':')), ":", port));
  });
  if (rt.db()->engine() == uplift::sql::Engine::kPostgres) {
    // Replicas share the database: another replica's notification wakes
    // this one's feeds and deliveries (LISTEN/NOTIFY) as its own do.
    const int woken = rt.db()->AddCommitListener([&pump, &hub] {
      pump.Wake();
      hub.Wake();
    });
    rt.Add([] {}, [&rt, woken] { rt.db()->RemoveCommitListener(woken); });
  }
  rt.Add([&pump] { pump.Start(); }, [&pump] { pump.Stop(); });
  // Stopped first: ends live feeds so the server need not wait for them.
  rt.Add([&hub] { hub.Start(); }, [&hub] { hub.Stop(); });
  std::unique_ptr<uplift::notify::PeopleSourceGrpc> people;
  if (!accounts_addr.empty()) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> accounts_channel = rt.Channel(accounts_addr);
    if (!accounts_channel.ok()) return Fail(accounts_channel.status());
    people =
        std::make_unique<uplift::notify::PeopleSourceGrpc>(*accounts_channel, rt.service_token());
    rt.Every("people", *refresh, [&service, &people] {
      absl::StatusOr<std::vector<uplift::notify::v1::Person>> listed = people->ListPeople();
      if (!listed.ok()) {
        spdlog::warn("people not read (the last ones stay): {}", listed.status().ToString());
        return;
      }
      absl::StatusOr<uplift::notify::PeopleSyncCounts> c = service.SyncPeople(*listed);
      if (!c.ok()) {
        spdlog::warn("people not stored: {}", c.status().ToString());
      } else if (c->changed > 0) {
        spdlog::info("people: {} of units, {} changed", c->people, c->changed);
      }
    });
  } else {
    spdlog::warn("no --accounts-addr: notifications go to units' channels only, not to people");
  }
  rt.Every("sweep", *sweep, [&service] {
    absl::StatusOr<uplift::notify::SweepCounts> c = service.Sweep();
    if (!c.ok()) {
      spdlog::warn("sweep failed: {}", c.status().ToString());
    } else if (c->resent + c->supervisors + c->digests > 0) {
      spdlog::info("sweep: {} resent, {} supervisors told, {} digests", c->resent, c->supervisors,
                   c->digests);
    }
  });
  uplift::notify::AddDeliveryGauges(&rt.metrics(), rt.db());
  return rt.Serve({&grpc_service});
}

// The notification service's logic, free of gRPC: turns stream events into
// notifications for units (deduplicated by event and recipient), keeps
// inboxes and acknowledgements, applies escalation policies (resend, then
// the supervisor), bundles reminders into digests outside quiet hours, and
// delivers to webhooks and 企业微信/钉钉 group robots with retries: only to addresses the address
// policy allows, fairly across units (each claim takes the oldest due delivery of each unit), and
// never more than a few at once to one destination. Webhook URLs are secrets like the signing
// secrets: sealed at rest, shown redacted. Tests build it on an in-memory database with a
// ManualClock, a fake unit directory and a fake sender.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/audit_log.h"
#include "common/auth/access_table.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/event_router.h"
#include "common/idempotency.h"
#include "common/redis_client.h"
#include "common/sql/store.h"
#include "common/stream_event.h"
#include "common/working_calendar.h"
#include "services/notify/aliyun_sms_receipts.h"
#include "services/notify/delivery_policy.h"
#include "services/notify/destination_limiter.h"
#include "services/notify/mail_sender.h"
#include "services/notify/people_sync.h"
#include "services/notify/quiet_hours.h"
#include "services/notify/robot_rate_limiter.h"
#include "services/notify/secret_box.h"
#include "services/notify/sms_gateway.h"
#include "services/notify/sms_receipt_store.h"
#include "services/notify/webhook_address_policy.h"
#include "services/notify/webhook_sender.h"
#include "uplift/notify/v1/notify.pb.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::notify {

// Looks units up in the registry (supervisors, existence).
class UnitDirectory {
 public:
  virtual ~UnitDirectory() = default;
  virtual absl::StatusOr<uplift::registry::v1::Unit> GetUnit(const std::string& unit_id) = 0;
};

struct NotifyOptions {
  QuietHours quiet;
  std::vector<int> digest_minutes = {9 * 60};  // when reminders go out, bundled
  RetryPolicy retry;
  absl::Duration webhook_timeout = absl::Seconds(10);
  absl::Duration lease = absl::Seconds(60);  // a claimed delivery is ours this long
  // Where webhooks may go; null allows every address that resolves (unit
  // tests with fake senders only).
  const WebhookAddressPolicy* addresses = nullptr;
  int max_channels_per_unit = 10;
  int in_flight_per_destination = 2;  // webhook requests at once to one host:port
  std::string mail_from_name = "产业集群提质跃升";  // e-mails come from this name
  SmsGateway sms;                     // SMS channels go through it; none without its url
  // Told when an escalation reached nobody of its unit in its policy's time
  // (the plan owner, the lead department); empty: nobody, a warning logged.
  std::string undeliverable_alert_unit;
  // Where people open acknowledgement links: uplift-web's address as people
  // reach it (https://uplift.xinle.gov.cn); empty: messages carry no link.
  std::string ack_link_base;
  // The mail server people's own e-mail channels go through (the address
  // from their account): smtps://account@host:465 or smtp://…:587, and its
  // password; empty: people get no e-mail.
  std::string person_mail_url;
  std::string person_mail_password;
  int robot_sends_per_window = 20;    // a 企业微信 or 钉钉 robot takes 20 a minute
  absl::Duration robot_window = absl::Minutes(1);
};

struct SweepCounts {
  int resent = 0;
  int supervisors = 0;
  int digests = 0;
  int skipped = 0;
};

class NotifyService {
 public:
  // `redis` may be null (no stream dead letters to list or retry).
  NotifyService(sql::Store* db, const Clock* clock, const SecretBox* secrets, UnitDirectory* units,
                RedisClient* redis, NotifyOptions options = {});

  absl::StatusOr<v1::ListInboxResponse> ListInbox(const Principal& who, const v1::ListInboxRequest& req);
  absl::StatusOr<v1::GetNotificationResponse> GetNotification(const Principal& who,
                                                              const v1::GetNotificationRequest& req);
  absl::StatusOr<v1::AcknowledgeResponse> Acknowledge(const Principal& who, const v1::AcknowledgeRequest& req);
  absl::StatusOr<v1::AcknowledgeByLinkResponse> AcknowledgeByLink(
      const Principal& who, const v1::AcknowledgeByLinkRequest& req);
  absl::StatusOr<v1::AddChannelResponse> AddChannel(const Principal& who, const v1::AddChannelRequest& req);
  absl::StatusOr<v1::ListChannelsResponse> ListChannels(const Principal& who,
                                                        const v1::ListChannelsRequest& req);
  absl::StatusOr<v1::RemoveChannelResponse> RemoveChannel(const Principal& who,
                                                          const v1::RemoveChannelRequest& req);
  absl::StatusOr<v1::ListDeliveriesResponse> ListDeliveries(const Principal& who,
                                                            const v1::ListDeliveriesRequest& req);
  absl::StatusOr<v1::ListDeadLettersResponse> ListDeadLetters(const Principal& who,
                                                              const v1::ListDeadLettersRequest& req);
  absl::StatusOr<v1::RetryDeadLetterResponse> RetryDeadLetter(const Principal& who,
                                                              const v1::RetryDeadLetterRequest& req);
  absl::StatusOr<v1::SetPolicyResponse> SetPolicy(const Principal& who, const v1::SetPolicyRequest& req);
  absl::StatusOr<v1::ListPoliciesResponse> ListPolicies(const Principal& who,
                                                        const v1::ListPoliciesRequest& req);
  absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> ListAuditRecords(
      const Principal& who, const uplift::audit::v1::ListAuditRecordsRequest& req);
  absl::StatusOr<v1::GetPreferencesResponse> GetPreferences(const Principal& who,
                                                            const v1::GetPreferencesRequest& req);
  absl::StatusOr<v1::SetPreferencesResponse> SetPreferences(const Principal& who,
                                                            const v1::SetPreferencesRequest& req);

  // The people of units as uplift-web's accounts now say (people_sync.h).
  absl::StatusOr<PeopleSyncCounts> SyncPeople(const std::vector<v1::Person>& accounts);

  // Who may read `unit_id`'s notifications through `method` (the unit
  // itself, ADMIN; the access table says).
  absl::Status CanRead(const Principal& who, absl::string_view method,
                       const std::string& unit_id) const;
  // The unacknowledged pushed notifications of a unit, oldest first.
  absl::StatusOr<std::vector<v1::Notice>> Backlog(const std::string& unit_id);

  // What the service consumes (escalations, reminders, alerts), through the
  // runtime's router; RetryDeadLetter hands a dead letter back to it.
  void RegisterEventHandlers(EventRouter* router);
  // Channels added before webhook URLs were sealed get theirs sealed now.
  absl::Status SealLegacyChannelUrls();
  // Escalation policies (resend, supervisor) and reminder digests.
  absl::StatusOr<SweepCounts> Sweep();
  // Sends up to `max` due deliveries (webhooks, robots, e-mail); returns
  // how many it tried.
  absl::StatusOr<int> DeliverDue(WebhookSender* sender, int max);
  // Asks 阿里云 for up to `max` due SMS receipts: a delivered SMS becomes
  // DELIVERED, one the carrier could not deliver DEAD; returns how many it
  // asked for (0 without 阿里云).
  absl::StatusOr<int> PollSmsReceipts(WebhookSender* sender, int max);
  // Called after a commit that pushed notifications (webhook deliveries
  // queued, live feed rows written): wakes the delivery pump and the feed.
  // Set before serving.
  void SetPushedListener(std::function<void()> listener) { on_pushed_ = std::move(listener); }
  // Sends e-mail channels' deliveries (none: they are given up). Set before serving.
  void SetMailSender(MailSender* mail) { mail_ = mail; }

 private:
  // Inside `tx`: stores `n` (ids, times filled in) unless a notification of
  // the same event, unit and kind exists; pushes it when `pushed`. Returns
  // the new notification's id, or "" if it existed.
  absl::StatusOr<std::string> Create(sql::Connection& tx, v1::Notice n, const StreamEvent& source,
                                     bool pushed, std::optional<absl::Time> policy_due);
  // Inside `tx`: webhook deliveries (and the inbox's, first time) and a feed
  // row. Returns how many webhook deliveries it queued.
  int Push(sql::Connection& tx, const v1::Notice& n, int resend);
  // After a commit that may have queued deliveries or feed rows.
  void NotificationsPushed() const {
    if (on_pushed_) on_pushed_();
  }
  absl::Status ApplyPolicy(const v1::Notice& due, SweepCounts* counts);
  absl::StatusOr<int> RunDigests();
  // Marks `n` acknowledged by `who` (once), with its audit record.
  void MarkAcknowledged(sql::Connection& tx, const Principal& who, v1::Notice* n);
  // The plan owner's alert when no channel but the inbox took `n`.
  absl::Status AlertIfReachedNobody(sql::Connection& tx, const v1::Notice& n,
                                    const std::string& unit_name);
  // The attribute of an escalation checked for having reached anybody.
  static constexpr char kReachedChecked[] = "reached_checked";
  // A person's own robot channel (owner_login): theirs (or ADMIN's), of a
  // robot type; sets its unit to the person's.
  absl::Status CheckPersonalChannel(const Principal& who, v1::Channel* c);
  absl::StatusOr<v1::EscalationPolicy> PolicyFor(sql::Connection& tx, const std::string& type);
  // Records an attempt; `forced` overrides the retry decision (an address
  // the policy refuses is given up at once).
  absl::Status RecordAttempt(const v1::Delivery& claimed, const WebhookResult& result,
                             std::optional<Decision> forced = std::nullopt);
  // Puts a claimed delivery back for `delay` without counting an attempt
  // (its destination is busy, or the per-phone SMS limit holds it: `why`).
  absl::Status Defer(const v1::Delivery& claimed, absl::Duration delay,
                     const std::string& why = "");
  // After the SMS `carrier_id` that carried `bundled` in its text: they are
  // SENT with it, or held again for the next message.
  absl::Status SettleBundle(const std::string& carrier_id,
                            const std::vector<v1::Delivery>& bundled);
  // After SendSms took the SMS `carrier_id` (and `bundled` in it) for
  // `phone` as `biz_id`: its receipt is asked for from now on.
  absl::Status AwaitSmsReceipt(const std::string& carrier_id,
                               const std::vector<v1::Delivery>& bundled, const std::string& phone,
                               const std::string& biz_id);
  // Records a receipt's answer for the delivery `r` is about.
  absl::Status RecordReceipt(const store::PendingReceipt& r, const SmsReceipt& receipt);

  sql::Store* const db_;
  const Clock* const clock_;
  const SecretBox* const secrets_;
  UnitDirectory* const units_;
  RedisClient* const redis_;
  const NotifyOptions options_;
  AuditLog audit_;
  IdempotencyKeys idempotency_;
  std::function<void()> on_pushed_;
  MailSender* mail_ = nullptr;
  EventRouter* router_ = nullptr;
  const ServiceAccess access_{"uplift.notify.v1.Notification"};
  DestinationLimiter destinations_;
  RobotRateLimiter robots_;
  const WorkingCalendar calendar_;  // working days left, in escalation texts
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
};

}  // namespace uplift::notify

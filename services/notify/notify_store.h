// Rows of the notification service <-> protobuf messages. Every function
// runs on a connection the caller holds; none checks access or input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "absl/time/time.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify::store {

namespace v1 = uplift::notify::v1;

// False if a notification for the same (event, unit, kind) exists.
bool InsertNotification(SQLite::Database& db, const v1::Notice& n, bool pushed,
                        std::optional<absl::Time> policy_due);
void SaveNotification(SQLite::Database& db, const v1::Notice& n,
                      std::optional<absl::Time> policy_due);
// A held reminder went out inside a digest.
void MarkDigested(SQLite::Database& db, const std::string& notification_id);
std::optional<v1::Notice> FindNotification(SQLite::Database& db, const std::string& id);
// Unread first, newest first; `after` is the previous page's cursor.
std::vector<v1::Notice> ListInbox(SQLite::Database& db, const std::string& unit_id,
                                        bool unread_only, const std::string& after, int limit);
std::string InboxCursor(SQLite::Database& db, const v1::Notice& n);
int CountUnread(SQLite::Database& db, const std::string& unit_id);
// Pushed and not acknowledged, oldest first (a new subscriber's backlog).
std::vector<v1::Notice> Backlog(SQLite::Database& db, const std::string& unit_id, int limit);
// Notifications whose policy is due at `now`.
std::vector<v1::Notice> PolicyDue(SQLite::Database& db, absl::Time now, int limit);
// Reminders not yet sent in a digest, by unit.
std::vector<v1::Notice> Undigested(SQLite::Database& db, int limit);

struct FeedRow {
  int64_t seq;
  std::string unit_id;
  std::string notification_id;
  bool resend;
};
void AppendFeed(SQLite::Database& db, const std::string& unit_id, const std::string& notification_id,
                bool resend, absl::Time now);
std::vector<FeedRow> FeedAfter(SQLite::Database& db, int64_t after, int limit);
int64_t LastFeedSeq(SQLite::Database& db);
void PruneFeed(SQLite::Database& db, absl::Time before);

// `c` carries the redacted URL; the whole URL and the secret are sealed.
// A channel with the same id (a person's SMS or e-mail) is replaced.
void InsertChannel(SQLite::Database& db, const v1::Channel& c, const std::string& secret_sealed,
                   const std::string& url_sealed);
// Channels stored before URLs were sealed, and sealing one.
std::vector<v1::Channel> ChannelsWithClearUrls(SQLite::Database& db);
void SealChannelUrl(SQLite::Database& db, const v1::Channel& redacted, const std::string& url_sealed);
std::optional<v1::Channel> FindChannel(SQLite::Database& db, const std::string& channel_id);
// The unit's own channels (not its people's).
std::vector<v1::Channel> ListChannels(SQLite::Database& db, const std::string& unit_id);
// A person's channels (owner_login).
std::vector<v1::Channel> PersonChannels(SQLite::Database& db, const std::string& login);
struct SealedChannel {
  std::string secret;  // sealed signing secret
  std::string url;     // sealed URL; empty for a channel stored before URLs were sealed
};
std::optional<SealedChannel> SealedChannelOf(SQLite::Database& db, const std::string& channel_id);
void RemoveChannel(SQLite::Database& db, const std::string& channel_id);

void InsertDelivery(SQLite::Database& db, const v1::Delivery& d);
void SaveDelivery(SQLite::Database& db, const v1::Delivery& d, const std::string& lease_until);
std::optional<v1::Delivery> FindDelivery(SQLite::Database& db, const std::string& id);
// Takes up to `limit` pending deliveries due at `now` whose lease expired,
// leasing them until `lease_until`. Call inside a write transaction.
std::vector<v1::Delivery> ClaimDue(SQLite::Database& db, absl::Time now, absl::Time lease_until,
                                   int limit);
// The unit's still-queued deliveries of notifications of `kind` become
// STALE with `why`; returns how many.
int MarkQueuedDeliveriesStale(SQLite::Database& db, const std::string& unit_id, v1::Kind kind,
                              const std::string& why);
std::vector<v1::Delivery> DeliveriesOf(SQLite::Database& db, const std::string& notification_id);

// SMS to `phone` since `since` (its limit's window); recording one forgets
// those older than `forget_before`.
std::vector<absl::Time> SmsSendsSince(SQLite::Database& db, const std::string& phone,
                                      absl::Time since);
// Returns the send's row, for ForgetSmsSend when it was not taken.
int64_t RecordSmsSend(SQLite::Database& db, const std::string& phone, absl::Time at,
                      absl::Time forget_before);
void ForgetSmsSend(SQLite::Database& db, int64_t row);
// Queued deliveries to SMS channels of `phone` whose last error is `held`
// (held back by the per-phone limit), oldest first.
std::vector<v1::Delivery> HeldSmsDeliveries(SQLite::Database& db, const std::string& phone,
                                            const std::string& held);
std::vector<v1::Delivery> DeliveriesOfUnit(SQLite::Database& db, const std::string& unit_id, int limit);
std::vector<v1::Delivery> DeadDeliveries(SQLite::Database& db, int limit);

std::optional<v1::EscalationPolicy> CurrentPolicy(SQLite::Database& db, const std::string& type);
std::optional<v1::EscalationPolicy> PolicyVersion(SQLite::Database& db, const std::string& type,
                                                  int version);
void InsertPolicy(SQLite::Database& db, const v1::EscalationPolicy& p);
std::vector<v1::EscalationPolicy> CurrentPolicies(SQLite::Database& db);
// The version `problem_id` started under, pinning `version` the first time.
int PinPolicy(SQLite::Database& db, const std::string& problem_id, const std::string& type, int version);

std::string GetMeta(SQLite::Database& db, const std::string& key);
void SetMeta(SQLite::Database& db, const std::string& key, const std::string& value);

}  // namespace uplift::notify::store

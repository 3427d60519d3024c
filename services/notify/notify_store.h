// Rows of the notification service <-> protobuf messages. Every function
// runs on a connection the caller holds; none checks access or input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/sql/connection.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify::store {

namespace v1 = uplift::notify::v1;

// False if a notification for the same (event, unit, kind) exists.
bool InsertNotification(sql::Connection& db, const v1::Notice& n, bool pushed,
                        std::optional<absl::Time> policy_due);
void SaveNotification(sql::Connection& db, const v1::Notice& n,
                      std::optional<absl::Time> policy_due);
// A held reminder went out inside a digest.
void MarkDigested(sql::Connection& db, const std::string& notification_id);
std::optional<v1::Notice> FindNotification(sql::Connection& db, const std::string& id);
// Unread first, newest first; `after` is the previous page's cursor.
std::vector<v1::Notice> ListInbox(sql::Connection& db, const std::string& unit_id, bool unread_only,
                                  const std::string& after, int limit);
std::string InboxCursor(sql::Connection& db, const v1::Notice& n);
int CountUnread(sql::Connection& db, const std::string& unit_id);
// Pushed and not acknowledged, oldest first (a new subscriber's backlog).
std::vector<v1::Notice> Backlog(sql::Connection& db, const std::string& unit_id, int limit);
// Notifications whose policy is due at `now`.
std::vector<v1::Notice> PolicyDue(sql::Connection& db, absl::Time now, int limit);
// Reminders not yet sent in a digest, by unit.
std::vector<v1::Notice> Undigested(sql::Connection& db, int limit);

struct FeedRow {
  int64_t seq;
  std::string unit_id;
  std::string notification_id;
  bool resend;
};
void AppendFeed(sql::Connection& db, const std::string& unit_id, const std::string& notification_id,
                bool resend, absl::Time now);
std::vector<FeedRow> FeedAfter(sql::Connection& db, int64_t after, int limit);
// The rows among `seqs` that exist (the feed's holes, asked for again).
std::vector<FeedRow> FeedRowsIn(sql::Connection& db, const std::vector<int64_t>& seqs);
int64_t LastFeedSeq(sql::Connection& db);
void PruneFeed(sql::Connection& db, absl::Time before);

// `c` carries the redacted URL; the whole URL and the secret are sealed.
// A channel with the same id (a person's SMS or e-mail) is replaced.
void InsertChannel(sql::Connection& db, const v1::Channel& c, const std::string& secret_sealed,
                   const std::string& url_sealed);
// Channels stored before URLs were sealed, and sealing one.
std::vector<v1::Channel> ChannelsWithClearUrls(sql::Connection& db);
void SealChannelUrl(sql::Connection& db, const v1::Channel& redacted,
                    const std::string& url_sealed);
std::optional<v1::Channel> FindChannel(sql::Connection& db, const std::string& channel_id);
// The unit's own channels (not its people's).
std::vector<v1::Channel> ListChannels(sql::Connection& db, const std::string& unit_id);
// A person's channels (owner_login).
std::vector<v1::Channel> PersonChannels(sql::Connection& db, const std::string& login);
struct SealedChannel {
  std::string secret;  // sealed signing secret
  std::string url;     // sealed URL; empty for a channel stored before URLs were sealed
};
std::optional<SealedChannel> SealedChannelOf(sql::Connection& db, const std::string& channel_id);
void RemoveChannel(sql::Connection& db, const std::string& channel_id);

void InsertDelivery(sql::Connection& db, const v1::Delivery& d);
void SaveDelivery(sql::Connection& db, const v1::Delivery& d, const std::string& lease_until);
std::optional<v1::Delivery> FindDelivery(sql::Connection& db, const std::string& id);
// Takes up to `limit` pending deliveries due at `now` whose lease expired,
// leasing them until `lease_until`. Call inside a write transaction.
std::vector<v1::Delivery> ClaimDue(sql::Connection& db, absl::Time now, absl::Time lease_until,
                                   int limit);
// The unit's still-queued deliveries of notifications of `kind` become
// STALE with `why`; returns how many.
int MarkQueuedDeliveriesStale(sql::Connection& db, const std::string& unit_id, v1::Kind kind,
                              const std::string& why);
std::vector<v1::Delivery> DeliveriesOf(sql::Connection& db, const std::string& notification_id);

// SMS to `phone` since `since` (its limit's window); recording one forgets
// those older than `forget_before`.
std::vector<absl::Time> SmsSendsSince(sql::Connection& db, const std::string& phone,
                                      absl::Time since);
// Returns the send's row, for ForgetSmsSend when it was not taken.
int64_t RecordSmsSend(sql::Connection& db, const std::string& phone, absl::Time at,
                      absl::Time forget_before);
void ForgetSmsSend(sql::Connection& db, int64_t row);
// Queued deliveries to SMS channels of `phone` whose last error is `held`
// (held back by the per-phone limit), oldest first.
std::vector<v1::Delivery> HeldSmsDeliveries(sql::Connection& db, const std::string& phone,
                                            const std::string& held);
std::vector<v1::Delivery> DeliveriesOfUnit(sql::Connection& db, const std::string& unit_id,
                                           int limit);
std::vector<v1::Delivery> DeadDeliveries(sql::Connection& db, int limit);

std::optional<v1::EscalationPolicy> CurrentPolicy(sql::Connection& db, const std::string& type);
std::optional<v1::EscalationPolicy> PolicyVersion(sql::Connection& db, const std::string& type,
                                                  int version);
void InsertPolicy(sql::Connection& db, const v1::EscalationPolicy& p);
std::vector<v1::EscalationPolicy> CurrentPolicies(sql::Connection& db);
// The version `problem_id` started under, pinning `version` the first time.
int PinPolicy(sql::Connection& db, const std::string& problem_id, const std::string& type,
              int version);

std::string GetMeta(sql::Connection& db, const std::string& key);
void SetMeta(sql::Connection& db, const std::string& key, const std::string& value);

}  // namespace uplift::notify::store

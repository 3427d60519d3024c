// SQL of the notification service.
#include "services/notify/notify_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/statement_cache.h"
#include "common/time_util.h"
#include "services/notify/store_rows.h"

namespace uplift::notify::store {
namespace {

std::string Time(const google::protobuf::Timestamp& ts) { return FormatRfc3339(FromProtoTimestamp(ts)); }

void BindDue(SQLite::Statement& s, int index, std::optional<absl::Time> due) {
  if (due.has_value()) {
    s.bind(index, FormatRfc3339(*due));
  } else {
    s.bind(index);  // NULL
  }
}

v1::Notice Stored(v1::Notice n) {
  n.clear_deliveries();
  return n;
}

}  // namespace

bool InsertNotification(SQLite::Database& db, const v1::Notice& n, bool pushed,
                        std::optional<absl::Time> policy_due) {
  CachedStatement s(db,
                    "INSERT OR IGNORE INTO notifications(notification_id, unit_id, kind,"
                    " source_event_id, acknowledged, pushed, policy_due, create_time, body)"
                    " VALUES(?,?,?,?,?,?,?,?,?)");
  std::string body;
  s.bind(1, n.notification_id());
  s.bind(2, n.unit_id());
  s.bind(3, static_cast<int>(n.kind()));
  s.bind(4, n.source_event_id());
  s.bind(5, n.acknowledged() ? 1 : 0);
  s.bind(6, pushed ? 1 : 0);
  BindDue(s, 7, policy_due);
  s.bind(8, Time(n.create_time()));
  Bind(s, 9, Stored(n), &body);
  return s.exec() == 1;
}

void SaveNotification(SQLite::Database& db, const v1::Notice& n,
                      std::optional<absl::Time> policy_due) {
  CachedStatement s(db,
                    "UPDATE notifications SET acknowledged=?, policy_due=?, body=?"
                    " WHERE notification_id=?");
  std::string body;
  s.bind(1, n.acknowledged() ? 1 : 0);
  BindDue(s, 2, policy_due);
  Bind(s, 3, Stored(n), &body);
  s.bind(4, n.notification_id());
  s.exec();
}

void MarkDigested(SQLite::Database& db, const std::string& id) {
  CachedStatement s(db, "UPDATE notifications SET pushed=2 WHERE notification_id=?");
  s.bind(1, id);
  s.exec();
}

std::optional<v1::Notice> FindNotification(SQLite::Database& db, const std::string& id) {
  CachedStatement q(db, "SELECT body FROM notifications WHERE notification_id=?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return Parse<v1::Notice>(q, 0);
}

std::vector<v1::Notice> ListInbox(SQLite::Database& db, const std::string& unit_id,
                                        bool unread_only, const std::string& after, int limit) {
  // Order: unacknowledged first, then newest first: (acknowledged ASC, seq DESC).
  int after_ack = -1;
  int64_t after_seq = 0;
  if (!after.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(after, absl::MaxSplits('|', 1));
    if (!absl::SimpleAtoi(parts.first, &after_ack) || !absl::SimpleAtoi(parts.second, &after_seq)) {
      after_ack = -1;
    }
  }
  CachedStatement q(db,
                    "SELECT body FROM notifications WHERE unit_id=?1 AND (?2=0 OR acknowledged=0)"
                    " AND (?3 < 0 OR acknowledged > ?3 OR (acknowledged = ?3 AND seq < ?4))"
                    " ORDER BY acknowledged ASC, seq DESC LIMIT ?5");
  q.bind(1, unit_id);
  q.bind(2, unread_only ? 1 : 0);
  q.bind(3, after_ack);
  q.bind(4, static_cast<int64_t>(after_seq));
  q.bind(5, limit);
  return All<v1::Notice>(q);
}

std::string InboxCursor(SQLite::Database& db, const v1::Notice& n) {
  CachedStatement q(db, "SELECT acknowledged, seq FROM notifications WHERE notification_id=?");
  q.bind(1, n.notification_id());
  if (!q.executeStep()) return "";
  return absl::StrCat(q.getColumn(0).getInt(), "|", q.getColumn(1).getInt64());
}

int CountUnread(SQLite::Database& db, const std::string& unit_id) {
  CachedStatement q(db, "SELECT COUNT(*) FROM notifications WHERE unit_id=? AND acknowledged=0");
  q.bind(1, unit_id);
  q.executeStep();
  return q.getColumn(0).getInt();
}

std::vector<v1::Notice> Backlog(SQLite::Database& db, const std::string& unit_id, int limit) {
  CachedStatement q(db,
                    "SELECT body FROM notifications WHERE unit_id=? AND acknowledged=0 AND pushed=1"
                    " ORDER BY seq LIMIT ?");
  q.bind(1, unit_id);
  q.bind(2, limit);
  return All<v1::Notice>(q);
}

std::vector<v1::Notice> PolicyDue(SQLite::Database& db, absl::Time now, int limit) {
  CachedStatement q(
      db,
      "SELECT body FROM notifications WHERE policy_due IS NOT NULL AND policy_due <= ?"
      " AND acknowledged = 0 ORDER BY policy_due LIMIT ?");
  q.bind(1, FormatRfc3339(now));
  q.bind(2, limit);
  return All<v1::Notice>(q);
}

std::vector<v1::Notice> Undigested(SQLite::Database& db, int limit) {
  CachedStatement q(db,
                    "SELECT body FROM notifications WHERE kind = 3 AND pushed = 0"
                    " ORDER BY unit_id, seq LIMIT ?");
  q.bind(1, limit);
  return All<v1::Notice>(q);
}

void AppendFeed(SQLite::Database& db, const std::string& unit_id, const std::string& notification_id,
                bool resend, absl::Time now) {
  CachedStatement s(
      db, "INSERT INTO feed(unit_id, notification_id, resend, create_time) VALUES(?,?,?,?)");
  s.bind(1, unit_id);
  s.bind(2, notification_id);
  s.bind(3, resend ? 1 : 0);
  s.bind(4, FormatRfc3339(now));
  s.exec();
}

std::vector<FeedRow> FeedAfter(SQLite::Database& db, int64_t after, int limit) {
  CachedStatement q(db,
                    "SELECT feed_seq, unit_id, notification_id, resend FROM feed WHERE feed_seq > ?"
                    " ORDER BY feed_seq LIMIT ?");
  q.bind(1, static_cast<int64_t>(after));
  q.bind(2, limit);
  std::vector<FeedRow> out;
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getInt() != 0});
  }
  return out;
}

int64_t LastFeedSeq(SQLite::Database& db) {
  CachedStatement q(db, "SELECT COALESCE(MAX(feed_seq), 0) FROM feed");
  q.executeStep();
  return q.getColumn(0).getInt64();
}

void PruneFeed(SQLite::Database& db, absl::Time before) {
  CachedStatement s(db, "DELETE FROM feed WHERE create_time < ?");
  s.bind(1, FormatRfc3339(before));
  s.exec();
}

void InsertChannel(SQLite::Database& db, const v1::Channel& c, const std::string& secret_sealed,
                   const std::string& url_sealed) {
  CachedStatement s(db,
                    "INSERT OR REPLACE INTO channels(channel_id, unit_id, secret_sealed,"
                    " url_sealed, body, owner_login, removed) VALUES(?,?,?,?,?,?,0)");
  std::string body;
  s.bind(1, c.channel_id());
  s.bind(2, c.unit_id());
  s.bind(3, secret_sealed.data(), static_cast<int>(secret_sealed.size()));
  s.bind(4, url_sealed.data(), static_cast<int>(url_sealed.size()));
  v1::Channel stored = c;
  stored.clear_secret();
  Bind(s, 5, stored, &body);
  s.bind(6, c.owner_login());
  s.exec();
}

void SealChannelUrl(SQLite::Database& db, const v1::Channel& redacted,
                    const std::string& url_sealed) {
  CachedStatement s(db, "UPDATE channels SET url_sealed=?, body=? WHERE channel_id=?");
  std::string body;
  s.bind(1, url_sealed.data(), static_cast<int>(url_sealed.size()));
  Bind(s, 2, redacted, &body);
  s.bind(3, redacted.channel_id());
  s.exec();
}

std::vector<v1::Channel> ChannelsWithClearUrls(SQLite::Database& db) {
  CachedStatement q(db, "SELECT body FROM channels WHERE url_sealed IS NULL");
  return All<v1::Channel>(q);
}

std::optional<v1::Channel> FindChannel(SQLite::Database& db, const std::string& channel_id) {
  CachedStatement q(db, "SELECT body FROM channels WHERE channel_id=? AND removed=0");
  q.bind(1, channel_id);
  if (!q.executeStep()) return std::nullopt;
  return Parse<v1::Channel>(q, 0);
}

std::vector<v1::Channel> ListChannels(SQLite::Database& db, const std::string& unit_id) {
  CachedStatement q(db,
                    "SELECT body FROM channels WHERE unit_id=? AND owner_login='' AND removed=0"
                    " ORDER BY channel_id");
  q.bind(1, unit_id);
  return All<v1::Channel>(q);
}

std::vector<v1::Channel> PersonChannels(SQLite::Database& db, const std::string& login) {
  CachedStatement q(
      db, "SELECT body FROM channels WHERE owner_login=? AND removed=0 ORDER BY channel_id");
  q.bind(1, login);
  return All<v1::Channel>(q);
}

std::optional<SealedChannel> SealedChannelOf(SQLite::Database& db, const std::string& channel_id) {
  CachedStatement q(db, "SELECT secret_sealed, url_sealed FROM channels WHERE channel_id=?");
  q.bind(1, channel_id);
  if (!q.executeStep()) return std::nullopt;
  auto blob = [&q](int i) {
    const SQLite::Column c = q.getColumn(i);
    return c.isNull() ? std::string() : std::string(static_cast<const char*>(c.getBlob()), c.getBytes());
  };
  return SealedChannel{blob(0), blob(1)};
}

void RemoveChannel(SQLite::Database& db, const std::string& channel_id) {
  CachedStatement s(db, "UPDATE channels SET removed=1 WHERE channel_id=?");
  s.bind(1, channel_id);
  s.exec();
}

void InsertDelivery(SQLite::Database& db, const v1::Delivery& d) {
  CachedStatement s(
      db,
      "INSERT INTO deliveries(delivery_id, notification_id, channel_id, unit_id, state,"
      " next_attempt_at, create_time, body) VALUES(?,?,?,?,?,?,?,?)");
  std::string body;
  s.bind(1, d.delivery_id());
  s.bind(2, d.notification_id());
  s.bind(3, d.channel_id());
  s.bind(4, d.unit_id());
  s.bind(5, static_cast<int>(d.state()));
  s.bind(6, d.has_next_attempt_time() ? Time(d.next_attempt_time()) : "");
  s.bind(7, Time(d.create_time()));
  Bind(s, 8, d, &body);
  s.exec();
}

void SaveDelivery(SQLite::Database& db, const v1::Delivery& d, const std::string& lease_until) {
  CachedStatement s(db,
                    "UPDATE deliveries SET state=?, next_attempt_at=?, lease_until=?, body=?"
                    " WHERE delivery_id=?");
  std::string body;
  s.bind(1, static_cast<int>(d.state()));
  s.bind(2, d.has_next_attempt_time() ? Time(d.next_attempt_time()) : "");
  s.bind(3, lease_until);
  Bind(s, 4, d, &body);
  s.bind(5, d.delivery_id());
  s.exec();
}

std::optional<v1::Delivery> FindDelivery(SQLite::Database& db, const std::string& id) {
  CachedStatement q(db, "SELECT body FROM deliveries WHERE delivery_id=?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return Parse<v1::Delivery>(q, 0);
}

std::vector<v1::Delivery> ClaimDue(SQLite::Database& db, absl::Time now, absl::Time lease_until,
                                   int limit) {
  const std::string now_text = FormatRfc3339(now);
  // Fair across units: the oldest due delivery of each unit first, so that
  // one unit's many (or slow) channels never hold up another's.
  CachedStatement q(db,
                    "SELECT body FROM (SELECT body, next_attempt_at, ROW_NUMBER() OVER"
                    " (PARTITION BY unit_id ORDER BY next_attempt_at, rowid) AS n FROM deliveries"
                    " WHERE state IN (1, 4) AND next_attempt_at <= ?1 AND lease_until < ?1)"
                    " ORDER BY n, next_attempt_at LIMIT ?2");
  q.bind(1, now_text);
  q.bind(2, limit);
  std::vector<v1::Delivery> due = All<v1::Delivery>(q);
  // SENDING under this replica's lease; one whose lease ran out (its replica
  // died mid-send) is claimed again above.
  for (v1::Delivery& d : due) {
    d.set_state(v1::DELIVERY_STATE_SENDING);
    SaveDelivery(db, d, FormatRfc3339(lease_until));
  }
  return due;
}

int MarkQueuedDeliveriesStale(SQLite::Database& db, const std::string& unit_id, v1::Kind kind,
                              const std::string& why) {
  CachedStatement q(db,
                    "SELECT d.body FROM deliveries d JOIN notifications n"
                    " ON n.notification_id = d.notification_id"
                    " WHERE d.unit_id = ? AND d.state = 1 AND n.kind = ?");
  q.bind(1, unit_id);
  q.bind(2, static_cast<int>(kind));
  std::vector<v1::Delivery> queued = All<v1::Delivery>(q);
  for (v1::Delivery& d : queued) {
    d.set_state(v1::DELIVERY_STATE_STALE);
    d.set_last_error(why);
    d.clear_next_attempt_time();
    SaveDelivery(db, d, "");
  }
  return static_cast<int>(queued.size());
}

std::vector<v1::Delivery> DeliveriesOf(SQLite::Database& db, const std::string& notification_id) {
  CachedStatement q(
      db, "SELECT body FROM deliveries WHERE notification_id=? ORDER BY create_time, rowid");
  q.bind(1, notification_id);
  return All<v1::Delivery>(q);
}

std::vector<absl::Time> SmsSendsSince(SQLite::Database& db, const std::string& phone,
                                      absl::Time since) {
  CachedStatement q(db, "SELECT sent_at FROM sms_sends WHERE phone=? AND sent_at>?");
  q.bind(1, phone);
  q.bind(2, FormatRfc3339(since));
  std::vector<absl::Time> out;
  while (q.executeStep()) {
    if (absl::StatusOr<absl::Time> t = ParseRfc3339(q.getColumn(0).getString()); t.ok())
      out.push_back(*t);
  }
  return out;
}

int64_t RecordSmsSend(SQLite::Database& db, const std::string& phone, absl::Time at,
                      absl::Time forget_before) {
  CachedStatement forget(db, "DELETE FROM sms_sends WHERE phone=? AND sent_at<?");
  forget.bind(1, phone);
  forget.bind(2, FormatRfc3339(forget_before));
  forget.exec();
  CachedStatement s(db, "INSERT INTO sms_sends(phone, sent_at) VALUES(?,?)");
  s.bind(1, phone);
  s.bind(2, FormatRfc3339(at));
  s.exec();
  return db.getLastInsertRowid();
}

void ForgetSmsSend(SQLite::Database& db, int64_t row) {
  CachedStatement s(db, "DELETE FROM sms_sends WHERE rowid=?");
  s.bind(1, row);
  s.exec();
}

std::vector<v1::Delivery> HeldSmsDeliveries(SQLite::Database& db, const std::string& phone,
                                            const std::string& held) {
  std::vector<v1::Delivery> out;
  CachedStatement channels(db, "SELECT body FROM channels WHERE removed = 0");
  for (const v1::Channel& c : All<v1::Channel>(channels)) {
    if (c.type() != v1::CHANNEL_TYPE_SMS || c.address() != phone) continue;
    CachedStatement q(db,
                      "SELECT body FROM deliveries WHERE channel_id=? AND state = 1"
                      " ORDER BY create_time, rowid");
    q.bind(1, c.channel_id());
    for (v1::Delivery& d : All<v1::Delivery>(q)) {
      if (d.last_error() == held) out.push_back(std::move(d));
    }
  }
  return out;
}

std::vector<v1::Delivery> DeliveriesOfUnit(SQLite::Database& db, const std::string& unit_id, int limit) {
  CachedStatement q(
      db,
      "SELECT body FROM deliveries WHERE unit_id=? ORDER BY create_time DESC, rowid DESC LIMIT ?");
  q.bind(1, unit_id);
  q.bind(2, limit);
  return All<v1::Delivery>(q);
}

std::vector<v1::Delivery> DeadDeliveries(SQLite::Database& db, int limit) {
  CachedStatement q(
      db, "SELECT body FROM deliveries WHERE state = 3 ORDER BY create_time DESC LIMIT ?");
  q.bind(1, limit);
  return All<v1::Delivery>(q);
}

std::optional<v1::EscalationPolicy> CurrentPolicy(SQLite::Database& db, const std::string& type) {
  CachedStatement q(db,
                    "SELECT body FROM policies WHERE message_type=? ORDER BY version DESC LIMIT 1");
  q.bind(1, type);
  if (!q.executeStep()) return std::nullopt;
  return Parse<v1::EscalationPolicy>(q, 0);
}

std::optional<v1::EscalationPolicy> PolicyVersion(SQLite::Database& db, const std::string& type,
                                                  int version) {
  CachedStatement q(db, "SELECT body FROM policies WHERE message_type=? AND version=?");
  q.bind(1, type);
  q.bind(2, version);
  if (!q.executeStep()) return std::nullopt;
  return Parse<v1::EscalationPolicy>(q, 0);
}

void InsertPolicy(SQLite::Database& db, const v1::EscalationPolicy& p) {
  CachedStatement s(db, "INSERT INTO policies(message_type, version, body) VALUES(?,?,?)");
  std::string body;
  s.bind(1, p.message_type());
  s.bind(2, p.version());
  Bind(s, 3, p, &body);
  s.exec();
}

std::vector<v1::EscalationPolicy> CurrentPolicies(SQLite::Database& db) {
  CachedStatement q(db,
                    "SELECT body FROM policies p WHERE version = (SELECT MAX(version) FROM policies"
                    " WHERE message_type = p.message_type) ORDER BY message_type");
  return All<v1::EscalationPolicy>(q);
}

int PinPolicy(SQLite::Database& db, const std::string& problem_id, const std::string& type, int version) {
  CachedStatement ins(db,
                      "INSERT OR IGNORE INTO problem_policies(problem_id, message_type, version)"
                      " VALUES(?,?,?)");
  ins.bind(1, problem_id);
  ins.bind(2, type);
  ins.bind(3, version);
  ins.exec();
  CachedStatement q(db,
                    "SELECT version FROM problem_policies WHERE problem_id=? AND message_type=?");
  q.bind(1, problem_id);
  q.bind(2, type);
  q.executeStep();
  return q.getColumn(0).getInt();
}

std::string GetMeta(SQLite::Database& db, const std::string& key) {
  CachedStatement q(db, "SELECT value FROM meta WHERE key=?");
  q.bind(1, key);
  return q.executeStep() ? q.getColumn(0).getString() : "";
}

void SetMeta(SQLite::Database& db, const std::string& key, const std::string& value) {
  CachedStatement s(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)");
  s.bind(1, key);
  s.bind(2, value);
  s.exec();
}

}  // namespace uplift::notify::store

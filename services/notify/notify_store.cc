// SQL of the notification service.
#include "services/notify/notify_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/sql/dialect.h"
#include "common/sql/query.h"
#include "common/time_util.h"
#include "services/notify/store_rows.h"

namespace uplift::notify::store {
namespace {

std::string Time(const google::protobuf::Timestamp& ts) { return FormatRfc3339(FromProtoTimestamp(ts)); }

void BindDue(sql::Query& s, int index, std::optional<absl::Time> due) {
  if (due.has_value()) {
    s.Bind(index, FormatRfc3339(*due));
  } else {
    s.BindNull(index);  // NULL
  }
}

v1::Notice Stored(v1::Notice n) {
  n.clear_deliveries();
  return n;
}

}  // namespace

bool InsertNotification(sql::Connection& db, const v1::Notice& n, bool pushed,
                        std::optional<absl::Time> policy_due) {
  sql::Query s(db,
               "INSERT INTO notifications(notification_id, unit_id, kind,"
               " source_event_id, acknowledged, pushed, policy_due, create_time, body)"
               " VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
  std::string body;
  s.Bind(1, n.notification_id());
  s.Bind(2, n.unit_id());
  s.Bind(3, static_cast<int>(n.kind()));
  s.Bind(4, n.source_event_id());
  s.Bind(5, n.acknowledged() ? 1 : 0);
  s.Bind(6, pushed ? 1 : 0);
  BindDue(s, 7, policy_due);
  s.Bind(8, Time(n.create_time()));
  Bind(s, 9, Stored(n), &body);
  return s.Exec() == 1;
}

void SaveNotification(sql::Connection& db, const v1::Notice& n,
                      std::optional<absl::Time> policy_due) {
  sql::Query s(db,
               "UPDATE notifications SET acknowledged=?, policy_due=?, body=?"
               " WHERE notification_id=?");
  std::string body;
  s.Bind(1, n.acknowledged() ? 1 : 0);
  BindDue(s, 2, policy_due);
  Bind(s, 3, Stored(n), &body);
  s.Bind(4, n.notification_id());
  s.Exec();
}

void MarkDigested(sql::Connection& db, const std::string& id) {
  sql::Query s(db, "UPDATE notifications SET pushed=2 WHERE notification_id=?");
  s.Bind(1, id);
  s.Exec();
}

std::optional<v1::Notice> FindNotification(sql::Connection& db, const std::string& id) {
  sql::Query q(db, "SELECT body FROM notifications WHERE notification_id=?");
  q.Bind(1, id);
  if (!q.Step()) return std::nullopt;
  return Parse<v1::Notice>(q, 0);
}

std::vector<v1::Notice> ListInbox(sql::Connection& db, const std::string& unit_id, bool unread_only,
                                  const std::string& after, int limit) {
  // Order: unacknowledged first, then newest first: (acknowledged ASC, seq DESC).
  int after_ack = -1;
  int64_t after_seq = 0;
  if (!after.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(after, absl::MaxSplits('|', 1));
    if (!absl::SimpleAtoi(parts.first, &after_ack) || !absl::SimpleAtoi(parts.second, &after_seq)) {
      after_ack = -1;
    }
  }
  sql::Query q(db,
               "SELECT body FROM notifications WHERE unit_id=?1 AND (?2=0 OR acknowledged=0)"
               " AND (?3 < 0 OR acknowledged > ?3 OR (acknowledged = ?3 AND seq < ?4))"
               " ORDER BY acknowledged ASC, seq DESC LIMIT ?5");
  q.Bind(1, unit_id);
  q.Bind(2, unread_only ? 1 : 0);
  q.Bind(3, after_ack);
  q.Bind(4, static_cast<int64_t>(after_seq));
  q.Bind(5, limit);
  return All<v1::Notice>(q);
}

std::string InboxCursor(sql::Connection& db, const v1::Notice& n) {
  sql::Query q(db, "SELECT acknowledged, seq FROM notifications WHERE notification_id=?");
  q.Bind(1, n.notification_id());
  if (!q.Step()) return "";
  return absl::StrCat(q.Int(0), "|", q.Int64(1));
}

int CountUnread(sql::Connection& db, const std::string& unit_id) {
  sql::Query q(db, "SELECT COUNT(*) FROM notifications WHERE unit_id=? AND acknowledged=0");
  q.Bind(1, unit_id);
  q.Step();
  return q.Int(0);
}

std::vector<v1::Notice> Backlog(sql::Connection& db, const std::string& unit_id, int limit) {
  sql::Query q(db,
               "SELECT body FROM notifications WHERE unit_id=? AND acknowledged=0 AND pushed=1"
               " ORDER BY seq LIMIT ?");
  q.Bind(1, unit_id);
  q.Bind(2, limit);
  return All<v1::Notice>(q);
}

std::vector<v1::Notice> PolicyDue(sql::Connection& db, absl::Time now, int limit) {
  sql::Query q(db,
               "SELECT body FROM notifications WHERE policy_due IS NOT NULL AND policy_due <= ?"
               " AND acknowledged = 0 ORDER BY policy_due LIMIT ?");
  q.Bind(1, FormatRfc3339(now));
  q.Bind(2, limit);
  return All<v1::Notice>(q);
}

std::vector<v1::Notice> Undigested(sql::Connection& db, int limit) {
  sql::Query q(db,
               "SELECT body FROM notifications WHERE kind = 3 AND pushed = 0"
               " ORDER BY unit_id, seq LIMIT ?");
  q.Bind(1, limit);
  return All<v1::Notice>(q);
}

void AppendFeed(sql::Connection& db, const std::string& unit_id, const std::string& notification_id,
                bool resend, absl::Time now) {
  sql::Query s(db,
               "INSERT INTO feed(unit_id, notification_id, resend, create_time) VALUES(?,?,?,?)");
  s.Bind(1, unit_id);
  s.Bind(2, notification_id);
  s.Bind(3, resend ? 1 : 0);
  s.Bind(4, FormatRfc3339(now));
  s.Exec();
}

std::vector<FeedRow> FeedAfter(sql::Connection& db, int64_t after, int limit) {
  sql::Query q(db,
               "SELECT feed_seq, unit_id, notification_id, resend FROM feed WHERE feed_seq > ?"
               " ORDER BY feed_seq LIMIT ?");
  q.Bind(1, static_cast<int64_t>(after));
  q.Bind(2, limit);
  std::vector<FeedRow> out;
  while (q.Step()) {
    out.push_back({q.Int64(0), q.Text(1), q.Text(2), q.Int(3) != 0});
  }
  return out;
}

std::vector<FeedRow> FeedRowsIn(sql::Connection& db, const std::vector<int64_t>& seqs) {
  // Sixteen at a time, padded with 0 (no row's number): one statement text.
  constexpr size_t kChunk = 16;
  std::vector<FeedRow> out;
  for (size_t first = 0; first < seqs.size(); first += kChunk) {
    sql::Query q(db,
                 "SELECT feed_seq, unit_id, notification_id, resend FROM feed WHERE feed_seq IN"
                 " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ORDER BY feed_seq");
    for (size_t i = 0; i < kChunk; ++i) {
      q.Bind(static_cast<int>(i + 1), first + i < seqs.size() ? seqs[first + i] : int64_t{0});
    }
    while (q.Step()) out.push_back({q.Int64(0), q.Text(1), q.Text(2), q.Int(3) != 0});
  }
  return out;
}

int64_t LastFeedSeq(sql::Connection& db) {
  sql::Query q(db, "SELECT COALESCE(MAX(feed_seq), 0) FROM feed");
  q.Step();
  return q.Int64(0);
}

void PruneFeed(sql::Connection& db, absl::Time before) {
  sql::Query s(db, "DELETE FROM feed WHERE create_time < ?");
  s.Bind(1, FormatRfc3339(before));
  s.Exec();
}

void InsertChannel(sql::Connection& db, const v1::Channel& c, const std::string& secret_sealed,
                   const std::string& url_sealed) {
  sql::Query s(db,
               sql::UpsertSql("channels",
                              "channel_id, unit_id, secret_sealed, url_sealed, body, owner_login,"
                              " removed",
                              "channel_id"));
  std::string body;
  s.Bind(1, c.channel_id());
  s.Bind(2, c.unit_id());
  s.BindBlob(3, secret_sealed);
  s.BindBlob(4, url_sealed);
  v1::Channel stored = c;
  stored.clear_secret();
  Bind(s, 5, stored, &body);
  s.Bind(6, c.owner_login());
  s.Bind(7, 0);  // not removed
  s.Exec();
}

void SealChannelUrl(sql::Connection& db, const v1::Channel& redacted,
                    const std::string& url_sealed) {
  sql::Query s(db, "UPDATE channels SET url_sealed=?, body=? WHERE channel_id=?");
  std::string body;
  s.BindBlob(1, url_sealed);
  Bind(s, 2, redacted, &body);
  s.Bind(3, redacted.channel_id());
  s.Exec();
}

std::vector<v1::Channel> ChannelsWithClearUrls(sql::Connection& db) {
  sql::Query q(db, "SELECT body FROM channels WHERE url_sealed IS NULL");
  return All<v1::Channel>(q);
}

std::optional<v1::Channel> FindChannel(sql::Connection& db, const std::string& channel_id) {
  sql::Query q(db, "SELECT body FROM channels WHERE channel_id=? AND removed=0");
  q.Bind(1, channel_id);
  if (!q.Step()) return std::nullopt;
  return Parse<v1::Channel>(q, 0);
}

std::vector<v1::Channel> ListChannels(sql::Connection& db, const std::string& unit_id) {
  sql::Query q(db,
               "SELECT body FROM channels WHERE unit_id=? AND owner_login='' AND removed=0"
               " ORDER BY channel_id");
  q.Bind(1, unit_id);
  return All<v1::Channel>(q);
}

std::vector<v1::Channel> PersonChannels(sql::Connection& db, const std::string& login) {
  sql::Query q(db,
               "SELECT body FROM channels WHERE owner_login=? AND removed=0 ORDER BY channel_id");
  q.Bind(1, login);
  return All<v1::Channel>(q);
}

std::optional<SealedChannel> SealedChannelOf(sql::Connection& db, const std::string& channel_id) {
  sql::Query q(db, "SELECT secret_sealed, url_sealed FROM channels WHERE channel_id=?");
  q.Bind(1, channel_id);
  if (!q.Step()) return std::nullopt;
  return SealedChannel{q.Blob(0), q.Blob(1)};  // "" for NULL
}

void RemoveChannel(sql::Connection& db, const std::string& channel_id) {
  sql::Query s(db, "UPDATE channels SET removed=1 WHERE channel_id=?");
  s.Bind(1, channel_id);
  s.Exec();
}

void InsertDelivery(sql::Connection& db, const v1::Delivery& d) {
  sql::Query s(db,
               "INSERT INTO deliveries(delivery_id, notification_id, channel_id, unit_id, state,"
               " next_attempt_at, create_time, body) VALUES(?,?,?,?,?,?,?,?)");
  std::string body;
  s.Bind(1, d.delivery_id());
  s.Bind(2, d.notification_id());
  s.Bind(3, d.channel_id());
  s.Bind(4, d.unit_id());
  s.Bind(5, static_cast<int>(d.state()));
  s.Bind(6, d.has_next_attempt_time() ? Time(d.next_attempt_time()) : "");
  s.Bind(7, Time(d.create_time()));
  Bind(s, 8, d, &body);
  s.Exec();
}

void SaveDelivery(sql::Connection& db, const v1::Delivery& d, const std::string& lease_until) {
  sql::Query s(db,
               "UPDATE deliveries SET state=?, next_attempt_at=?, lease_until=?, body=?"
               " WHERE delivery_id=?");
  std::string body;
  s.Bind(1, static_cast<int>(d.state()));
  s.Bind(2, d.has_next_attempt_time() ? Time(d.next_attempt_time()) : "");
  s.Bind(3, lease_until);
  Bind(s, 4, d, &body);
  s.Bind(5, d.delivery_id());
  s.Exec();
}

std::optional<v1::Delivery> FindDelivery(sql::Connection& db, const std::string& id) {
  sql::Query q(db, "SELECT body FROM deliveries WHERE delivery_id=?");
  q.Bind(1, id);
  if (!q.Step()) return std::nullopt;
  return Parse<v1::Delivery>(q, 0);
}

std::vector<v1::Delivery> ClaimDue(sql::Connection& db, absl::Time now, absl::Time lease_until,
                                   int limit) {
  const std::string now_text = FormatRfc3339(now);
  // Fair across units: the oldest due delivery of each unit first, so that
  // one unit's many (or slow) channels never hold up another's.
  sql::Query q(db,
               "SELECT body FROM (SELECT body, next_attempt_at, ROW_NUMBER() OVER"
               " (PARTITION BY unit_id ORDER BY next_attempt_at, rowid) AS n FROM deliveries"
               " WHERE state IN (1, 4) AND next_attempt_at <= ?1 AND lease_until < ?1) AS due"
               " ORDER BY n, next_attempt_at LIMIT ?2");
  q.Bind(1, now_text);
  q.Bind(2, limit);
  std::vector<v1::Delivery> due = All<v1::Delivery>(q);
  // SENDING under this replica's lease; one whose lease ran out (its replica
  // died mid-send) is claimed again above.
  for (v1::Delivery& d : due) {
    d.set_state(v1::DELIVERY_STATE_SENDING);
    SaveDelivery(db, d, FormatRfc3339(lease_until));
  }
  return due;
}

int MarkQueuedDeliveriesStale(sql::Connection& db, const std::string& unit_id, v1::Kind kind,
                              const std::string& why) {
  sql::Query q(db,
               "SELECT d.body FROM deliveries d JOIN notifications n"
               " ON n.notification_id = d.notification_id"
               " WHERE d.unit_id = ? AND d.state = 1 AND n.kind = ?");
  q.Bind(1, unit_id);
  q.Bind(2, static_cast<int>(kind));
  std::vector<v1::Delivery> queued = All<v1::Delivery>(q);
  for (v1::Delivery& d : queued) {
    d.set_state(v1::DELIVERY_STATE_STALE);
    d.set_last_error(why);
    d.clear_next_attempt_time();
    SaveDelivery(db, d, "");
  }
  return static_cast<int>(queued.size());
}

std::vector<v1::Delivery> DeliveriesOf(sql::Connection& db, const std::string& notification_id) {
  sql::Query q(db,
               "SELECT body FROM deliveries WHERE notification_id=? ORDER BY create_time, rowid");
  q.Bind(1, notification_id);
  return All<v1::Delivery>(q);
}

std::vector<absl::Time> SmsSendsSince(sql::Connection& db, const std::string& phone,
                                      absl::Time since) {
  sql::Query q(db, "SELECT sent_at FROM sms_sends WHERE phone=? AND sent_at>?");
  q.Bind(1, phone);
  q.Bind(2, FormatRfc3339(since));
  std::vector<absl::Time> out;
  while (q.Step()) {
    if (absl::StatusOr<absl::Time> t = ParseRfc3339(q.Text(0)); t.ok()) out.push_back(*t);
  }
  return out;
}

int64_t RecordSmsSend(sql::Connection& db, const std::string& phone, absl::Time at,
                      absl::Time forget_before) {
  sql::Query forget(db, "DELETE FROM sms_sends WHERE phone=? AND sent_at<?");
  forget.Bind(1, phone);
  forget.Bind(2, FormatRfc3339(forget_before));
  forget.Exec();
  sql::Query s(db, "INSERT INTO sms_sends(phone, sent_at) VALUES(?,?) RETURNING rowid");
  s.Bind(1, phone);
  s.Bind(2, FormatRfc3339(at));
  return s.Step() ? s.Int64(0) : 0;
}

void ForgetSmsSend(sql::Connection& db, int64_t row) {
  sql::Query s(db, "DELETE FROM sms_sends WHERE rowid=?");
  s.Bind(1, row);
  s.Exec();
}

std::vector<v1::Delivery> HeldSmsDeliveries(sql::Connection& db, const std::string& phone,
                                            const std::string& held) {
  std::vector<v1::Delivery> out;
  sql::Query channels(db, "SELECT body FROM channels WHERE removed = 0");
  for (const v1::Channel& c : All<v1::Channel>(channels)) {
    if (c.type() != v1::CHANNEL_TYPE_SMS || c.address() != phone) continue;
    sql::Query q(db,
                 "SELECT body FROM deliveries WHERE channel_id=? AND state = 1"
                 " ORDER BY create_time, rowid");
    q.Bind(1, c.channel_id());
    for (v1::Delivery& d : All<v1::Delivery>(q)) {
      if (d.last_error() == held) out.push_back(std::move(d));
    }
  }
  return out;
}

std::vector<v1::Delivery> DeliveriesOfUnit(sql::Connection& db, const std::string& unit_id,
                                           int limit) {
  sql::Query q(
      db,
      "SELECT body FROM deliveries WHERE unit_id=? ORDER BY create_time DESC, rowid DESC LIMIT ?");
  q.Bind(1, unit_id);
  q.Bind(2, limit);
  return All<v1::Delivery>(q);
}

std::vector<v1::Delivery> DeadDeliveries(sql::Connection& db, int limit) {
  sql::Query q(db, "SELECT body FROM deliveries WHERE state = 3 ORDER BY create_time DESC LIMIT ?");
  q.Bind(1, limit);
  return All<v1::Delivery>(q);
}

std::optional<v1::EscalationPolicy> CurrentPolicy(sql::Connection& db, const std::string& type) {
  sql::Query q(db, "SELECT body FROM policies WHERE message_type=? ORDER BY version DESC LIMIT 1");
  q.Bind(1, type);
  if (!q.Step()) return std::nullopt;
  return Parse<v1::EscalationPolicy>(q, 0);
}

std::optional<v1::EscalationPolicy> PolicyVersion(sql::Connection& db, const std::string& type,
                                                  int version) {
  sql::Query q(db, "SELECT body FROM policies WHERE message_type=? AND version=?");
  q.Bind(1, type);
  q.Bind(2, version);
  if (!q.Step()) return std::nullopt;
  return Parse<v1::EscalationPolicy>(q, 0);
}

void InsertPolicy(sql::Connection& db, const v1::EscalationPolicy& p) {
  sql::Query s(db, "INSERT INTO policies(message_type, version, body) VALUES(?,?,?)");
  std::string body;
  s.Bind(1, p.message_type());
  s.Bind(2, p.version());
  Bind(s, 3, p, &body);
  s.Exec();
}

std::vector<v1::EscalationPolicy> CurrentPolicies(sql::Connection& db) {
  sql::Query q(db,
               "SELECT body FROM policies p WHERE version = (SELECT MAX(version) FROM policies"
               " WHERE message_type = p.message_type) ORDER BY message_type");
  return All<v1::EscalationPolicy>(q);
}

int PinPolicy(sql::Connection& db, const std::string& problem_id, const std::string& type,
              int version) {
  sql::Query ins(db,
                 "INSERT INTO problem_policies(problem_id, message_type, version)"
                 " VALUES(?,?,?) ON CONFLICT DO NOTHING");
  ins.Bind(1, problem_id);
  ins.Bind(2, type);
  ins.Bind(3, version);
  ins.Exec();
  sql::Query q(db, "SELECT version FROM problem_policies WHERE problem_id=? AND message_type=?");
  q.Bind(1, problem_id);
  q.Bind(2, type);
  q.Step();
  return q.Int(0);
}

std::string GetMeta(sql::Connection& db, const std::string& key) {
  sql::Query q(db, "SELECT value FROM meta WHERE key=?");
  q.Bind(1, key);
  return q.Step() ? q.Text(0) : "";
}

void SetMeta(sql::Connection& db, const std::string& key, const std::string& value) {
  sql::Query s(db, sql::UpsertSql("meta", "key, value", "key"));
  s.Bind(1, key);
  s.Bind(2, value);
  s.Exec();
}

}  // namespace uplift::notify::store

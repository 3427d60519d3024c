// Outbox rows and the relay thread that publishes them.
#include "common/outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/ids.h"
#include "common/redis_sentinel.h"
#include "common/sql/query.h"
#include "common/status_macros.h"
#include "common/stream_trimmer.h"
#include "common/suite_catalog.h"
#include "common/time_util.h"

namespace uplift {

absl::StatusOr<std::string> Outbox::Append(sql::Connection& tx, absl::string_view subject,
                                           const google::protobuf::Message& payload) const {
  ASSIGN_OR_RETURN(const std::string stream, StreamOfMessage(payload.GetDescriptor()));
  std::string bytes;
  if (!payload.SerializeToString(&bytes)) {
    return absl::InternalError("outbox: payload does not serialize");
  }
  const std::string subject_text(subject);
  sql::Query bump(tx,
                  "INSERT INTO subject_versions(subject, version) VALUES(?, 1)"
                  " ON CONFLICT(subject) DO UPDATE SET version=subject_versions.version+1"
                  " RETURNING version");
  bump.Bind(1, subject_text);
  if (!bump.Step()) return absl::InternalError("outbox: no subject version");
  const int64_t version = bump.Int64(0);
  bump.Reset();

  // The stream entry id is stamped by the relay (ClaimBatch), not here: one
  // row per stream stamped by every writer made all of a stream's writers
  // conflict on PostgreSQL.
  const absl::Time now = clock_->Now();
  const std::string event_id = NewUuid();
  sql::Query insert(tx,
                    "INSERT INTO outbox(stream, event_id, type, source, subject,"
                    " occurred_at, payload, version, entry_ms) VALUES(?,?,?,?,?,?,?,?,0)");
  insert.Bind(1, stream);
  insert.Bind(2, event_id);
  insert.Bind(3, payload.GetDescriptor()->full_name());
  insert.Bind(4, source_);
  insert.Bind(5, subject_text);
  insert.Bind(6, FormatRfc3339(now));
  insert.BindBlob(7, bytes);
  insert.Bind(8, version);
  insert.Exec();
  return event_id;
}

struct OutboxRelay::Row {
  int64_t seq;
  int64_t entry_ms;
  std::string stream;
  StreamEvent event;
  std::string EntryId() const { return absl::StrCat(entry_ms, "-", seq); }
};

OutboxRelay::OutboxRelay(sql::Store* db, RedisClient* redis, const Clock* clock,
                         const EventSigner* signer, OutboxRelayOptions options)
    : db_(db),
      redis_(redis),
      clock_(clock),
      signer_(signer),
      options_(options),
      lease_(db, clock, "outbox-relay", options.holder) {
  commit_listener_ = db_->AddCommitListener([this] {
    {
      std::lock_guard<std::mutex> lock(mu_);
      wake_ = true;
    }
    cv_.notify_one();
  });
}

OutboxRelay::~OutboxRelay() {
  db_->RemoveCommitListener(commit_listener_);  // no wake-up reaches a relay gone
  Stop();
}

void OutboxRelay::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  lease_.Release();
}

bool OutboxRelay::AlreadyInStream(const Row& row) {
  const std::string id = row.EntryId();
  absl::StatusOr<RedisReply> found = redis_->Command({"XRANGE", row.stream, id, id});
  if (!found.ok() || found->elements.size() != 1) return false;
  absl::StatusOr<StreamEvent> entry = ParseStreamEntry(found->elements[0]);
  return entry.ok() && entry->event_id == row.event.event_id;
}

absl::Status OutboxRelay::Restamp(const std::string& stream, int64_t seq) {
  ASSIGN_OR_RETURN(RedisReply last, redis_->Command({"XREVRANGE", stream, "+", "-", "COUNT", "1"}));
  if (last.elements.empty() || last.elements[0].elements.empty()) return absl::OkStatus();
  const StreamId top = ParseStreamId(last.elements[0].elements[0].str);
  const int64_t past = static_cast<int64_t>(top.ms) + 1;
  spdlog::error("outbox relay: {} is ahead of this outbox (its last entry is {}): was the "
                "database restored? unsent events from seq {} move past it",
                stream, last.elements[0].elements[0].str, seq);
  return db_->Write([&](sql::Connection& tx) {
    sql::Query rows(tx,
                    "UPDATE outbox SET entry_ms=CASE WHEN entry_ms > ?1 THEN entry_ms ELSE ?1 END"
                    " WHERE stream=?2 AND"
                    " sent_at IS NULL AND seq>=?3");
    rows.Bind(1, past);
    rows.Bind(2, stream);
    rows.Bind(3, seq);
    rows.Exec();
    sql::Query last_ms(
        tx,
        "UPDATE outbox_streams SET last_ms=CASE WHEN last_ms > ?1 THEN last_ms ELSE ?1 END"
        " WHERE stream=?2");
    last_ms.Bind(1, past);
    last_ms.Bind(2, stream);
    last_ms.Exec();
    return absl::OkStatus();
  });
}

absl::Status OutboxRelay::WaitForReplicas() {
  // Only replicas the master has: after a failover the promoted replica
  // stands alone until its old master comes back as its replica, and
  // escalations must flow meanwhile (the master's AOF keeps them, as on a
  // single Redis). A replica that is attached but behind is waited for.
  ASSIGN_OR_RETURN(RedisReply info, redis_->Command({"INFO", "replication"}));
  const int attached = AttachedReplicas(info.str);
  const int wanted = std::min(options_.wait_replicas, attached);
  if (wanted < options_.wait_replicas && !short_of_replicas_) {
    spdlog::warn(
        "outbox: the Redis master has {} of the {} replicas to wait for; entries are "
        "marked sent once {} have them",
        attached, options_.wait_replicas, wanted);
  }
  short_of_replicas_ = wanted < options_.wait_replicas;
  if (wanted == 0) return absl::OkStatus();
  const int64_t timeout_ms = absl::ToInt64Milliseconds(options_.wait_timeout);
  ASSIGN_OR_RETURN(
      RedisReply acked,
      redis_->CommandWithTimeout({"WAIT", std::to_string(wanted), std::to_string(timeout_ms)},
                                 options_.wait_timeout + absl::Seconds(2)));
  if (acked.integer < wanted) {
    return absl::UnavailableError(absl::StrCat("only ", acked.integer, " of ", wanted,
                                               " Redis replicas have the entries within ",
                                               timeout_ms, " ms"));
  }
  return absl::OkStatus();
}

std::vector<OutboxRelay::Row> OutboxRelay::SelectUnsent(sql::Connection& db,
                                                        const std::vector<std::string>& waiting) {
  std::string sql =
      "SELECT seq, stream, event_id, type, source, subject, occurred_at, payload, version,"
      " entry_ms FROM outbox WHERE sent_at IS NULL";
  if (!waiting.empty()) {
    absl::StrAppend(&sql, " AND stream NOT IN (",
                    absl::StrJoin(std::vector<std::string>(waiting.size(), "?"), ","), ")");
  }
  absl::StrAppend(&sql, " ORDER BY seq LIMIT ?");
  sql::Query q(db, sql);
  int bind = 1;
  for (const std::string& s : waiting) q.Bind(bind++, s);
  q.Bind(bind, options_.batch_size);
  std::vector<Row> rows;
  while (q.Step()) {
    Row r;
    r.seq = q.Int64(0);
    r.stream = q.Text(1);
    r.event.event_id = q.Text(2);
    r.event.type = q.Text(3);
    r.event.source = q.Text(4);
    r.event.subject = q.Text(5);
    r.event.occurred_at = q.Text(6);
    r.event.payload = q.Blob(7);
    r.event.version = q.Int64(8);
    r.entry_ms = q.Int64(9);
    rows.push_back(std::move(r));
  }
  return rows;
}

absl::StatusOr<std::vector<OutboxRelay::Row>> OutboxRelay::ClaimBatch(
    const std::vector<std::string>& waiting, absl::Time now) {
  // A read, and a write only when rows need their ids: the relay wakes on
  // every commit of this process, so a write on every pass, idle ones too,
  // would wake it with its own commit for ever.
  std::vector<Row> rows;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    rows = SelectUnsent(db, waiting);
    return absl::OkStatus();
  }));
  const bool unstamped =
      std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.entry_ms == 0; });
  if (unstamped) {
    RETURN_IF_ERROR(db_->Write([&](sql::Connection& db) {
      rows = SelectUnsent(db, waiting);               // afresh: a write may run again (store.h)
      std::map<std::string, int64_t> last_unstamped;  // stream -> its highest unstamped seq
      for (const Row& r : rows) {
        if (r.entry_ms == 0) last_unstamped[r.stream] = r.seq;
      }
      for (const auto& [stream, last_seq] : last_unstamped) {
        ASSIGN_OR_RETURN(const int64_t ms, StampStream(db, stream, last_seq, now));
        for (Row& r : rows) {
          if (r.stream == stream && r.entry_ms == 0) r.entry_ms = ms;
        }
      }
      return absl::OkStatus();
    }));
  }
  // Rows stamped by an earlier pass whose XADD never happened go before the
  // ones stamped now, whatever their seq.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.entry_ms, a.seq) < std::tie(b.entry_ms, b.seq);
  });
  return rows;
}

absl::StatusOr<int64_t> OutboxRelay::StampStream(sql::Connection& tx, const std::string& stream,
                                                 int64_t last_seq, absl::Time now) {
  int64_t last_ms = 0;
  sql::Query last(tx, "SELECT last_ms FROM outbox_streams WHERE stream=?");
  last.Bind(1, stream);
  if (last.Step()) last_ms = last.Int64(0);
  // Past every id given before, so a row committed after a higher seq was
  // published still gets a larger id; never back with the clock.
  const int64_t ms = std::max<int64_t>(absl::ToUnixMillis(now), last_ms + 1);
  sql::Query keep(tx,
                  "INSERT INTO outbox_streams(stream, last_ms) VALUES(?1, ?2)"
                  " ON CONFLICT(stream) DO UPDATE SET last_ms=excluded.last_ms");
  keep.Bind(1, stream);
  keep.Bind(2, ms);
  keep.Exec();
  sql::Query rows(tx,
                  "UPDATE outbox SET entry_ms=?1 WHERE stream=?2 AND sent_at IS NULL"
                  " AND entry_ms=0 AND seq<=?3");
  rows.Bind(1, ms);
  rows.Bind(2, stream);
  rows.Bind(3, last_seq);
  rows.Exec();
  return ms;
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  if (!lease_.Hold()) return 0;
  const absl::Time now = clock_->Now();
  std::vector<std::string> waiting;  // streams backing off
  for (const auto& [stream, b] : backoff_) {
    if (b.first > now) waiting.push_back(stream);
  }
  ASSIGN_OR_RETURN(std::vector<Row> rows, ClaimBatch(waiting, now));
  if (rows.empty()) return 0;

  std::vector<std::vector<std::string>> commands;
  commands.reserve(rows.size());
  for (Row& r : rows) {
    signer_->Sign(r.stream, &r.event);
    commands.push_back(XAddCommand(r.stream, r.EntryId(), r.event));
  }
  ASSIGN_OR_RETURN(auto replies, redis_->Pipeline(commands));

  std::vector<int64_t> sent;
  std::map<std::string, int64_t> restamp;  // stream -> first seq to move
  std::set<std::string> failed;
  absl::Status first_error;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (replies[i].ok()) {
      sent.push_back(r.seq);
      continue;
    }
    const absl::Status& error = replies[i].status();
    if (absl::StrContains(error.message(), "equal or smaller")) {
      if (AlreadyInStream(r)) {  // sent before, not marked: a re-send
        sent.push_back(r.seq);
        continue;
      }
      auto [first, added] = restamp.emplace(r.stream, r.seq);
      if (!added) first->second = std::min(first->second, r.seq);
    }
    if (failed.insert(r.stream).second && first_error.ok()) {
      first_error = absl::Status(error.code(), absl::StrCat(r.stream, ": ", error.message()));
    }
  }
  if (!sent.empty() && options_.wait_replicas > 0) {
    const absl::Status replicated = WaitForReplicas();
    if (!replicated.ok()) {
      // On the master only: left unsent, sent again (and found in the
      // stream) once the replicas are back.
      sent.clear();
      for (const Row& r : rows) failed.insert(r.stream);
      if (first_error.ok()) first_error = replicated;
    }
  }
  if (!sent.empty()) {
    const std::string at = FormatRfc3339(now);
    RETURN_IF_ERROR(db_->Write([&](sql::Connection& db) {
      sql::Query mark(db, "UPDATE outbox SET sent_at=? WHERE seq=?");
      for (int64_t seq : sent) {
        mark.Bind(1, at);
        mark.Bind(2, seq);
        mark.Exec();
        mark.Reset();
      }
      return absl::OkStatus();
    }));
  }
  for (const auto& [stream, seq] : restamp) RETURN_IF_ERROR(Restamp(stream, seq));
  for (const Row& r : rows) {
    if (failed.count(r.stream)) {
      auto& [until, step] = backoff_[r.stream];
      step = step == absl::ZeroDuration() ? absl::Milliseconds(100)
                                          : std::min(step * 2, options_.max_backoff);
      until = now + step;
      if (step == absl::Milliseconds(100)) {
        spdlog::warn("outbox relay: {} refuses events, they wait in the outbox: {}", r.stream,
                     first_error.ToString());
      }
    } else if (backoff_.erase(r.stream) > 0) {
      spdlog::info("outbox relay: publishing to {} again", r.stream);
    }
  }
  if (sent.empty() && !first_error.ok()) return first_error;
  return static_cast<int>(sent.size());
}

absl::StatusOr<int64_t> OutboxRelay::PendingCount() {
  int64_t count = 0;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    sql::Query q(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
    if (q.Step()) count = q.Int64(0);
    return absl::OkStatus();
  }));
  return count;
}

absl::Status OutboxRelay::PurgeSent() {
  const std::string cutoff = FormatRfc3339(clock_->Now() - options_.retention);
  return db_->Write([&](sql::Connection& db) {
    sql::Query del(db, "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?");
    del.Bind(1, cutoff);
    del.Exec();
    return absl::OkStatus();
  });
}

void OutboxRelay::TrimStreams() {
  for (const suite::v1::Stream* stream : StreamsPublishedBy(options_.service)) {
    absl::StatusOr<TrimOutcome> trimmed = TrimStream(*redis_, *stream, clock_->Now());
    if (!trimmed.ok()) {
      spdlog::warn("outbox relay: cannot trim {}: {}", stream->name(), trimmed.status().ToString());
    } else if (trimmed->removed > 0) {
      spdlog::info("outbox relay: trimmed {} entries of {} below {}", trimmed->removed,
                   stream->name(), trimmed->min_id);
    }
  }
}

void OutboxRelay::Run() {
  absl::Duration backoff = absl::Milliseconds(100);
  bool failing = false;
  absl::Time next_purge = clock_->Now();
  absl::Time next_trim = clock_->Now();
  for (;;) {
    ++passes_;
    absl::StatusOr<int> published = PublishBatch();
    absl::Duration wait = options_.poll_interval;
    if (!published.ok()) {
      if (!failing) {
        spdlog::warn("outbox relay: cannot publish, events wait in the outbox: {}",
                     published.status().ToString());
      }
      failing = true;
      wait = backoff;
      backoff = std::min(backoff * 2, options_.max_backoff);
    } else {
      if (failing) spdlog::info("outbox relay: publishing again");
      failing = false;
      backoff = absl::Milliseconds(100);
      if (*published == options_.batch_size) wait = absl::ZeroDuration();
    }
    const absl::Time now = clock_->Now();
    if (now >= next_purge && lease_.Hold()) {
      absl::Status purged = PurgeSent();
      if (!purged.ok()) spdlog::warn("outbox relay: purge failed: {}", purged.ToString());
      next_purge = now + absl::Hours(1);
    }
    if (now >= next_trim && !options_.service.empty() && lease_.Hold()) {
      TrimStreams();
      next_trim = now + options_.trim_interval;
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (stop_) return;
    if (wait > absl::ZeroDuration()) {
      // After a failure, wait out the backoff even if commits wake us.
      if (failing) {
        cv_.wait_for(lock, absl::ToChronoMilliseconds(wait), [this] { return stop_; });
      } else {
        cv_.wait_for(lock, absl::ToChronoMilliseconds(wait), [this] { return stop_ || wake_; });
      }
    }
    wake_ = false;
    if (stop_) return;
  }
}

}  // namespace uplift

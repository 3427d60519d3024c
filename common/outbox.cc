// Outbox rows and the relay thread that publishes them.
#include "common/outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/ids.h"
#include "common/statement_cache.h"
#include "common/status_macros.h"
#include "common/stream_trimmer.h"
#include "common/suite_catalog.h"
#include "common/time_util.h"

namespace uplift {

absl::StatusOr<std::string> Outbox::Append(SQLite::Database& tx, absl::string_view subject,
                                           const google::protobuf::Message& payload) const {
  ASSIGN_OR_RETURN(const std::string stream, StreamOfMessage(payload.GetDescriptor()));
  std::string bytes;
  if (!payload.SerializeToString(&bytes)) {
    return absl::InternalError("outbox: payload does not serialize");
  }
  const std::string subject_text(subject);
  CachedStatement bump(tx,
                       "INSERT INTO subject_versions(subject, version) VALUES(?, 1)"
                       " ON CONFLICT(subject) DO UPDATE SET version=version+1"
                       " RETURNING version");
  bump.bind(1, subject_text);
  if (!bump.executeStep()) return absl::InternalError("outbox: no subject version");
  const int64_t version = bump.getColumn(0).getInt64();
  bump.reset();

  // The entry's time part never goes back, whatever the clock does, so
  // "<ms>-<seq>" grows with seq on every stream.
  const absl::Time now = clock_->Now();
  CachedStatement stamp(tx,
                        "INSERT INTO outbox_streams(stream, last_ms) VALUES(?1, ?2)"
                        " ON CONFLICT(stream) DO UPDATE SET last_ms=MAX(last_ms, ?2)"
                        " RETURNING last_ms");
  stamp.bind(1, stream);
  stamp.bind(2, std::max<int64_t>(1, absl::ToUnixMillis(now)));
  if (!stamp.executeStep()) return absl::InternalError("outbox: no stream stamp");
  const int64_t entry_ms = stamp.getColumn(0).getInt64();
  stamp.reset();

  const std::string event_id = NewUuid();
  CachedStatement insert(tx,
                         "INSERT INTO outbox(stream, event_id, type, source, subject,"
                         " occurred_at, payload, version, entry_ms) VALUES(?,?,?,?,?,?,?,?,?)");
  insert.bind(1, stream);
  insert.bind(2, event_id);
  insert.bind(3, payload.GetDescriptor()->full_name());
  insert.bind(4, source_);
  insert.bind(5, subject_text);
  insert.bind(6, FormatRfc3339(now));
  insert.bind(7, bytes.data(), static_cast<int>(bytes.size()));
  insert.bind(8, version);
  insert.bind(9, entry_ms);
  insert.exec();
  return event_id;
}

struct OutboxRelay::Row {
  int64_t seq;
  int64_t entry_ms;
  std::string stream;
  StreamEvent event;
  std::string EntryId() const { return absl::StrCat(entry_ms, "-", seq); }
};

OutboxRelay::OutboxRelay(Database* db, RedisClient* redis, const Clock* clock,
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
  return db_->Write([&](SQLite::Database& tx) {
    CachedStatement rows(tx,
                         "UPDATE outbox SET entry_ms=MAX(entry_ms, ?) WHERE stream=? AND"
                         " sent_at IS NULL AND seq>=?");
    rows.bind(1, past);
    rows.bind(2, stream);
    rows.bind(3, seq);
    rows.exec();
    CachedStatement last_ms(tx, "UPDATE outbox_streams SET last_ms=MAX(last_ms, ?) WHERE stream=?");
    last_ms.bind(1, past);
    last_ms.bind(2, stream);
    last_ms.exec();
    return absl::OkStatus();
  });
}

absl::Status OutboxRelay::WaitForReplicas() {
  const int64_t timeout_ms = absl::ToInt64Milliseconds(options_.wait_timeout);
  ASSIGN_OR_RETURN(RedisReply acked,
                   redis_->CommandWithTimeout(
                       {"WAIT", std::to_string(options_.wait_replicas), std::to_string(timeout_ms)},
                       options_.wait_timeout + absl::Seconds(2)));
  if (acked.integer < options_.wait_replicas) {
    return absl::UnavailableError(
        absl::StrCat("only ", acked.integer, " of ", options_.wait_replicas,
                     " Redis replicas have the entries within ", timeout_ms, " ms"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  if (!lease_.Hold()) return 0;
  const absl::Time now = clock_->Now();
  std::vector<std::string> waiting;  // streams backing off
  for (const auto& [stream, b] : backoff_) {
    if (b.first > now) waiting.push_back(stream);
  }
  std::vector<Row> rows;
  RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) {
    std::string sql =
        "SELECT seq, stream, event_id, type, source, subject, occurred_at, payload, version,"
        " entry_ms FROM outbox WHERE sent_at IS NULL";
    if (!waiting.empty()) {
      absl::StrAppend(&sql, " AND stream NOT IN (",
                      absl::StrJoin(std::vector<std::string>(waiting.size(), "?"), ","), ")");
    }
    absl::StrAppend(&sql, " ORDER BY seq LIMIT ?");
    CachedStatement q(db, sql);
    int bind = 1;
    for (const std::string& s : waiting) q.bind(bind++, s);
    q.bind(bind, options_.batch_size);
    while (q.executeStep()) {
      Row r;
      r.seq = q.getColumn(0).getInt64();
      r.stream = q.getColumn(1).getString();
      r.event.event_id = q.getColumn(2).getString();
      r.event.type = q.getColumn(3).getString();
      r.event.source = q.getColumn(4).getString();
      r.event.subject = q.getColumn(5).getString();
      r.event.occurred_at = q.getColumn(6).getString();
      const SQLite::Column payload = q.getColumn(7);
      r.event.payload.assign(static_cast<const char*>(payload.getBlob()), payload.getBytes());
      r.event.version = q.getColumn(8).getInt64();
      r.entry_ms = q.getColumn(9).getInt64();
      rows.push_back(std::move(r));
    }
    return absl::OkStatus();
  }));
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
      if (!failed.count(r.stream)) restamp.emplace(r.stream, r.seq);
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
    RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) {
      CachedStatement mark(db, "UPDATE outbox SET sent_at=? WHERE seq=?");
      for (int64_t seq : sent) {
        mark.bind(1, at);
        mark.bind(2, seq);
        mark.exec();
        mark.reset();
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
  RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) {
    CachedStatement q(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
    if (q.executeStep()) count = q.getColumn(0).getInt64();
    return absl::OkStatus();
  }));
  return count;
}

absl::Status OutboxRelay::PurgeSent() {
  const std::string cutoff = FormatRfc3339(clock_->Now() - options_.retention);
  return db_->Write([&](SQLite::Database& db) {
    CachedStatement del(db, "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?");
    del.bind(1, cutoff);
    del.exec();
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

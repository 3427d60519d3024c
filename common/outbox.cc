// Outbox rows and the relay thread that publishes them.
#include "common/outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/status_macros.h"
#include "common/stream_event.h"
#include "common/time_util.h"

namespace uplift {

absl::StatusOr<std::string> Outbox::Append(SQLite::Database& tx, absl::string_view stream,
                                           absl::string_view subject,
                                           const google::protobuf::Message& payload) const {
  std::string bytes;
  if (!payload.SerializeToString(&bytes)) {
    return absl::InternalError("outbox: payload does not serialize");
  }
  const std::string event_id = NewUuid();
  SQLite::Statement insert(tx,
                           "INSERT INTO outbox(stream, event_id, type, source, subject,"
                           " occurred_at, payload) VALUES(?,?,?,?,?,?,?)");
  insert.bind(1, std::string(stream));
  insert.bind(2, event_id);
  insert.bind(3, payload.GetDescriptor()->full_name());
  insert.bind(4, source_);
  insert.bind(5, std::string(subject));
  insert.bind(6, FormatRfc3339(clock_->Now()));
  insert.bind(7, bytes.data(), static_cast<int>(bytes.size()));
  insert.exec();
  return event_id;
}

OutboxRelay::OutboxRelay(Database* db, RedisClient* redis, const Clock* clock,
                         OutboxRelayOptions options)
    : db_(db), redis_(redis), clock_(clock), options_(options) {
  db_->AddCommitListener([this] {
    {
      std::lock_guard<std::mutex> lock(mu_);
      wake_ = true;
    }
    cv_.notify_one();
  });
}

OutboxRelay::~OutboxRelay() { Stop(); }

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
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  struct Row {
    int64_t seq;
    std::string stream;
    StreamEvent event;
  };
  std::vector<Row> rows;
  RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) {
    SQLite::Statement q(db,
                        "SELECT seq, stream, event_id, type, source, subject, occurred_at, payload"
                        " FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?");
    q.bind(1, options_.batch_size);
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
      r.event.payload.assign(static_cast<const char*>(payload.getBlob()),
                             payload.getBytes());
      rows.push_back(std::move(r));
    }
    return absl::OkStatus();
  }));
  if (rows.empty()) return 0;

  std::vector<std::vector<std::string>> commands;
  commands.reserve(rows.size());
  for (const Row& r : rows) commands.push_back(XAddCommand(r.stream, r.event));
  ASSIGN_OR_RETURN(auto replies, redis_->Pipeline(commands));

  // Mark the leading run that Redis accepted; stop at the first failure so
  // the stream keeps the outbox order.
  size_t published = 0;
  absl::Status first_error;
  for (; published < replies.size(); ++published) {
    if (!replies[published].ok()) {
      first_error = replies[published].status();
      break;
    }
  }
  if (published > 0) {
    const std::string now = FormatRfc3339(clock_->Now());
    RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) {
      SQLite::Statement mark(db, "UPDATE outbox SET sent_at=? WHERE seq=?");
      for (size_t i = 0; i < published; ++i) {
        mark.bind(1, now);
        mark.bind(2, static_cast<int64_t>(rows[i].seq));
        mark.exec();
        mark.reset();
      }
      return absl::OkStatus();
    }));
  }
  if (!first_error.ok() && published == 0) return first_error;
  return static_cast<int>(published);
}

absl::StatusOr<int64_t> OutboxRelay::PendingCount() {
  int64_t count = 0;
  RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
    if (q.executeStep()) count = q.getColumn(0).getInt64();
    return absl::OkStatus();
  }));
  return count;
}

absl::Status OutboxRelay::PurgeSent() {
  const std::string cutoff = FormatRfc3339(clock_->Now() - options_.retention);
  return db_->Write([&](SQLite::Database& db) {
    SQLite::Statement del(db, "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?");
    del.bind(1, cutoff);
    del.exec();
    return absl::OkStatus();
  });
}

void OutboxRelay::Run() {
  absl::Duration backoff = absl::Milliseconds(100);
  bool failing = false;
  absl::Time next_purge = clock_->Now();
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
    if (clock_->Now() >= next_purge) {
      absl::Status purged = PurgeSent();
      if (!purged.ok()) spdlog::warn("outbox relay: purge failed: {}", purged.ToString());
      next_purge = clock_->Now() + absl::Hours(1);
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (stop_) return;
    if (wait > absl::ZeroDuration()) {
      // After a failure, wait out the backoff even if commits wake us.
      if (failing) {
        cv_.wait_for(lock, absl::ToChronoMilliseconds(wait), [this] { return stop_; });
      } else {
        cv_.wait_for(lock, absl::ToChronoMilliseconds(wait),
                     [this] { return stop_ || wake_; });
      }
    }
    wake_ = false;
    if (stop_) return;
  }
}

}  // namespace uplift

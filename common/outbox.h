// The transactional outbox (DESIGN.md): a state change and its event are
// written in one SQLite transaction; OutboxRelay moves unsent rows to Redis
// Streams and marks them sent. Redis down means events wait, never vanish.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include "absl/strings/string_view.h"
#include <thread>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/redis_client.h"
#include "common/sqlite_db.h"

namespace uplift {

class Outbox {
 public:
  Outbox(std::string source, const Clock* clock) : source_(std::move(source)), clock_(clock) {}

  // Adds an event to `stream` inside the caller's open transaction; returns
  // its event_id. The type is the payload's protobuf full name.
  absl::StatusOr<std::string> Append(SQLite::Database& tx, absl::string_view stream,
                                     absl::string_view subject,
                                     const google::protobuf::Message& payload) const;

 private:
  const std::string source_;
  const Clock* clock_;
};

struct OutboxRelayOptions {
  int batch_size = 256;
  absl::Duration poll_interval = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(5);
  absl::Duration retention = absl::Hours(24 * 7);  // sent rows kept this long
};

class OutboxRelay {
 public:
  OutboxRelay(Database* db, RedisClient* redis, const Clock* clock,
              OutboxRelayOptions options = {});
  ~OutboxRelay();

  // Starts the relay thread; it wakes on every commit of `db`.
  void Start();
  // Stops after the batch in flight.
  void Stop();

  // One pass: publishes up to batch_size pending rows in order and marks the
  // published ones sent. Returns how many were published.
  absl::StatusOr<int> PublishBatch();
  absl::StatusOr<int64_t> PendingCount();
  // Deletes sent rows older than the retention.
  absl::Status PurgeSent();

 private:
  void Run();

  Database* const db_;
  RedisClient* const redis_;
  const Clock* const clock_;
  const OutboxRelayOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace uplift

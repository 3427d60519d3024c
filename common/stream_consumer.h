// A consumer in a Redis Streams consumer group (DESIGN.md): reads new
// entries with XREADGROUP, hands each to a handler, acknowledges (XACK) only
// after the handler says its effect is durable, reclaims entries a dead
// consumer held once they have been idle long enough (XPENDING + XCLAIM),
// and moves an entry that failed `max_deliveries` times, or whose envelope
// does not parse, to `uplift:dlq:<stream>` so it never blocks the rest.
// Handlers must be idempotent by event_id (see MarkEventProcessed): Redis
// may deliver an entry again.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis_client.h"
#include "common/stream_event.h"

namespace uplift {

struct ConsumerOptions {
  std::string stream;
  std::string group;
  std::string consumer;  // unique per process, e.g. "<host>-<pid>"
  int batch = 64;
  absl::Duration block = absl::Seconds(1);        // XREADGROUP BLOCK
  absl::Duration claim_idle = absl::Seconds(30);  // reclaim entries pending this long
  int max_deliveries = 5;                         // then to the dead-letter stream
  // Where a new group starts: "0" reads the stream's history, "$" only new entries.
  std::string start_id = "0";
};

// Returns OK once the event's effect is durable; any error leaves the entry
// pending, to be retried after claim_idle.
using StreamHandler = std::function<absl::Status(const StreamEvent&)>;

class StreamConsumer {
 public:
  StreamConsumer(RedisClient* redis, ConsumerOptions options, StreamHandler handler);
  ~StreamConsumer();

  static std::string DeadLetterStream(const std::string& stream) { return "uplift:dlq:" + stream; }

  // Creates the group (and the stream) if missing.
  absl::Status EnsureGroup();
  // One round: dead-letters and reclaims stale pending entries, then reads
  // and handles new ones. Returns how many entries were handled OK.
  absl::StatusOr<int> PollOnce();

  // Runs PollOnce in a thread until Stop; Redis errors back off and retry.
  void Start();
  void Stop();

 private:
  absl::StatusOr<int> ReclaimStale();
  absl::StatusOr<int> ReadNew();
  // Handles one entry; acks it on success. Poison envelopes go to the DLQ.
  absl::StatusOr<bool> Handle(const RedisReply& entry);
  absl::Status DeadLetter(const RedisReply& entry, const std::string& reason, int deliveries);

  RedisClient* const redis_;
  const ConsumerOptions options_;
  const StreamHandler handler_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  bool group_ready_ = false;
};

}  // namespace uplift

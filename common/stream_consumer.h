// A consumer in a Redis Streams consumer group (DESIGN.md): reads new
// entries with XREADGROUP, hands each to a handler, acknowledges (XACK) only
// after the handler says its effect is durable, reclaims entries a dead
// consumer held once they have been idle long enough (XPENDING + XCLAIM),
// and moves to `uplift:dlq:<stream>` an entry that failed `max_deliveries`
// times, whose envelope does not parse, or that its handler calls poison
// (a forged signature, a payload that can never parse). Nothing it cannot
// handle blocks the rest.
//
// Only the handler's own failures count towards max_deliveries. The
// entry's delivery counter in Redis is kept as 1 + its failures: a reclaim
// sets it (XCLAIM RETRYCOUNT) instead of letting XCLAIM add one, and a
// failure of the entry adds one (XCLAIM ... RETRYCOUNT n+1 JUSTID). So a
// consumer killed while handling an entry (kill -9, a redeploy) does not
// use up its deliveries, and neither does a failure of what the handler
// stands on (IsTransient: the database or another service unavailable, a
// serialization conflict, a deadline): an outage longer than
// max_deliveries x claim_idle leaves entries pending, retried every
// claim_idle, never dead letters. (An entry that kills its consumer every
// time is retried every claim_idle; the crashes are what to fix.)
//
// Handlers must be idempotent (EventRouter is): Redis may deliver an entry
// again. An entry that fails once stays pending and comes back after
// claim_idle, by which time newer entries may have been applied; the
// router's versions make that late entry harmless. An XACK that fails does
// not hold up the batch: the acknowledgement is retried next round.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
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

// Returns OK once the event's effect is durable; a poison status sends the
// entry to the dead letters at once; any other error leaves it pending, to
// be retried after claim_idle.
using StreamHandler = std::function<absl::Status(const StreamEvent&)>;
// The same for each of the events of one read, in order: a handler that
// makes them durable together (one commit for all, as EventRouter does)
// spends one disk flush on a whole batch.
using StreamBatchHandler =
    std::function<std::vector<absl::Status>(const std::vector<StreamEvent>&)>;

// A status that means "this entry can never be handled".
absl::Status PoisonError(absl::string_view why);
bool IsPoison(const absl::Status& status);
// A failure of what the handler depends on, not of the entry:
// UNAVAILABLE, ABORTED, DEADLINE_EXCEEDED.
bool IsTransient(const absl::Status& status);

class StreamConsumer {
 public:
  StreamConsumer(RedisClient* redis, ConsumerOptions options, StreamHandler handler);
  StreamConsumer(RedisClient* redis, ConsumerOptions options, StreamBatchHandler handler);
  ~StreamConsumer();

  // Creates the group (and the stream) if missing.
  absl::Status EnsureGroup();
  // One round: retries failed acknowledgements, dead-letters and reclaims
  // stale pending entries, then reads and handles new ones. Returns how
  // many entries were handled OK. A group gone from Redis (NOGROUP) is made
  // again, from start_id, on the next round.
  absl::StatusOr<int> PollOnce();

  // Runs PollOnce in a thread until Stop; Redis errors back off and retry.
  void Start();
  void Stop();

  const ConsumerOptions& options() const { return options_; }

 private:
  absl::StatusOr<int> PollGroup();  // PollOnce but for a lost group
  absl::StatusOr<int> ReclaimStale();
  absl::StatusOr<int> ReadNew();
  // Handles entries together; acks those handled (in one XACK). Poison and
  // entries whose envelope does not parse go to the DLQ. Returns how many
  // were handled OK.
  // `failed` gets the ids of entries whose handling failed by their own
  // fault (not transiently, not poison).
  absl::StatusOr<int> Handle(const std::vector<const RedisReply*>& entries,
                             std::vector<std::string>* failed);
  // Counts a failure of entries whose counter stood at `deliveries`.
  absl::Status CountFailures(const std::vector<std::string>& entry_ids, int deliveries);
  absl::Status DeadLetter(const RedisReply& entry, const std::string& reason, int deliveries);
  // XACK now, or remember them for the next round.
  void Acknowledge(const std::vector<std::string>& entry_ids);
  absl::Status RetryAcknowledgements();

  RedisClient* const redis_;
  const ConsumerOptions options_;
  const StreamBatchHandler handler_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  bool group_ready_ = false;
  std::vector<std::string> unacknowledged_;
};

}  // namespace uplift

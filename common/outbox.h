// The transactional outbox (DESIGN.md): a state change and its event are
// written in one database transaction; OutboxRelay moves unsent rows to
// Redis Streams and marks them sent. Redis down means events wait, never
// vanish.
//
// Contract:
// - An event goes to the one stream its message type is bound to
//   (uplift.suite.v1.stream); it describes one subject ("enterprise/<code>")
//   and carries that subject's next version, so consumers apply only newer
//   state whatever order entries reach them in.
// - Each row has a stream entry id of its own, "<ms>-<outbox seq>", fixed by
//   the relay in a transaction of its own before the row's first XADD (not
//   by the writer: one stamp row per stream made every writer of a stream
//   conflict with the others on PostgreSQL). Each pass's ms is past every
//   earlier one of the stream, so a row whose transaction committed after a
//   higher seq was published still gets a larger id. Re-sending a row (after a crash between XADD
//   and marking it sent, or by a second relay) cannot make a second entry: Redis refuses an id it
//   has, and the relay then finds the entry and marks the row sent.
// - Progress is per stream: a stream Redis refuses waits with its own
//   back-off while the others go on.
// - Among replicas sharing one database, only the holder of the
//   "outbox-relay" lease publishes.
// - The relay signs each envelope with the service's key as it publishes,
//   and trims the streams it publishes (StreamTrimmer).
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/event_signature.h"
#include "common/lease.h"
#include "common/redis_client.h"
#include "common/sql/store.h"

namespace uplift {

class Outbox {
 public:
  Outbox(std::string source, const Clock* clock) : source_(std::move(source)), clock_(clock) {}

  // Adds `payload` about `subject` to its message's stream inside the
  // caller's open transaction; returns its event_id.
  absl::StatusOr<std::string> Append(sql::Connection& tx, absl::string_view subject,
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
  absl::Duration trim_interval = absl::Minutes(1);  // how often the streams are trimmed
  std::string service;            // the publishing service, whose streams are trimmed
  std::string holder = "relay";   // this replica, for the lease
  // Rows are marked sent only once this many Redis replicas have the
  // entries (WAIT), so a master that dies before replicating them loses
  // nothing: they are published again to the promoted replica. Fewer when
  // the master has fewer replicas attached (after a failover, until the
  // old master is back as a replica); 0: once the master has them.
  int wait_replicas = 0;
  absl::Duration wait_timeout = absl::Seconds(1);
};

class OutboxRelay {
 public:
  // `signer` signs every envelope; it must outlive the relay.
  OutboxRelay(sql::Store* db, RedisClient* redis, const Clock* clock, const EventSigner* signer,
              OutboxRelayOptions options = {});
  ~OutboxRelay();

  // Starts the relay thread; it wakes on every commit of `db`.
  void Start();
  // Stops after the batch in flight and hands the lease over.
  void Stop();

  // One pass, if this replica holds the lease: publishes up to batch_size
  // pending rows of streams not backing off, in order, and marks the
  // published ones sent. Returns how many were marked sent. Fails only
  // when no row at all could be published.
  absl::StatusOr<int> PublishBatch();
  absl::StatusOr<int64_t> PendingCount();
  // Passes the relay thread has made (an idle relay makes one a poll_interval).
  int64_t passes() const { return passes_.load(); }
  // Deletes sent rows older than the retention.
  absl::Status PurgeSent();
  // Trims every stream this service publishes (see StreamTrimmer).
  void TrimStreams();

 private:
  struct Row;
  void Run();
  // Reads up to batch_size unsent rows of the streams not `waiting`, and
  // stamps those without an entry id, in one transaction; ordered by id.
  absl::StatusOr<std::vector<Row>> ClaimBatch(const std::vector<std::string>& waiting,
                                              absl::Time now);
  std::vector<Row> SelectUnsent(sql::Connection& db, const std::vector<std::string>& waiting);
  // Gives the unstamped unsent rows of `stream` up to `last_seq` one entry
  // time past every earlier one; returns it.
  absl::StatusOr<int64_t> StampStream(sql::Connection& tx, const std::string& stream,
                                      int64_t last_seq, absl::Time now);
  int commit_listener_ = -1;  // db_'s id of the listener waking this relay
  // WAIT for options_.wait_replicas replicas (at most those attached to
  // the master) to have this connection's writes; UNAVAILABLE when fewer
  // have them within wait_timeout.
  absl::Status WaitForReplicas();
  bool short_of_replicas_ = false;  // warned that the master has too few
  // The reply to a refused XADD: is the row's entry already in the stream?
  bool AlreadyInStream(const Row& row);
  // The stream is ahead of this outbox (a restored database): move the
  // unsent rows of `stream` from `seq` on past its last entry.
  absl::Status Restamp(const std::string& stream, int64_t seq);

  sql::Store* const db_;
  RedisClient* const redis_;
  const Clock* const clock_;
  const EventSigner* const signer_;
  const OutboxRelayOptions options_;
  Lease lease_;

  std::map<std::string, std::pair<absl::Time, absl::Duration>> backoff_;  // stream -> until, step
  std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  bool stop_ = false;
  std::thread thread_;
  std::atomic<int64_t> passes_{0};
};

}  // namespace uplift

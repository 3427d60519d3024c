// Keeps a RevocationList current from `uplift:revocations`: at start it
// reads the whole stream, then follows it (XREAD BLOCK), so a revocation
// reaches every replica of every service within seconds. Each entry's
// signature is checked like any event's (only uplift-registry publishes
// revocations); a forged one is logged and ignored. While Redis is
// unreachable, the revocations already read stay in force and the watcher
// retries; docs/security.md says what that window means.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/revocation_list.h"
#include "common/clock.h"
#include "common/event_signature.h"
#include "common/redis_client.h"

namespace uplift {

class RevocationWatcher {
 public:
  // `verifier` null accepts unsigned entries: unit tests only.
  RevocationWatcher(RedisClient* redis, const EventVerifier* verifier, RevocationList* list,
                    const Clock* clock);
  ~RevocationWatcher();

  // Reads what is new on the stream (blocking up to `block`); returns how
  // many revocations it added.
  absl::StatusOr<int> PollOnce(absl::Duration block = absl::Seconds(5));
  void Start();
  void Stop();

 private:
  RedisClient* const redis_;
  const EventVerifier* const verifier_;
  RevocationList* const list_;
  const Clock* const clock_;
  std::string last_id_ = "0-0";
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace uplift

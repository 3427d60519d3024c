// Sign-in attempts per client address: a token bucket of `burst` attempts
// refilled at `per_minute`, so one address cannot try passwords across
// many accounts faster than that (the per-account lockout stops guessing
// at one account). Forgets full buckets; holds at most 100,000 addresses
// (beyond that the fullest are forgotten first, which only helps them).
#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"

namespace uplift::web {

class SignInThrottle {
 public:
  SignInThrottle(const Clock* clock, int per_minute = 10, int burst = 10)
      : clock_(clock), per_minute_(per_minute), burst_(burst) {}

  // OK and one attempt spent, or RESOURCE_EXHAUSTED saying when to retry.
  absl::Status Attempt(const std::string& address);

 private:
  struct Bucket {
    double tokens;
    absl::Time at;
  };
  void Refill(Bucket& b, absl::Time now) const;
  void Forget(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  static constexpr size_t kMaxAddresses = 100000;
  const Clock* const clock_;
  const int per_minute_;
  const int burst_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace uplift::web

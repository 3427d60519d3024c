// What to do after a webhook attempt: done, try again later (network
// errors, timeouts, 408, 429, 5xx: exponential backoff from 1 s doubling
// to 5 min, with ±20 % jitter so receivers coming back are not stampeded),
// or give up (other 4xx at once; anything after `give_up_after`).
#pragma once

#include <random>

#include "absl/time/time.h"
#include "services/notify/webhook_sender.h"

namespace uplift::notify {

struct RetryPolicy {
  absl::Duration first = absl::Seconds(1);
  absl::Duration cap = absl::Minutes(5);
  absl::Duration give_up_after = absl::Hours(24);
  double jitter = 0.2;
};

enum class Outcome { kDelivered, kRetry, kDead };

struct Decision {
  Outcome outcome;
  absl::Time next_attempt;  // kRetry
  std::string reason;
};

// `attempts` counts this one; `first_attempt` is when the delivery was created.
Decision Decide(const WebhookResult& result, int attempts, absl::Time first_attempt, absl::Time now,
                const RetryPolicy& policy, std::mt19937_64& rng);

// The backoff before attempt `attempts + 1`, without jitter.
absl::Duration Backoff(int attempts, const RetryPolicy& policy);

}  // namespace uplift::notify

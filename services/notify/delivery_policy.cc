// Retry decisions for webhook deliveries.
#include "services/notify/delivery_policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace uplift::notify {

absl::Duration Backoff(int attempts, const RetryPolicy& policy) {
  absl::Duration d = policy.first;
  for (int i = 1; i < attempts && d < policy.cap; ++i) d *= 2;
  return std::min(d, policy.cap);
}

Decision Decide(const WebhookResult& r, int attempts, absl::Time first_attempt, absl::Time now,
                const RetryPolicy& policy, std::mt19937_64& rng) {
  if (r.http_status >= 200 && r.http_status < 300) return {Outcome::kDelivered, now, ""};
  const bool retryable = r.http_status == 0 || r.http_status == 408 || r.http_status == 429 ||
                         r.http_status >= 500;
  // A robot's errcode says more than the status it maps to.
  const std::string why =
      r.http_status == 0 || !r.error.empty() ? r.error : absl::StrCat("HTTP ", r.http_status);
  if (!retryable) {
    return {Outcome::kDead, now, absl::StrCat(why, ": the receiver refused it; not retried")};
  }
  if (now - first_attempt >= policy.give_up_after) {
    return {Outcome::kDead, now,
            absl::StrCat(why, ": still failing after ", absl::FormatDuration(policy.give_up_after))};
  }
  std::uniform_real_distribution<double> spread(1.0 - policy.jitter, 1.0 + policy.jitter);
  return {Outcome::kRetry, now + Backoff(attempts, policy) * spread(rng), why};
}

}  // namespace uplift::notify

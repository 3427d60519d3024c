// The per-address sign-in throttle.
#include "services/web/sign_in_throttle.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace uplift::web {

void SignInThrottle::Refill(Bucket& b, absl::Time now) const {
  const double minutes = absl::ToDoubleMinutes(now - b.at);
  if (minutes > 0) {
    b.tokens = std::min<double>(burst_, b.tokens + minutes * per_minute_);
    b.at = now;
  }
}

void SignInThrottle::Forget(absl::Time now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    if (it->second.tokens >= burst_) {
      buckets_.erase(it++);
    } else {
      ++it;
    }
  }
  while (buckets_.size() >= kMaxAddresses) {
    auto fullest = std::max_element(buckets_.begin(), buckets_.end(), [](auto& a, auto& b) {
      return a.second.tokens < b.second.tokens;
    });
    buckets_.erase(fullest);
  }
}

absl::Status SignInThrottle::Attempt(const std::string& address) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxAddresses) Forget(now);
    it = buckets_.emplace(address, Bucket{static_cast<double>(burst_), now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens < 1) {
    const int wait = static_cast<int>(std::ceil((1 - b.tokens) * 60.0 / per_minute_));
    return absl::ResourceExhaustedError(absl::StrCat(
        "too many sign-in attempts from this address; try again in ", wait, " seconds"));
  }
  b.tokens -= 1;
  return absl::OkStatus();
}

}  // namespace uplift::web

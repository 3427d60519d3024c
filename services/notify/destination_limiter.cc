// In-flight counts per destination.
#include "services/notify/destination_limiter.h"

namespace uplift::notify {

bool DestinationLimiter::TryAcquire(const std::string& destination) {
  std::lock_guard<std::mutex> lock(mu_);
  int& n = in_flight_[destination];
  if (n >= per_destination_) return false;
  ++n;
  return true;
}

void DestinationLimiter::Release(const std::string& destination) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = in_flight_.find(destination);
  if (it == in_flight_.end()) return;
  if (--it->second <= 0) in_flight_.erase(it);
}

}  // namespace uplift::notify

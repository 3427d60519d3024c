// Sliding-window send counts per robot channel.
#include "services/notify/robot_rate_limiter.h"

namespace uplift::notify {

std::optional<absl::Time> RobotRateLimiter::TryTake(const std::string& channel, absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  std::deque<absl::Time>& sent = sent_[channel];
  while (!sent.empty() && sent.front() <= now - window_) sent.pop_front();
  if (static_cast<int>(sent.size()) >= per_window_) return sent.front() + window_;
  sent.push_back(now);
  return std::nullopt;
}

}  // namespace uplift::notify

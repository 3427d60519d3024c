// A robot takes so many messages a minute (企业微信 and 钉钉: 20) and refuses
// the rest; we queue instead: a delivery that would exceed the limit waits
// until the oldest send leaves the window. Per channel, in this replica
// (replicas each keep their own count; a robot refusing the excess then
// answers its rate-limit errcode, which is retried).
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "absl/time/time.h"

namespace uplift::notify {

class RobotRateLimiter {
 public:
  RobotRateLimiter(int per_window, absl::Duration window)
      : per_window_(per_window), window_(window) {}
  // Counts a send to `channel` at `now` and returns nullopt if it may go;
  // otherwise counts nothing and returns when it may.
  std::optional<absl::Time> TryTake(const std::string& channel, absl::Time now);

 private:
  const int per_window_;
  const absl::Duration window_;
  std::mutex mu_;
  std::map<std::string, std::deque<absl::Time>> sent_;
};

}  // namespace uplift::notify

// How many webhook requests may be in flight to one destination (host and
// port) at once, in this replica: a slow or dead receiver then holds at
// most that many delivery workers, and every other unit's webhooks keep
// moving past it.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace uplift::notify {

class DestinationLimiter {
 public:
  explicit DestinationLimiter(int per_destination) : per_destination_(per_destination) {}
  // True if a request to `destination` may start now (then Release it).
  bool TryAcquire(const std::string& destination);
  void Release(const std::string& destination);

 private:
  const int per_destination_;
  std::mutex mu_;
  std::map<std::string, int> in_flight_;
};

}  // namespace uplift::notify

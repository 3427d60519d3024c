// The per-phone SMS limit.
#include "services/notify/sms_throttle.h"

#include <algorithm>

namespace uplift::notify {
namespace {

// With `sends` sorted, the time the window [t - window, t] holds fewer
// than `limit` of them again (nullopt: it does now).
std::optional<absl::Time> WindowFrees(const std::vector<absl::Time>& sends, absl::Time now,
                                      int limit, absl::Duration window) {
  std::vector<absl::Time> inside;
  for (absl::Time t : sends) {
    if (t > now - window) inside.push_back(t);
  }
  if (static_cast<int>(inside.size()) < limit) return std::nullopt;
  // The oldest send that must leave the window for one more to fit.
  return inside[inside.size() - limit] + window;
}

}  // namespace

std::optional<absl::Time> NextSmsAllowed(std::vector<absl::Time> sends, absl::Time now,
                                         const SmsLimits& limits) {
  std::sort(sends.begin(), sends.end());
  std::optional<absl::Time> a = WindowFrees(sends, now, limits.short_limit, limits.short_window);
  std::optional<absl::Time> b = WindowFrees(sends, now, limits.long_limit, limits.long_window);
  if (!a.has_value()) return b;
  if (!b.has_value()) return a;
  return std::max(*a, *b);
}

}  // namespace uplift::notify

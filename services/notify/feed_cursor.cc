// FeedCursor: the feed's read position and the holes below it.
#include "services/notify/feed_cursor.h"

namespace uplift::notify {

std::vector<int64_t> FeedCursor::Holes(absl::Time now) {
  std::vector<int64_t> out;
  for (auto it = holes_.begin(); it != holes_.end();) {
    if (it->second <= now) {
      it = holes_.erase(it);
    } else {
      out.push_back(it->first);
      ++it;
    }
  }
  return out;
}

bool FeedCursor::Take(int64_t seq, absl::Time now) {
  if (seq <= last_) return holes_.erase(seq) > 0;
  for (int64_t skipped = last_ + 1; skipped < seq && holes_.size() < max_holes_; ++skipped) {
    holes_.emplace(skipped, now + hole_life_);
  }
  last_ = seq;
  return true;
}

}  // namespace uplift::notify

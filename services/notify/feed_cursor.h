// Which rows of the feed table the hub has handed out. A row's number is
// taken when it is inserted and the row is seen when its transaction
// commits, so on PostgreSQL a row can appear below one already read (its
// writer took the number first and committed later). Rows above the
// highest seen are read as they come; each number skipped on the way is a
// hole, asked for again until its row appears or `hole_life` has passed (a
// write rolled back or run again leaves a hole for ever). On SQLite, whose
// writers commit one at a time in order, no hole outlives its write.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "absl/time/time.h"

namespace uplift::notify {

class FeedCursor {
 public:
  // Rows up to `start` count as handed out. At most `max_holes` are kept
  // (a jump of the sequence beyond them is not waited for).
  FeedCursor(int64_t start, absl::Duration hole_life, size_t max_holes = 10000)
      : last_(start), hole_life_(hole_life), max_holes_(max_holes) {}

  // The highest number seen.
  int64_t last() const { return last_; }
  // The holes still waited for at `now`, lowest first.
  std::vector<int64_t> Holes(absl::Time now);
  // Row `seq` was read at `now`: true if it is to be handed out (above
  // every row seen, or a hole's), false if it was handed out already.
  bool Take(int64_t seq, absl::Time now);

 private:
  int64_t last_;
  absl::Duration hole_life_;
  size_t max_holes_;
  std::map<int64_t, absl::Time> holes_;  // number -> given up on after
};

}  // namespace uplift::notify

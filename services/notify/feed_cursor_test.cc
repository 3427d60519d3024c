// FeedCursor: rows above the highest seen are handed out once; a number
// skipped on the way is handed out when its row turns up, once, until the
// hole expires.
#include "services/notify/feed_cursor.h"

#include <gtest/gtest.h>

namespace uplift::notify {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

TEST(FeedCursor, ARowBelowTheHighestSeenIsHandedOutOnceIfItsNumberWasSkipped) {
  FeedCursor cursor(10, absl::Seconds(30));
  EXPECT_TRUE(cursor.Take(11, kStart));
  EXPECT_TRUE(cursor.Take(14, kStart));  // 12 and 13 not committed yet
  EXPECT_EQ(cursor.last(), 14);
  EXPECT_EQ(cursor.Holes(kStart), (std::vector<int64_t>{12, 13}));
  EXPECT_TRUE(cursor.Take(13, kStart + absl::Seconds(1)));
  EXPECT_FALSE(cursor.Take(13, kStart + absl::Seconds(1))) << "handed out twice";
  EXPECT_FALSE(cursor.Take(11, kStart + absl::Seconds(1))) << "handed out twice";
  EXPECT_FALSE(cursor.Take(9, kStart)) << "below the start";
  EXPECT_EQ(cursor.Holes(kStart + absl::Seconds(1)), std::vector<int64_t>{12});
}

TEST(FeedCursor, AHoleIsGivenUpOnAfterItsLife) {
  FeedCursor cursor(0, absl::Seconds(30));
  EXPECT_TRUE(cursor.Take(3, kStart));
  EXPECT_EQ(cursor.Holes(kStart + absl::Seconds(29)), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(cursor.Holes(kStart + absl::Seconds(30)).empty());
  EXPECT_FALSE(cursor.Take(2, kStart + absl::Seconds(31))) << "a row past its hole's life";
}

TEST(FeedCursor, AJumpOfTheSequenceKeepsAtMostMaxHoles) {
  FeedCursor cursor(0, absl::Seconds(30), 100);
  EXPECT_TRUE(cursor.Take(1000000000, kStart));
  EXPECT_EQ(cursor.Holes(kStart).size(), 100u);
  EXPECT_EQ(cursor.last(), 1000000000);
}

}  // namespace
}  // namespace uplift::notify

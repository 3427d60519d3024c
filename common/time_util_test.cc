// Tests of date, period and timestamp handling.
#include "common/time_util.h"

#include <gtest/gtest.h>

namespace uplift {
namespace {

TEST(ParseDate, AcceptsRealDays) {
  absl::StatusOr<absl::CivilDay> d = ParseDate("date", "2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatDate(*d), "2024-02-29");
}

TEST(ParseDate, RejectsMalformedAndUnrealDays) {
  EXPECT_EQ(ParseDate("award.awarded_on", "2023-02-29").status().message(),
            "award.awarded_on: \"2023-02-29\" is not a real calendar day");
  for (const char* bad : {"2023-2-01", "2023/02/01", "20230201", "2023-02-01x", "", "abcd-ef-gh",
                          "2023-13-01", "2023-00-10"}) {
    absl::Status s = ParseDate("d", bad).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.message().substr(0, 3), "d: ") << bad;
  }
}

TEST(ParsePeriod, StrictYearMonth) {
  ASSERT_TRUE(ParsePeriod("period", "2023-05").ok());
  EXPECT_EQ(FormatPeriod(*ParsePeriod("period", "2023-05")), "2023-05");
  EXPECT_FALSE(ParsePeriod("period", "2023-5").ok());
  EXPECT_FALSE(ParsePeriod("period", "2023-13").ok());
  EXPECT_FALSE(ParsePeriod("period", "2023-05-01").ok());
}

TEST(ParsePastDate, RejectsTheFuture) {
  const absl::CivilDay today(2023, 6, 1);
  EXPECT_TRUE(ParsePastDate("d", "2023-06-01", today).ok());
  absl::Status s = ParsePastDate("d", "2023-06-02", today).status();
  EXPECT_EQ(s.message(), "d: 2023-06-02 is in the future (today is 2023-06-01)");
}

TEST(ShanghaiDay, IsUtcPlusEight) {
  // 2023-05-27 16:30 UTC is already 2023-05-28 in Xinle.
  const absl::Time t = absl::FromCivil(absl::CivilSecond(2023, 5, 27, 16, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(FormatDate(ShanghaiDay(t)), "2023-05-28");
  EXPECT_EQ(FormatLocalTime(t), "2023-05-28 00:30:00");
}

TEST(Rfc3339, RoundTrips) {
  const absl::Time t = absl::FromUnixMillis(1685205000123);
  const std::string text = FormatRfc3339(t);
  EXPECT_EQ(text, "2023-05-27T16:30:00.123Z");
  EXPECT_EQ(*ParseRfc3339(text), t);
  EXPECT_FALSE(ParseRfc3339("yesterday").ok());
}

TEST(ProtoTimestamp, RoundTripsIncludingBeforeEpoch) {
  for (absl::Time t : {absl::FromUnixMicros(1685205000123456), absl::FromUnixMicros(-1500000)}) {
    EXPECT_EQ(FromProtoTimestamp(ToProtoTimestamp(t)), t);
  }
}

}  // namespace
}  // namespace uplift

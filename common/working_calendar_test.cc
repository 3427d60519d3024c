// Tests of working-day arithmetic over the official calendar.
#include "common/working_calendar.h"

#include <gtest/gtest.h>

#include "common/time_util.h"

namespace uplift {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

class WorkingCalendarTest : public ::testing::Test {
 protected:
  WorkingCalendarTest() : cal_(*WorkingCalendar::Builtin()) {}
  WorkingCalendar cal_;
};

TEST_F(WorkingCalendarTest, BuiltinCoversTheYearsOfTheNotices) {
  for (int y : {2023, 2024, 2025, 2026}) EXPECT_TRUE(cal_.Covers(y)) << y;
  EXPECT_FALSE(cal_.Covers(2030));
}

TEST_F(WorkingCalendarTest, HolidaysAndMakeUpWorkdays2023) {
  EXPECT_FALSE(cal_.IsWorkingDay(D(2023, 1, 23)));  // 春节, a Monday
  EXPECT_TRUE(cal_.IsWorkingDay(D(2023, 1, 28)));   // Saturday worked (调休)
  EXPECT_TRUE(cal_.IsWorkingDay(D(2023, 1, 29)));   // Sunday worked
  EXPECT_FALSE(cal_.IsWorkingDay(D(2023, 4, 5)));   // 清明, a Wednesday
  EXPECT_TRUE(cal_.IsWorkingDay(D(2023, 5, 6)));    // Saturday worked
  EXPECT_FALSE(cal_.IsWorkingDay(D(2023, 5, 7)));   // an ordinary Sunday
  EXPECT_TRUE(cal_.IsWorkingDay(D(2023, 5, 29)));   // an ordinary Monday
}

TEST_F(WorkingCalendarTest, DeadlinesSkipHolidaysAndCountMakeUpDays) {
  // Raised Friday 2023-09-28, 5 working days: 9-29..10-6 are off, 10-7 and
  // 10-8 (Sat, Sun) are worked, then 10-9, 10-10, 10-11.
  EXPECT_EQ(cal_.AddWorkingDays(D(2023, 9, 28), 5), D(2023, 10, 11));
  // Raised the Friday before 春节 2023: 1-28 and 1-29 are the first two.
  EXPECT_EQ(cal_.AddWorkingDays(D(2023, 1, 20), 2), D(2023, 1, 29));
  // Across the year end: 2023-12-29 (Fri) + 2 -> 2024-01-02 (01-01 off).
  EXPECT_EQ(cal_.AddWorkingDays(D(2023, 12, 29), 2), D(2024, 1, 3));
  EXPECT_EQ(cal_.AddWorkingDays(D(2023, 6, 1), 0), D(2023, 6, 1));
  EXPECT_EQ(cal_.WorkingDaysBetween(D(2023, 9, 28), D(2023, 10, 11)), 5);
  EXPECT_EQ(cal_.WorkingDaysBetween(D(2023, 10, 11), D(2023, 9, 28)), 0);
}

TEST_F(WorkingCalendarTest, DeadlineIsTheEndOfTheLastDayInShanghai) {
  // 2023-06-21 10:00 Shanghai + 1 working day: 06-22..24 off (端午), 06-25
  // (Sunday) worked: the deadline is 2023-06-26 00:00 +08:00.
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2023, 6, 21, 10, 0, 0), ShanghaiTime());
  EXPECT_EQ(FormatLocalTime(cal_.DeadlineAfter(now, 1)), "2023-06-26 00:00:00");
}

TEST_F(WorkingCalendarTest, YearsWithoutDataCountWeekdays) {
  EXPECT_TRUE(cal_.IsWorkingDay(D(2030, 10, 1)));   // a Tuesday: no data, so worked
  EXPECT_FALSE(cal_.IsWorkingDay(D(2030, 10, 5)));  // Saturday
}

TEST(WorkingCalendarData, BadDataIsRefusedNamingTheField) {
  WorkingCalendar cal;
  absl::Status s = cal.AddYearText("cn-2027.textproto",
                                   "year: 2027 makeup_workdays: \"2027-03-03\"");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("makeup_workdays[0]"), std::string::npos) << s;
  EXPECT_NE(s.message().find("weekday"), std::string::npos) << s;
  s = cal.AddYearText("x", "year: 2027 holidays { from: \"2027-10-07\" to: \"2027-10-01\" }");
  EXPECT_NE(s.message().find("ends before"), std::string::npos) << s;
  s = cal.AddYearText("x", "year: 2027 holidays { from: \"2026-12-31\" to: \"2027-01-01\" }");
  EXPECT_NE(s.message().find("not within 2027"), std::string::npos) << s;
  s = cal.AddYearText("cn-2027.textproto", "year: 2027\nholidays { nme: \"x\" }");
  EXPECT_NE(s.message().find(":2:"), std::string::npos) << s;
  EXPECT_FALSE(cal.Covers(2027));
}

}  // namespace
}  // namespace uplift

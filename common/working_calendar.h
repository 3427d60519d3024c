// Working days on the Chinese official calendar: weekends off, public
// holidays off, make-up workdays (调休上班) on, year by year from the State
// Council's notices (calendars/cn-<year>.textproto, built into the binary;
// more years can be loaded from a directory). A year without data counts
// Monday to Friday only; Covers() tells which years have data.
#pragma once

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "uplift/calendar/v1/calendar.pb.h"

namespace uplift {

class WorkingCalendar {
 public:
  // The years built into this binary.
  static absl::StatusOr<WorkingCalendar> Builtin();

  // Adds (or replaces) one year. INVALID_ARGUMENT naming the field if a date
  // is malformed, outside the year, a range is reversed, or a make-up
  // workday is not a weekend day or falls inside a holiday.
  absl::Status AddYear(const uplift::calendar::v1::CalendarYear& year);
  // Parses a CalendarYear in protobuf text format; errors name `origin` and the line.
  absl::Status AddYearText(const std::string& origin, const std::string& text);
  // Loads every cn-*.textproto in `dir`.
  absl::Status LoadDirectory(const std::string& dir);

  bool Covers(int year) const { return years_.count(year) > 0; }
  bool IsWorkingDay(absl::CivilDay day) const;
  // The n-th working day after `start` (start itself does not count), n >= 0.
  absl::CivilDay AddWorkingDays(absl::CivilDay start, int n) const;
  // Working days in (from, to]; 0 when to <= from.
  int WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;
  // A deadline of `n` working days from the instant `now`: the end (24:00,
  // Asia/Shanghai) of the n-th working day after today.
  absl::Time DeadlineAfter(absl::Time now, int n) const;

 private:
  std::set<int> years_;
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> makeup_workdays_;
};

}  // namespace uplift

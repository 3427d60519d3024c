// Working-day arithmetic over holidays and make-up workdays.
#include "common/working_calendar.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/embedded_files.h"
#include "common/status_macros.h"
#include "common/text_proto.h"
#include "common/time_util.h"

namespace uplift {

namespace {

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

}  // namespace

absl::StatusOr<WorkingCalendar> WorkingCalendar::Builtin() {
  WorkingCalendar calendar;
  for (const EmbeddedFile& file : EmbeddedCalendars()) {
    RETURN_IF_ERROR(calendar.AddYearText(file.name, file.text));
  }
  return calendar;
}

absl::Status WorkingCalendar::AddYearText(const std::string& origin, const std::string& text) {
  uplift::calendar::v1::CalendarYear year;
  RETURN_IF_ERROR(ParseTextProto(text, origin, &year));
  absl::Status added = AddYear(year);
  if (!added.ok()) return absl::InvalidArgumentError(absl::StrCat(origin, ": ", added.message()));
  return absl::OkStatus();
}

absl::Status WorkingCalendar::LoadDirectory(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!absl::StartsWith(name, "cn-") || !absl::EndsWith(name, ".textproto")) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    RETURN_IF_ERROR(AddYearText(entry.path().string(), text.str()));
  }
  if (ec) return absl::NotFoundError(absl::StrCat("calendar directory ", dir, ": ", ec.message()));
  return absl::OkStatus();
}

absl::Status WorkingCalendar::AddYear(const uplift::calendar::v1::CalendarYear& y) {
  if (y.year() < 1990 || y.year() > 2200) {
    return absl::InvalidArgumentError(absl::StrCat("year: ", y.year(), " is not a year"));
  }
  std::set<absl::CivilDay> holidays, makeups;
  for (int i = 0; i < y.holidays_size(); ++i) {
    const auto& h = y.holidays(i);
    const std::string field = absl::StrCat("holidays[", i, "]");
    ASSIGN_OR_RETURN(const absl::CivilDay from, ParseDate(field + ".from", h.from()));
    ASSIGN_OR_RETURN(const absl::CivilDay to, ParseDate(field + ".to", h.to()));
    if (from.year() != y.year() || to.year() != y.year()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", h.from(), "..", h.to(), " is not within ", y.year()));
    }
    if (to < from) return absl::InvalidArgumentError(absl::StrCat(field, ": ends before it begins"));
    for (absl::CivilDay d = from; d <= to; ++d) holidays.insert(d);
  }
  for (int i = 0; i < y.makeup_workdays_size(); ++i) {
    const std::string field = absl::StrCat("makeup_workdays[", i, "]");
    ASSIGN_OR_RETURN(const absl::CivilDay d, ParseDate(field, y.makeup_workdays(i)));
    if (d.year() != y.year()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": not within ", y.year()));
    }
    if (!IsWeekend(d)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", y.makeup_workdays(i), " is a weekday; make-up workdays are weekend days"));
    }
    if (holidays.count(d)) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": ", y.makeup_workdays(i), " is also a holiday"));
    }
    makeups.insert(d);
  }
  // Replace the year.
  auto in_year = [&](const absl::CivilDay& d) { return d.year() == y.year(); };
  for (auto it = holidays_.begin(); it != holidays_.end();) it = in_year(*it) ? holidays_.erase(it) : std::next(it);
  for (auto it = makeup_workdays_.begin(); it != makeup_workdays_.end();) {
    it = in_year(*it) ? makeup_workdays_.erase(it) : std::next(it);
  }
  holidays_.insert(holidays.begin(), holidays.end());
  makeup_workdays_.insert(makeups.begin(), makeups.end());
  years_.insert(y.year());
  return absl::OkStatus();
}

bool WorkingCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (makeup_workdays_.count(day)) return true;
  if (holidays_.count(day)) return false;
  return !IsWeekend(day);
}

absl::CivilDay WorkingCalendar::AddWorkingDays(absl::CivilDay start, int n) const {
  absl::CivilDay day = start;
  while (n > 0) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  return day;
}

int WorkingCalendar::WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  int n = 0;
  for (absl::CivilDay d = from + 1; d <= to; ++d) n += IsWorkingDay(d) ? 1 : 0;
  return n;
}

absl::Time WorkingCalendar::DeadlineAfter(absl::Time now, int n) const {
  const absl::CivilDay last = AddWorkingDays(ShanghaiDay(now), n);
  return absl::FromCivil(last + 1, ShanghaiTime());
}

}  // namespace uplift

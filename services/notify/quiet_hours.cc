// Quiet hours in Asia/Shanghai time.
#include "services/notify/quiet_hours.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/time_util.h"
#include "common/validation.h"

namespace uplift::notify {

bool QuietHours::Contains(absl::Time t) const {
  if (start_minute == end_minute) return false;
  const absl::CivilMinute local = absl::ToCivilMinute(t, ShanghaiTime());
  const int m = local.hour() * 60 + local.minute();
  return start_minute < end_minute ? (m >= start_minute && m < end_minute)
                                   : (m >= start_minute || m < end_minute);
}

absl::Time QuietHours::EndAfter(absl::Time t) const {
  if (!Contains(t)) return t;
  const absl::CivilDay today = absl::ToCivilDay(t, ShanghaiTime());
  for (absl::CivilDay day : {today, today + 1}) {
    const absl::Time end = absl::FromCivil(absl::CivilMinute(day) + end_minute, ShanghaiTime());
    if (end > t) return end;
  }
  return t;  // unreachable: quiet hours end within a day
}

absl::StatusOr<int> ParseMinute(const std::string& field, const std::string& hhmm) {
  std::vector<std::string> parts = absl::StrSplit(hhmm, ':');
  int h = -1, m = -1;
  if (parts.size() != 2 || parts[0].size() != 2 || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) || h < 0 || h > 23 ||
      m < 0 || m > 59) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", QuoteInput(hhmm), " is not a time HH:MM"));
  }
  return h * 60 + m;
}

std::string FormatMinute(int minute) {
  return absl::StrFormat("%02d:%02d", minute / 60, minute % 60);
}

}  // namespace uplift::notify

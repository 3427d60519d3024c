// Quiet hours and digest times.
#include "services/notify/notify_flags.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/validation.h"

namespace uplift::notify {
absl::StatusOr<QuietHours> ParseQuietHours(const std::string& text) {
  QuietHours q;
  if (text == "off" || text.empty()) {
    q.start_minute = q.end_minute = 0;
    return q;
  }
  std::vector<std::string> parts = absl::StrSplit(text, '-');
  if (parts.size() != 2) {
    return absl::InvalidArgumentError(absl::StrCat("--quiet-hours: ", QuoteInput(text), " is not HH:MM-HH:MM or off"));
  }
  absl::StatusOr<int> start = ParseMinute("--quiet-hours", parts[0]);
  if (!start.ok()) return start.status();
  absl::StatusOr<int> end = ParseMinute("--quiet-hours", parts[1]);
  if (!end.ok()) return end.status();
  q.start_minute = *start;
  q.end_minute = *end;
  return q;
}

absl::StatusOr<std::vector<int>> ParseDigestTimes(const std::string& text) {
  std::vector<int> out;
  for (absl::string_view piece : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    const std::string t(piece);
    absl::StatusOr<int> m = ParseMinute("--digest-times", t);
    if (!m.ok()) return m.status();
    out.push_back(*m);
  }
  if (out.empty()) return absl::InvalidArgumentError("--digest-times: give at least one time, e.g. 09:00");
  return out;
}

}  // namespace uplift::notify

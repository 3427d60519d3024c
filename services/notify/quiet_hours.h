// Quiet hours: a daily span of Asia/Shanghai minutes ("22:00-07:00") in
// which nothing but escalations is pushed; the deployment's (digests) and
// each person's own (alerts and digests to their channels).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace uplift::notify {

// Minutes of the day, Asia/Shanghai. Quiet when start == end is never.
struct QuietHours {
  int start_minute = 22 * 60;
  int end_minute = 7 * 60;
  bool Contains(absl::Time t) const;
  // When quiet hours that contain `t` end (`t` itself when they do not).
  absl::Time EndAfter(absl::Time t) const;
};

// "HH:MM" -> minutes of the day; the error names `field`.
absl::StatusOr<int> ParseMinute(const std::string& field, const std::string& hhmm);
// "HH:MM" of minutes of the day.
std::string FormatMinute(int minute);

}  // namespace uplift::notify

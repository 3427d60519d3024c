// Calendar dates and periods in Asia/Shanghai, wire timestamps in RFC 3339,
// and strict parsers that name the offending field.
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace uplift {

// Asia/Shanghai: UTC+8 with no daylight saving since 1991, so a fixed zone
// (containers need no tzdata).
absl::TimeZone ShanghaiTime();

// The calendar day in Shanghai at `t`.
absl::CivilDay ShanghaiDay(absl::Time t);
std::string FormatDate(absl::CivilDay day);          // YYYY-MM-DD
std::string FormatPeriod(absl::CivilMonth month);    // YYYY-MM
// "2026-11-27T10:57:44.123Z"
std::string FormatRfc3339(absl::Time t);
// Shanghai local time for people: "2026-11-27 18:57:44".
std::string FormatLocalTime(absl::Time t);
absl::StatusOr<absl::Time> ParseRfc3339(absl::string_view text);

// Strict "YYYY-MM-DD" (a real calendar day); errors name `field`.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field,
                                         absl::string_view text);
// Strict "YYYY-MM"; errors name `field`.
absl::StatusOr<absl::CivilMonth> ParsePeriod(absl::string_view field,
                                             absl::string_view text);
// ParseDate, and the day must not be after `today`.
absl::StatusOr<absl::CivilDay> ParsePastDate(absl::string_view field,
                                             absl::string_view text,
                                             absl::CivilDay today);

google::protobuf::Timestamp ToProtoTimestamp(absl::Time t);
absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& ts);
// FormatLocalTime of a wire timestamp; "" when it is unset (zero).
std::string FormatLocalTimestamp(const google::protobuf::Timestamp& ts);

}  // namespace uplift

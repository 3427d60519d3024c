// Date, period and timestamp formatting and strict parsing.
#include "common/time_util.h"

#include <cctype>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/validation.h"

namespace uplift {
namespace {

// Parses exactly `len` ASCII digits at `pos`; -1 if anything else is there.
int Digits(absl::string_view s, size_t pos, size_t len) {
  int value = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

}  // namespace

absl::TimeZone ShanghaiTime() {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 60 * 60);
  return zone;
}

absl::CivilDay ShanghaiDay(absl::Time t) {
  return absl::ToCivilDay(t, ShanghaiTime());
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string FormatPeriod(absl::CivilMonth month) {
  return absl::StrFormat("%04d-%02d", month.year(), month.month());
}

std::string FormatRfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

std::string FormatLocalTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, ShanghaiTime());
}

absl::StatusOr<absl::Time> ParseRfc3339(absl::string_view text) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an RFC 3339 time: ", QuoteInput(text), ": ", err));
  }
  return t;
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field,
                                         absl::string_view text) {
  int y = Digits(text, 0, 4), m = Digits(text, 5, 2), d = Digits(text, 8, 2);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || y < 0 || m < 0 ||
      d < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", QuoteInput(text), " is not a date in the form YYYY-MM-DD"));
  }
  absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d || y < 1900) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", QuoteInput(text), " is not a real calendar day"));
  }
  return day;
}

absl::StatusOr<absl::CivilMonth> ParsePeriod(absl::string_view field,
                                             absl::string_view text) {
  int y = Digits(text, 0, 4), m = Digits(text, 5, 2);
  if (text.size() != 7 || text[4] != '-' || y < 0 || m < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", QuoteInput(text), " is not a period in the form YYYY-MM"));
  }
  if (m < 1 || m > 12 || y < 1900) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", QuoteInput(text), " is not a real month"));
  }
  return absl::CivilMonth(y, m);
}

absl::StatusOr<absl::CivilDay> ParsePastDate(absl::string_view field,
                                             absl::string_view text,
                                             absl::CivilDay today) {
  absl::StatusOr<absl::CivilDay> day = ParseDate(field, text);
  if (!day.ok()) return day;
  if (*day > today) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", text, " is in the future (today is ", FormatDate(today), ")"));
  }
  return day;
}

google::protobuf::Timestamp ToProtoTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  ts.set_seconds(micros / 1000000);
  ts.set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  if (ts.nanos() < 0) {
    ts.set_seconds(ts.seconds() - 1);
    ts.set_nanos(ts.nanos() + 1000000000);
  }
  return ts;
}

absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

std::string FormatLocalTimestamp(const google::protobuf::Timestamp& ts) {
  return ts.seconds() == 0 ? "" : FormatLocalTime(FromProtoTimestamp(ts));
}

}  // namespace uplift

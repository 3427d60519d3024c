// Quarter parsing and labels.
#include "services/indicators/quarter.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"

namespace uplift::indicators {

std::string Quarter::ToString() const { return absl::StrCat(year, "-Q", number); }

std::string Quarter::ShortLabel() const {
  static const char* const kNames[] = {"一", "二", "三", "四"};
  return absl::StrCat("第", kNames[number - 1], "季度");
}

std::string Quarter::Label() const { return absl::StrCat(year, "年", ShortLabel()); }

absl::StatusOr<Quarter> ParseQuarter(absl::string_view field, absl::string_view text) {
  int year = 0;
  if (text.size() != 7 || text.substr(4, 2) != "-Q" || !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      text[6] < '1' || text[6] > '4' || year < 1000) {
    return FieldError(field, absl::StrCat("expected YYYY-Qn with n in 1..4, got ", QuoteInput(text)));
  }
  return Quarter{year, text[6] - '0'};
}

}  // namespace uplift::indicators

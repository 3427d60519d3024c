// SMS texts.
#include "services/notify/sms_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"

namespace uplift::notify {

std::string Utf8Prefix(const std::string& text, long max_chars) {
  size_t end = 0;
  for (long chars = 0; end < text.size() && chars < max_chars; ++chars) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return text.substr(0, end);
}

std::string SmsText(const std::string& signature, const v1::Notice& n,
                    const std::string& deadline_words) {
  const std::string tail =
      deadline_words.empty() ? "。" : absl::StrCat("，时限", deadline_words, "。");
  const long room = kSmsSegmentChars - Utf8Length(signature) - Utf8Length(tail);
  std::string title = n.title();
  if (Utf8Length(title) > room) title = Utf8Prefix(title, std::max(0L, room - 1)) + "…";
  return absl::StrCat(signature, title, tail);
}

bool IsMobileNumber(const std::string& phone) {
  std::string digits = phone;
  if (absl::StartsWith(digits, "+86")) digits = digits.substr(3);
  if (digits.size() != 11 || digits[0] != '1' || digits[1] < '3' || digits[1] > '9') return false;
  for (char c : digits) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

}  // namespace uplift::notify

// SMS texts.
#include "services/notify/sms_text.h"

#include "services/notify/ack_links.h"

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

namespace {

// signature + title + tail in one segment if it fits, else in two (a long
// SMS, 67 characters a segment), the title cut with "…" to fit.
std::string OneSegment(const std::string& signature, std::string title, const std::string& tail) {
  const long fixed = Utf8Length(signature) + Utf8Length(tail);
  const long limit = fixed + Utf8Length(title) <= kSmsSegmentChars || fixed + 12 <= kSmsSegmentChars
                         ? kSmsSegmentChars
                         : 2 * kSmsLongSegmentChars;
  const long room = std::max(0L, limit - fixed);
  if (Utf8Length(title) > room) title = Utf8Prefix(title, std::max(0L, room - 1)) + "…";
  return absl::StrCat(signature, title, tail);
}

}  // namespace

std::string SmsText(const std::string& signature, const v1::Notice& n,
                    const std::string& deadline_words) {
  std::string tail = deadline_words.empty() ? "。" : absl::StrCat("，时限", deadline_words, "。");
  const auto link = n.attributes().find(kAckLinkAttribute);
  if (link != n.attributes().end()) absl::StrAppend(&tail, "确认：", link->second);
  return OneSegment(signature, n.title(), tail);
}

std::string SmsBundleText(const std::string& signature, const v1::Notice& first, int count) {
  return OneSegment(signature, first.title(),
                    absl::StrCat("等", count, "条通知（短信已限频合并），请登录查看。"));
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

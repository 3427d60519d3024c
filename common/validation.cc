// Field validation helpers.
#include "common/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace uplift {
namespace {

// Decodes one UTF-8 code point at s[i]; returns its length or 0 if invalid.
size_t DecodeUtf8(absl::string_view s, size_t i, char32_t* cp) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len;
  char32_t min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, *cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, *cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, *cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (cc & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

absl::Status FieldError(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

namespace {

// Appends up to `max_chars` code points of `value`, control characters and
// bytes that are not UTF-8 as \xNN, quotes and backslashes escaped; returns
// how many bytes of `value` were used.
size_t AppendEscaped(absl::string_view value, size_t max_chars, std::string* out) {
  size_t i = 0, chars = 0;
  while (i < value.size() && chars < max_chars) {
    char32_t cp;
    const size_t len = DecodeUtf8(value, i, &cp);
    if (len == 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 ||
        cp == 0x2029) {
      const size_t n = len == 0 ? 1 : len;
      for (size_t k = 0; k < n; ++k) {
        absl::StrAppend(out, "\\x", absl::Hex(static_cast<unsigned char>(value[i + k]),
                                               absl::kZeroPad2));
      }
      i += n;
    } else {
      if (cp == '"' || cp == '\\') out->push_back('\\');
      out->append(value.data() + i, len);
      i += len;
    }
    ++chars;
  }
  return i;
}

}  // namespace

std::string QuoteInput(absl::string_view value) {
  constexpr size_t kMaxChars = 40;
  std::string out = "\"";
  const size_t used = AppendEscaped(value, kMaxChars, &out);
  if (used >= value.size()) return absl::StrCat(out, "\"");
  return absl::StrCat(out, "…\" (", value.size(), " bytes)");
}

std::string SafeForLog(absl::string_view text, size_t max_chars) {
  std::string out;
  const size_t used = AppendEscaped(text, max_chars, &out);
  if (used < text.size()) absl::StrAppend(&out, "… (", text.size(), " bytes)");
  return out;
}

long Utf8Length(absl::string_view text) {
  long n = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    const size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) return -1;
    i += len;
    ++n;
  }
  return n;
}

absl::Status CheckText(absl::string_view field, absl::string_view value,
                       size_t max_chars, bool required) {
  size_t chars = 0;
  for (size_t i = 0; i < value.size();) {
    char32_t cp;
    const size_t len = DecodeUtf8(value, i, &cp);
    if (len == 0) return FieldError(field, "is not valid UTF-8");
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      return FieldError(field, "must not contain control characters");
    }
    i += len;
    ++chars;
  }
  if (chars > max_chars) {
    return FieldError(field, absl::StrCat("is ", chars, " characters long; at most ",
                                          max_chars, " are allowed"));
  }
  if (required && TrimText(value).empty()) {
    return FieldError(field, "must not be empty");
  }
  return absl::OkStatus();
}

absl::Status CheckId(absl::string_view field, absl::string_view value) {
  if (value.empty()) return FieldError(field, "must not be empty");
  if (value.size() < 2 || value.size() > 64) {
    return FieldError(field, absl::StrCat(QuoteInput(value), " must be 2 to 64 characters"));
  }
  if (!absl::ascii_islower(value[0])) {
    return FieldError(field, absl::StrCat(QuoteInput(value), " must start with a lower-case letter"));
  }
  for (char c : value) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) {
      return FieldError(field,
                        absl::StrCat(QuoteInput(value), " may hold only a-z, 0-9 and '-'"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRequestId(absl::string_view field, absl::string_view value) {
  if (value.size() > 64) return FieldError(field, "is longer than 64 characters");
  for (char c : value) {
    if (!(absl::ascii_isalnum(c) || c == '-' || c == '_')) {
      return FieldError(field, "may hold only A-Z, a-z, 0-9, '-' and '_'");
    }
  }
  return absl::OkStatus();
}

std::string TrimText(absl::string_view text) {
  static constexpr absl::string_view kIdeographicSpace = "\xE3\x80\x80";
  bool changed = true;
  while (changed) {
    changed = false;
    while (!text.empty() && absl::ascii_isspace(text.front())) {
      text.remove_prefix(1), changed = true;
    }
    while (!text.empty() && absl::ascii_isspace(text.back())) {
      text.remove_suffix(1), changed = true;
    }
    if (text.substr(0, 3) == kIdeographicSpace) text.remove_prefix(3), changed = true;
    if (text.size() >= 3 && text.substr(text.size() - 3) == kIdeographicSpace) {
      text.remove_suffix(3), changed = true;
    }
  }
  return std::string(text);
}

}  // namespace uplift

// JSON string escaping.
#include "common/json_escape.h"

#include "absl/strings/str_format.h"
#include "common/validation.h"

namespace uplift {

std::string JsonEscape(const std::string& text) {
  // Bytes that are not UTF-8 become \xNN first (SafeForLog); a JSON line
  // must be UTF-8.
  const std::string valid = Utf8Length(text) >= 0 ? text : SafeForLog(text, 65536);
  std::string out;
  out.reserve(valid.size());
  for (unsigned char c : valid) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

}  // namespace uplift

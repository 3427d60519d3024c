// Exact decimal parsing.
#include "tools/upliftctl/amounts.h"

#include <limits>
#include <string>

#include "absl/strings/ascii.h"

namespace uplift::cli {

std::optional<int64_t> ParseScaled(absl::string_view text, int decimals) {
  text = absl::StripAsciiWhitespace(text);
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  __int128 value = 0;
  int digits = 0, fraction = -1;
  for (char c : text) {
    if (c == ',' && fraction < 0 && digits > 0) continue;
    if (c == '.' && fraction < 0) {
      fraction = 0;
      continue;
    }
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    if (fraction >= 0 && ++fraction > decimals) return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > std::numeric_limits<int64_t>::max()) return std::nullopt;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  for (int i = fraction < 0 ? 0 : fraction; i < decimals; ++i) value *= 10;
  if (value > std::numeric_limits<int64_t>::max()) return std::nullopt;
  return static_cast<int64_t>(negative ? -value : value);
}

}  // namespace uplift::cli

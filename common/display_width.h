// Terminal display width of UTF-8 text: CJK ideographs and full-width forms
// take two columns, combining marks none, so Chinese tables line up.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace uplift {

int DisplayWidth(absl::string_view text);
// Cuts `text` to at most `width` columns, ending in "…" when cut.
std::string TruncateToWidth(absl::string_view text, int width);
// Pads with spaces on the right to `width` columns.
std::string PadToWidth(absl::string_view text, int width);

}  // namespace uplift

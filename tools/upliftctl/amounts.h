// Amounts as people type them: yuan with up to two decimals ("12345.67",
// "1,234"), mu with up to two decimals, converted exactly to integer fen
// and hundredths of a mu.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace uplift::cli {

// `text` x 10^decimals as an integer; nullopt if it is not a plain decimal
// number with at most `decimals` decimals (commas between digits allowed).
std::optional<int64_t> ParseScaled(absl::string_view text, int decimals);

inline std::optional<int64_t> ParseYuanToFen(absl::string_view text) { return ParseScaled(text, 2); }
inline std::optional<int64_t> ParseMuToCentiMu(absl::string_view text) { return ParseScaled(text, 2); }

}  // namespace uplift::cli

// Text as the body of a JSON string, for what writes JSON by hand (log
// lines, an SMS gateway's request template).
#pragma once

#include <string>

namespace uplift {

// Quotes, backslashes and control characters escaped (\u00XX for those
// without a short form); text that is not UTF-8 is first made so, its bad
// bytes written as \xNN (SafeForLog), since JSON must be UTF-8.
std::string JsonEscape(const std::string& text);

}  // namespace uplift

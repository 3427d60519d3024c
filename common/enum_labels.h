// Tables of Chinese labels for protobuf enums, and a parser that accepts
// the label, the enum's full name ("TIER_HIGH_TECH") or its short form
// ("high-tech", "HIGH_TECH"). Each service keeps its own tables.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace uplift {

template <typename E>
using EnumLabels = std::vector<std::pair<E, const char*>>;

// The label of `value`, or `fallback` if the table has none.
template <typename E>
std::string LabelOf(const EnumLabels<E>& labels, E value, const char* fallback = "") {
  for (const auto& [e, label] : labels) {
    if (e == value) return label;
  }
  return fallback;
}

// `name_of(e)` gives the enum's proto name; `prefix` is its common prefix.
template <typename E, typename NameOf>
bool ParseEnumLabel(const EnumLabels<E>& labels, absl::string_view prefix, NameOf name_of,
                    absl::string_view text, E* out) {
  const std::string wanted = absl::StrReplaceAll(absl::AsciiStrToUpper(text), {{"-", "_"}});
  for (const auto& [e, label] : labels) {
    const std::string name = name_of(e);
    if (text == label || wanted == name ||
        (name.size() > prefix.size() && wanted == name.substr(prefix.size()))) {
      *out = e;
      return true;
    }
  }
  return false;
}

}  // namespace uplift

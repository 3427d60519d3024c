// Pagination (AIP-158): page sizes and opaque page tokens that remember the
// last key seen and refuse reuse with different filters.
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace uplift {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 means the default; negative is INVALID_ARGUMENT; above the maximum is
// clamped to it.
absl::StatusOr<int> PageSize(int requested);

// `filter` is any string that identifies the request's filters.
std::string EncodePageToken(absl::string_view last_key, absl::string_view filter);
// "" for an empty token. INVALID_ARGUMENT ("page_token: ...") if it is
// malformed or was issued for other filters.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view filter);

}  // namespace uplift

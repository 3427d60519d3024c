// Pagination (AIP-158): page sizes, and opaque page tokens that remember
// where the last page ended. A token is unforgeable: it carries an
// HMAC-SHA256 under a key of the deployment (each service's
// page-token.key, set once at start with SetPageTokenKey; a random key of
// the process until then) over the request's filters and its content, so a
// token made by hand, edited, or issued for other filters is refused
// before anything in it is used. Offsets are bounds-checked as well.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace uplift {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 means the default; negative is INVALID_ARGUMENT; above the maximum is
// clamped to it.
absl::StatusOr<int> PageSize(int requested);

// Sets the key of this process's page tokens (at least 16 bytes); call at
// start, before serving. Tokens issued under another key are refused.
void SetPageTokenKey(std::string key);

// `filter` is any string that identifies the request's filters.
std::string EncodePageToken(absl::string_view last_key, absl::string_view filter);
// "" for an empty token. INVALID_ARGUMENT ("page_token: ...") if it is
// malformed, was not issued by this deployment, or was issued for other
// filters.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view filter);

// A position in a list computed whole (rankings, grades): `offset` rows
// were shown already.
std::string EncodeOffsetToken(int64_t offset, absl::string_view filter);
// 0 for an empty token; INVALID_ARGUMENT unless the token is valid and its
// offset lies in [0, size].
absl::StatusOr<int64_t> DecodeOffsetToken(absl::string_view token, absl::string_view filter,
                                          int64_t size);

}  // namespace uplift

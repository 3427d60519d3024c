// Page tokens: base64url("v1" NUL filter-hash NUL last-key).
#include "common/page.h"

#include <functional>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include <vector>

namespace uplift {
namespace {

std::string FilterHash(absl::string_view filter) {
  // FNV-1a: stable across builds, unlike std::hash.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : filter) h = (h ^ c) * 1099511628211ULL;
  return absl::StrCat(h);
}

}  // namespace

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string EncodePageToken(absl::string_view last_key, absl::string_view filter) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("v1", std::string(1, '\0'), FilterHash(filter), std::string(1, '\0'),
                   last_key));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view filter) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return absl::InvalidArgumentError("page_token: is not a token this service issued");
  }
  std::vector<std::string> parts = absl::StrSplit(raw, absl::MaxSplits('\0', 2));
  if (parts.size() != 3 || parts[0] != "v1") {
    return absl::InvalidArgumentError("page_token: is not a token this service issued");
  }
  if (parts[1] != FilterHash(filter)) {
    return absl::InvalidArgumentError(
        "page_token: was issued for different filters; repeat the first request's filters");
  }
  return parts[2];
}

}  // namespace uplift

// Page tokens as clients send them back: a token the deployment did not
// issue, or issued for other filters, is refused before anything in it is
// used; an offset that is accepted lies within the list; what was issued
// decodes to what was encoded.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>

#include "absl/strings/escaping.h"
#include "common/page.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool keyed = [] {
    uplift::SetPageTokenKey("fuzz-page-token-key-0123456789");
    return true;
  }();
  (void)keyed;
  FuzzedDataProvider input(data, size);
  const std::string filter = input.ConsumeRandomLengthString(64);
  const std::string key = input.ConsumeRandomLengthString(128);
  const int64_t offset = input.ConsumeIntegral<int64_t>();
  const int64_t list_size = input.ConsumeIntegralInRange<int64_t>(0, 1 << 20);
  const std::string token = input.ConsumeRemainingBytesAsString();

  absl::StatusOr<std::string> last = uplift::DecodePageToken(token, filter);
  if (last.ok() && !token.empty()) {
    std::string sent, issued;
    absl::WebSafeBase64Unescape(token, &sent);
    absl::WebSafeBase64Unescape(uplift::EncodePageToken(*last, filter), &issued);
    if (sent != issued) std::abort();  // accepted a token it would not have issued
  }
  absl::StatusOr<int64_t> at = uplift::DecodeOffsetToken(token, filter, list_size);
  if (at.ok() && (*at < 0 || *at > list_size)) std::abort();

  absl::StatusOr<std::string> round =
      uplift::DecodePageToken(uplift::EncodePageToken(key, filter), filter);
  if (!round.ok() || *round != key) std::abort();
  absl::StatusOr<int64_t> back =
      uplift::DecodeOffsetToken(uplift::EncodeOffsetToken(offset, filter), filter, list_size);
  if (back.ok() != (offset >= 0 && offset <= list_size)) std::abort();
  if (back.ok() && *back != offset) std::abort();
  if (uplift::DecodePageToken(uplift::EncodePageToken(key, filter), filter + "x").ok()) {
    std::abort();  // a token for other filters
  }
  return 0;
}

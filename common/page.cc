// Page tokens: base64url(last-key || HMAC-SHA256(key, label || filter || last-key)[0..16)).
#include "common/page.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include <mutex>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/ids.h"

namespace uplift {
namespace {

constexpr size_t kMacBytes = 16;
constexpr size_t kMaxTokenChars = 2048;
constexpr absl::string_view kLabel = "uplift-page-token-v2";

std::mutex key_mu;
std::string& Key() {
  static std::string* key = new std::string(RandomHex(32));
  return *key;
}

std::string Mac(absl::string_view filter, absl::string_view content) {
  std::string key;
  {
    std::lock_guard<std::mutex> lock(key_mu);
    key = Key();
  }
  // Length-prefixed so that (filter, content) pairs cannot collide.
  const std::string data = absl::StrCat(kLabel, filter.size(), ":", filter, content);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), kMacBytes);
}

absl::Status Refused() {
  return absl::InvalidArgumentError(
      "page_token: is not a token this service issued for these filters; repeat the first "
      "request's filters, or start again without a page_token");
}

}  // namespace

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

void SetPageTokenKey(std::string key) {
  std::lock_guard<std::mutex> lock(key_mu);
  Key() = std::move(key);
}

std::string EncodePageToken(absl::string_view last_key, absl::string_view filter) {
  return absl::WebSafeBase64Escape(absl::StrCat(last_key, Mac(filter, last_key)));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view filter) {
  if (token.empty()) return std::string();
  std::string raw;
  if (token.size() > kMaxTokenChars || !absl::WebSafeBase64Unescape(token, &raw) ||
      raw.size() < kMacBytes) {
    return Refused();
  }
  const std::string content = raw.substr(0, raw.size() - kMacBytes);
  const std::string expected = Mac(filter, content);
  if (CRYPTO_memcmp(expected.data(), raw.data() + content.size(), kMacBytes) != 0) {
    return Refused();
  }
  return content;
}

std::string EncodeOffsetToken(int64_t offset, absl::string_view filter) {
  return EncodePageToken(absl::StrCat(offset), filter);
}

absl::StatusOr<int64_t> DecodeOffsetToken(absl::string_view token, absl::string_view filter,
                                          int64_t size) {
  if (token.empty()) return 0;
  absl::StatusOr<std::string> content = DecodePageToken(token, filter);
  if (!content.ok()) return content.status();
  int64_t offset = 0;
  if (!absl::SimpleAtoi(*content, &offset) || offset < 0 || offset > size) {
    // Valid only if the list shrank since the token was issued.
    return absl::InvalidArgumentError(
        "page_token: points past the end of the list (it changed); start again without a "
        "page_token");
  }
  return offset;
}

}  // namespace uplift

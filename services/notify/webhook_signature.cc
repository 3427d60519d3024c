// HMAC-SHA256 signatures of webhook requests.
#include "services/notify/webhook_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace uplift::notify {

std::string HmacSha256(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

std::string SignWebhook(const std::string& secret, int64_t unix_seconds, const std::string& body) {
  return "v1=" + absl::BytesToHexString(HmacSha256(secret, absl::StrCat(unix_seconds, ".", body)));
}

bool VerifyWebhook(const std::string& secret, const std::string& timestamp_header,
                   const std::string& signature_header, const std::string& body, absl::Time now,
                   absl::Duration tolerance) {
  int64_t ts = 0;
  if (!absl::SimpleAtoi(timestamp_header, &ts)) return false;
  if (absl::AbsDuration(now - absl::FromUnixSeconds(ts)) > tolerance) return false;
  const std::string expected = SignWebhook(secret, ts, body);
  return expected.size() == signature_header.size() &&
         CRYPTO_memcmp(expected.data(), signature_header.data(), expected.size()) == 0;
}

}  // namespace uplift::notify

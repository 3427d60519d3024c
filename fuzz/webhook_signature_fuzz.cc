// Webhook signatures as a receiver checks them (docs/notify.md): whatever
// the headers hold, only the signature of this body, timestamp and secret
// verifies, and a body changed after signing never does.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/notify/webhook_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  const std::string secret = input.ConsumeRandomLengthString(64);
  const int64_t sent_at = input.ConsumeIntegralInRange<int64_t>(0, int64_t{1} << 40);
  const std::string timestamp = input.ConsumeRandomLengthString(24);
  const std::string signature = input.ConsumeRandomLengthString(80);
  const std::string body = input.ConsumeRemainingBytesAsString();
  const absl::Time now = absl::FromUnixSeconds(sent_at);

  const std::string real = uplift::notify::SignWebhook(secret, sent_at, body);
  const std::string real_time = absl::StrCat(sent_at);
  if (!uplift::notify::VerifyWebhook(secret, real_time, real, body, now)) std::abort();
  if (uplift::notify::VerifyWebhook(secret, real_time, real, body + "x", now)) std::abort();
  if (uplift::notify::VerifyWebhook(secret + "x", real_time, real, body, now)) std::abort();
  if (uplift::notify::VerifyWebhook(secret, real_time, real, body, now + absl::Minutes(6))) {
    std::abort();  // a replay after the tolerance
  }
  if (uplift::notify::VerifyWebhook(secret, timestamp, signature, body, now) &&
      signature != uplift::notify::SignWebhook(secret, sent_at, body)) {
    // Accepted a signature it did not make: only possible for another
    // timestamp within the tolerance, which must then be that one's.
    int64_t t = 0;
    if (!absl::SimpleAtoi(timestamp, &t) ||
        signature != uplift::notify::SignWebhook(secret, t, body)) {
      std::abort();
    }
  }
  return 0;
}

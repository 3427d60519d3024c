// How webhook requests are signed, so a receiver can tell they come from
// us and were not altered or replayed: the header
//   X-Uplift-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
// with X-Uplift-Timestamp: <unix seconds>. Receivers recompute the HMAC,
// compare in constant time, and refuse timestamps more than 5 minutes off.
#pragma once

#include <string>

#include "absl/time/time.h"

namespace uplift::notify {

// The raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string HmacSha256(const std::string& key, const std::string& message);

std::string SignWebhook(const std::string& secret, int64_t unix_seconds, const std::string& body);

// What a receiver does (used by our tests and shown in docs/notify.md).
bool VerifyWebhook(const std::string& secret, const std::string& timestamp_header,
                   const std::string& signature_header, const std::string& body, absl::Time now,
                   absl::Duration tolerance = absl::Minutes(5));

}  // namespace uplift::notify

// The Connect protocol's wire rules (connectrpc.com/docs/protocol), free
// of any HTTP library: the HTTP status of each error code, the error body
// {"code": "invalid_argument", "message": "..."}, the five-byte envelopes
// of streaming messages with the end-of-stream message, and the
// Connect-Timeout-Ms header.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace uplift::web {

// "invalid_argument", ...
std::string ConnectCode(absl::StatusCode code);
// 400, 401, 403, 404, 409, 429, 499, 500, 501, 503, 504.
int HttpStatusOfCode(absl::StatusCode code);
// The unary error body.
std::string ConnectErrorJson(const absl::Status& status);
// The JSON string literal of `text` (quotes included), with control
// characters and invalid UTF-8 escaped.
std::string JsonQuote(absl::string_view text);

inline constexpr uint8_t kEnvelopeCompressed = 0x01;
inline constexpr uint8_t kEnvelopeEndStream = 0x02;
// flags, 4-byte big-endian length, payload.
std::string Envelope(uint8_t flags, absl::string_view payload);
// A streaming request's body: exactly one uncompressed message envelope.
// INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> SingleEnvelopePayload(absl::string_view body);
// The end-of-stream message: {} or {"error": {...}}, enveloped.
std::string EndStreamEnvelope(const absl::Status& status);

// Connect-Timeout-Ms: 1 to 10 ASCII digits, positive; INVALID_ARGUMENT
// naming the header otherwise.
absl::StatusOr<absl::Duration> ParseConnectTimeout(absl::string_view value);

}  // namespace uplift::web

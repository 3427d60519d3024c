// gRPC's wire format over HTTP/2, as much as a client of unary calls needs
// (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md): the
// length-prefixed message, the grpc-timeout header, and the call's status
// from its trailers (or from the HTTP status when a proxy answered).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace uplift::web {

// The message with its 5-byte prefix (not compressed, length big-endian).
std::string FrameGrpcMessage(absl::string_view message);

// The one message of a unary answer: INTERNAL if `data` is not exactly one
// uncompressed length-prefixed message.
absl::StatusOr<std::string> UnframeGrpcMessage(absl::string_view data);

// "1500m": at most 8 digits, in the finest unit that fits; at least 1m.
std::string GrpcTimeout(absl::Duration timeout);

// What an answer's headers and trailers said.
struct GrpcOutcome {
  std::optional<int> http_status;          // ":status"
  std::optional<std::string> grpc_status;  // "grpc-status", as sent
  std::string grpc_message;                // "grpc-message", percent-encoded
};
// The call's status: grpc-status and the decoded grpc-message if present;
// otherwise the code gRPC derives from the HTTP status.
absl::Status StatusOfOutcome(const GrpcOutcome& outcome);

// Undoes grpc-message's percent-encoding (bad escapes are kept as they are).
std::string PercentDecode(absl::string_view text);

}  // namespace uplift::web

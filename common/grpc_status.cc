// absl::StatusCode and grpc::StatusCode share their numbering (both follow
// google.rpc.Code), so the mapping is a checked cast.
#include "common/grpc_status.h"

#include <string>

namespace uplift {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // Messages quote input cut short (QuoteInput); this cap is the last line
  // of defence, so that no message can outgrow what trailers may carry.
  constexpr size_t kMaxBytes = 2048;
  absl::string_view message = status.message();
  if (message.size() > kMaxBytes) {
    size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;
    message = message.substr(0, cut);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(message));
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

std::string StatusCodeName(absl::StatusCode code) {
  return absl::StatusCodeToString(code);
}

}  // namespace uplift

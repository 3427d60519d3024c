// The one place that maps absl::Status to grpc::Status and back.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace uplift {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);
// "INVALID_ARGUMENT" etc., as gRPC spells status codes.
std::string StatusCodeName(absl::StatusCode code);

}  // namespace uplift

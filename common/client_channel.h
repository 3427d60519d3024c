// Client side of the suite: channels (TLS when configured), per-call
// contexts with a bearer token and a deadline, and deadline propagation
// from a server call to the calls it makes.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/service_flags.h"

namespace uplift {

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& address,
                                                           const TlsFiles& tls);

// A context carrying "authorization: Bearer <token>" and a deadline.
std::unique_ptr<grpc::ClientContext> MakeClientContext(const std::string& token,
                                                       absl::Duration timeout);

}  // namespace uplift

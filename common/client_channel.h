// Client side of the suite: channels (TLS when configured), per-call
// contexts with a bearer token and a deadline, and deadline propagation
// from a server call to the calls it makes.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/service_flags.h"

namespace uplift {

// A PEM file named by a TLS flag, whole; NOT_FOUND naming the flag.
absl::StatusOr<std::string> ReadPemFile(const std::string& flag, const std::string& path);

// Channels to one address with different `connection` numbers do not share
// a connection (a gateway spreads its calls over a few). Calls go round
// robin over every address `address` resolves to (every replica behind a
// DNS name; `ipv4:a:p,b:q` lists them outright).
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& address,
                                                           const TlsFiles& tls, int connection = 0);

// A context carrying "authorization: Bearer <token>" and a deadline.
std::unique_ptr<grpc::ClientContext> MakeClientContext(const std::string& token,
                                                       absl::Duration timeout);

// Credentials and deadline of one outgoing call made on someone's behalf:
// the caller's token and deadline, or the service's own token.
struct CallAs {
  std::string bearer_token;
  absl::Time deadline;
};
// A context for `as`, its deadline capped at now + `cap`.
std::unique_ptr<grpc::ClientContext> MakeClientContext(const CallAs& as,
                                                       absl::Duration cap = absl::Seconds(5));

// The status of a failed call to another service of the suite, for our own
// callers: unreachable or too slow is UNAVAILABLE naming `service` and
// `what`; anything else keeps its code, prefixed with `service`.
absl::Status DependencyError(const grpc::Status& status, absl::string_view service,
                             absl::string_view what);

}  // namespace uplift

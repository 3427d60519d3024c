// Runs a unary RPC of the callback API: authenticates the caller, runs the
// handler with its Principal, maps the absl::Status to gRPC, and turns any
// exception into INTERNAL instead of a crash. Every handler goes through
// here, so no RPC can skip authentication.
#pragma once

#include <spdlog/spdlog.h>

#include <exception>

#include <grpcpp/grpcpp.h>

#include "common/auth/authenticator.h"
#include "common/grpc_status.h"

namespace uplift {

// `handler` is callable as absl::Status(const Principal&).
template <typename Handler>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context,
                                   const Authenticator& auth, Handler&& handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status;
  try {
    absl::StatusOr<Principal> principal = auth.Authenticate(*context);
    if (principal.ok()) {
      principal->call_deadline = absl::FromChrono(context->deadline());
      status = handler(*principal);
    } else {
      status = principal.status();
    }
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception in a handler: {}", e.what());
    status = absl::InternalError("internal error; the server logged the details");
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace uplift

namespace uplift {

// The usual shape: `method` is a member of `service` taking
// (const Principal&, const Request&) and returning absl::StatusOr<Response>.
template <typename Service, typename Request, typename Response>
grpc::ServerUnaryReactor* ServeUnary(
    grpc::CallbackServerContext* context, const Authenticator& auth, Service* service,
    absl::StatusOr<Response> (Service::*method)(const Principal&, const Request&),
    const Request* request, Response* response) {
  return RunUnary(context, auth, [&](const Principal& who) -> absl::Status {
    absl::StatusOr<Response> result = (service->*method)(who, *request);
    if (!result.ok()) return result.status();
    *response = std::move(*result);
    return absl::OkStatus();
  });
}

}  // namespace uplift

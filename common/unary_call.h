// Runs a unary RPC of the callback API: authenticates the caller, passes
// the access table's gate for the RPC, runs the handler with its Principal,
// maps the absl::Status to gRPC, and turns any exception into INTERNAL
// instead of a crash. Every handler goes through here, so no RPC can skip
// authentication or the gate.
#pragma once

#include <spdlog/spdlog.h>

#include <exception>
#include <optional>
#include <string>
#include <type_traits>

#include <grpcpp/grpcpp.h>

#include "absl/strings/string_view.h"
#include "common/auth/access_table.h"
#include "common/auth/authenticator.h"
#include "common/grpc_status.h"
#include "common/handler_pool.h"

namespace uplift {

// The caller of a call in progress, admitted to `rpc` ("<package>.<Service>/
// <Method>") by the access table's gate.
absl::StatusOr<Principal> AdmitCaller(const grpc::CallbackServerContext& context,
                                      const Authenticator& auth, absl::string_view rpc);

// Runs `fn` (returning absl::Status or std::optional<absl::Status>); an
// exception it throws is logged and becomes INTERNAL instead of a crash.
template <typename Fn>
auto CallGuarded(absl::string_view rpc, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception in a handler of {}: {}", std::string(rpc), e.what());
    return absl::InternalError("internal error; the server logged the details");
  }
}

// `handler` is callable as absl::Status(const Principal&); it runs on the
// HandlerPool (never on gRPC's polling threads), so it may wait. It is
// moved there: it must hold what it needs by value or point at what lives
// until the call finishes (the request, the response, the service). A call
// the pool has no room for is refused with RESOURCE_EXHAUSTED; one its
// caller cancelled (or whose deadline passed) while it waited is not run.
template <typename Handler>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, const Authenticator& auth,
                                   absl::string_view rpc, Handler&& handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued = HandlerPool::Default().Post(
      [context, reactor, &auth, rpc, handler = std::forward<Handler>(handler)]() mutable {
        if (context->IsCancelled()) {
          reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                                       "cancelled before it ran; nothing was done"));
          return;
        }
        const absl::Status status = CallGuarded(rpc, [&]() -> absl::Status {
          absl::StatusOr<Principal> principal = AdmitCaller(*context, auth, rpc);
          if (!principal.ok()) return principal.status();
          return handler(*principal);
        });
        reactor->Finish(ToGrpcStatus(status));
      });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "server busy: too many calls waiting; nothing was done, retry"));
  }
  return reactor;
}

// A handler for RunUnary calling `method`, a member of `service` taking
// (const Principal&, const Request&) and returning absl::StatusOr<Response>.
template <typename Service, typename Request, typename Response>
auto HandlerCalling(Service* service,
                    absl::StatusOr<Response> (Service::*method)(const Principal&, const Request&),
                    const Request* request, Response* response) {
  return [service, method, request, response](const Principal& who) -> absl::Status {
    absl::StatusOr<Response> result = (service->*method)(who, *request);
    if (!result.ok()) return result.status();
    *response = std::move(*result);
    return absl::OkStatus();
  };
}

// The usual shape: RunUnary of HandlerCalling(service, method, ...).
template <typename Service, typename Request, typename Response>
grpc::ServerUnaryReactor* ServeUnary(
    grpc::CallbackServerContext* context, const Authenticator& auth, absl::string_view rpc,
    Service* service, absl::StatusOr<Response> (Service::*method)(const Principal&, const Request&),
    const Request* request, Response* response) {
  return RunUnary(context, auth, rpc, HandlerCalling(service, method, request, response));
}

// RunUnary for a handler that can often answer without waiting, from
// memory kept current: the caller is admitted and `quick` runs at once on
// gRPC's polling thread, skipping the hand-over to the HandlerPool (on two
// cores, most of a cached read's cost). `quick` must never wait: no
// database transaction, no other service, no lock held for long. It
// answers (OK or an error), or returns nullopt and `handler` then runs on
// the HandlerPool as in RunUnary. `quick` is callable as
// std::optional<absl::Status>(const Principal&); `handler` as RunUnary's.
template <typename Quick, typename Handler>
grpc::ServerUnaryReactor* RunUnaryQuickFirst(grpc::CallbackServerContext* context,
                                             const Authenticator& auth, absl::string_view rpc,
                                             Quick&& quick, Handler&& handler) {
  const std::optional<absl::Status> answer = CallGuarded(rpc, [&]() -> std::optional<absl::Status> {
    absl::StatusOr<Principal> principal = AdmitCaller(*context, auth, rpc);
    if (!principal.ok()) return principal.status();
    return quick(*principal);
  });
  if (!answer.has_value()) {
    return RunUnary(context, auth, rpc, std::forward<Handler>(handler));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(*answer));
  return reactor;
}

// ServeUnary with a `quick` member first (RunUnaryQuickFirst), taking
// (const Principal&, const Request&) and returning
// std::optional<absl::StatusOr<Response>>: nullopt when it cannot answer
// without waiting.
template <typename Service, typename Request, typename Response>
grpc::ServerUnaryReactor* ServeUnaryQuickFirst(
    grpc::CallbackServerContext* context, const Authenticator& auth, absl::string_view rpc,
    Service* service,
    std::optional<absl::StatusOr<Response>> (Service::*quick)(const Principal&, const Request&),
    absl::StatusOr<Response> (Service::*method)(const Principal&, const Request&),
    const Request* request, Response* response) {
  auto quick_answer = [service, quick, request,
                       response](const Principal& who) -> std::optional<absl::Status> {
    std::optional<absl::StatusOr<Response>> result = (service->*quick)(who, *request);
    if (!result.has_value()) return std::nullopt;
    if (!result->ok()) return result->status();
    *response = std::move(**result);
    return absl::OkStatus();
  };
  return RunUnaryQuickFirst(context, auth, rpc, quick_answer,
                            HandlerCalling(service, method, request, response));
}

}  // namespace uplift

// Defines the forwarding of unary RPC `Method` of `GrpcClass` (implementing
// the generated service `Generated`, e.g. v1::EnterpriseRegistry, whose
// messages are ns::<Method>Request and ns::<Method>Response) to
// service_->Method, with auth_ as the authenticator.
#define UPLIFT_SERVE_UNARY(GrpcClass, Generated, ns, Method)                                 \
  grpc::ServerUnaryReactor* GrpcClass::Method(grpc::CallbackServerContext* context,           \
                                             const ns::Method##Request* request,              \
                                             ns::Method##Response* response) {                \
    static const std::string kRpc = std::string(Generated::service_full_name()) + "/" #Method; \
    return ::uplift::ServeUnary(context, *auth_, kRpc, service_,                               \
                                &std::remove_pointer_t<decltype(service_)>::Method, request,   \
                                response);                                                     \
  }

// What a call's log line carries beyond its method and status: the request
// id (the caller's x-request-id when it is a sane one, else a new one) and
// the subject that made the call. AdmitCaller records the subject when it
// admits the caller; the logging interceptor takes both when the status
// goes out.
#pragma once

#include <string>

#include <grpcpp/server_context.h>

namespace uplift {

// The metadata key a request id travels under (uplift-web sets it).
inline constexpr char kRequestIdHeader[] = "x-request-id";

class CallLogContext {
 public:
  static void SetSubject(const grpc::ServerContextBase* call, const std::string& subject);
  // The subject recorded for `call` (empty: none), forgetting it.
  static std::string TakeSubject(const grpc::ServerContextBase* call);
  // The caller's request id if it is 1 to 64 of [A-Za-z0-9._-], else a new
  // one (16 hex digits).
  static std::string RequestId(const grpc::ServerContextBase& call);
};

// `id` if it is a request id worth keeping (as above), else a new one.
std::string SaneRequestId(const std::string& id);

}  // namespace uplift

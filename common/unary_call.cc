// Authentication and the access gate of every call.
#include "common/unary_call.h"

#include "common/call_log_context.h"

namespace uplift {

absl::StatusOr<Principal> AdmitCaller(const grpc::CallbackServerContext& context,
                                      const Authenticator& auth, absl::string_view rpc) {
  absl::StatusOr<Principal> principal = auth.Authenticate(context);
  if (!principal.ok()) return principal.status();
  CallLogContext::SetSubject(&context, principal->subject);
  if (absl::Status gate = AccessTable::Builtin().Gate(*principal, rpc); !gate.ok()) return gate;
  principal->call_deadline = absl::FromChrono(context.deadline());
  return principal;
}

}  // namespace uplift

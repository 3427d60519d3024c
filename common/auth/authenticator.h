// Verifies the bearer token of a call and yields its Principal. Verified
// tokens are cached (signature checks cost tens of microseconds); expiry is
// checked on every call against the injected clock.
#pragma once

#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include <grpcpp/server_context.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/principal.h"
#include "common/auth/token.h"
#include "common/clock.h"

namespace uplift {

class Authenticator {
 public:
  Authenticator(std::unique_ptr<TokenVerifier> verifier, const Clock* clock)
      : verifier_(std::move(verifier)), clock_(clock) {}

  // `authorization` is the metadata value, "Bearer <token>". Missing, bad or
  // expired: UNAUTHENTICATED with the reason.
  absl::StatusOr<Principal> Authenticate(absl::string_view authorization) const;
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const;

 private:
  static constexpr size_t kMaxCached = 10000;
  std::unique_ptr<TokenVerifier> verifier_;
  const Clock* clock_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Principal> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace uplift

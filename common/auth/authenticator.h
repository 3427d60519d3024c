// Verifies the bearer token of a call and yields its Principal. A token is
// accepted only if its signature verifies, it names this service among its
// audiences, it has an expiry no further than kMaxTokenLifetime from its
// issue and not yet passed, a role that acts for a unit carries one, and
// its id is not revoked. Verified tokens are cached (signature checks cost
// tens of microseconds); expiry and revocation are checked on every call,
// and again by long streams while they run (StillValid).
#pragma once

#include <memory>
#include <string>

#include <grpcpp/server_context.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/principal.h"
#include "common/auth/revocation_list.h"
#include "common/auth/token.h"
#include "common/clock.h"

namespace uplift {

class Authenticator {
 public:
  // `audience` is this service's name ("uplift-registry"); `revoked` may be
  // null (no revocations) and must outlive the authenticator.
  Authenticator(std::unique_ptr<TokenVerifier> verifier, const Clock* clock, std::string audience,
                const RevocationList* revoked = nullptr)
      : verifier_(std::move(verifier)),
        clock_(clock),
        audience_(std::move(audience)),
        revoked_(revoked) {}

  // `authorization` is the metadata value, "Bearer <token>". Missing, bad,
  // expired, revoked or for another service: UNAUTHENTICATED with the reason.
  absl::StatusOr<Principal> Authenticate(absl::string_view authorization) const;
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const;

  // For a stream in progress: UNAUTHENTICATED once the principal's token has
  // expired or been revoked.
  absl::Status StillValid(const Principal& principal) const;

  const std::string& audience() const { return audience_; }

 private:
  // The claims' own checks, once per token (then cached).
  absl::StatusOr<Principal> Admit(const TokenClaims& claims) const;

  static constexpr size_t kMaxCached = 10000;
  std::unique_ptr<TokenVerifier> verifier_;
  const Clock* clock_;
  const std::string audience_;
  const RevocationList* const revoked_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Principal> cache_ ABSL_GUARDED_BY(mu_);
};

// Roles that act for a unit and are refused without one.
bool RoleNeedsUnit(Role role);

}  // namespace uplift

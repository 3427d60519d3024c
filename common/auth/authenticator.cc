// Bearer-token authentication with a bounded cache of verified tokens.
#include "common/auth/authenticator.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time_util.h"

namespace uplift {

using uplift::auth::v1::ROLE_DEPARTMENT;
using uplift::auth::v1::ROLE_LEADER;
using uplift::auth::v1::ROLE_PLAN_OWNER;
using uplift::auth::v1::ROLE_PROVINCE;
using uplift::auth::v1::ROLE_TOWNSHIP;
using uplift::auth::v1::ROLE_UNSPECIFIED;

bool RoleNeedsUnit(Role role) {
  return role == ROLE_PLAN_OWNER || role == ROLE_DEPARTMENT || role == ROLE_TOWNSHIP ||
         role == ROLE_LEADER || role == ROLE_PROVINCE;
}

absl::StatusOr<Principal> Authenticator::Admit(const TokenClaims& claims) const {
  if (claims.role() == ROLE_UNSPECIFIED || !uplift::auth::v1::Role_IsValid(claims.role()) ||
      claims.subject().empty()) {
    return absl::UnauthenticatedError("token: has no role or subject");
  }
  if (RoleNeedsUnit(claims.role()) && claims.unit_id().empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "token: role ", RoleName(claims.role()), " acts for a unit, and this token names none"));
  }
  if (std::find(claims.audiences().begin(), claims.audiences().end(), audience_) ==
      claims.audiences().end()) {
    return absl::UnauthenticatedError(
        absl::StrCat("token: not issued for ", audience_, "; mint one that names it"));
  }
  if (claims.expires_at_unix() <= 0) {
    return absl::UnauthenticatedError("token: has no expiry; tokens that never expire are refused");
  }
  if (absl::Seconds(claims.expires_at_unix() - claims.issued_at_unix()) > kMaxTokenLifetime) {
    return absl::UnauthenticatedError(
        absl::StrCat("token: lives longer than the ", absl::ToInt64Hours(kMaxTokenLifetime) / 24,
                     " days allowed"));
  }
  Principal principal;
  principal.subject = claims.subject();
  principal.subject_name = claims.subject_name();
  principal.role = claims.role();
  principal.unit_id = claims.unit_id();
  principal.token_id = claims.token_id();
  principal.expires_at_unix = claims.expires_at_unix();
  return principal;
}

absl::Status Authenticator::StillValid(const Principal& principal) const {
  if (absl::ToUnixSeconds(clock_->Now()) >= principal.expires_at_unix) {
    return absl::UnauthenticatedError(absl::StrCat(
        "token: expired at ", FormatLocalTime(absl::FromUnixSeconds(principal.expires_at_unix)),
        " (Asia/Shanghai); sign in again or mint a new one"));
  }
  if (revoked_ != nullptr && revoked_->IsRevoked(principal.token_id)) {
    return absl::UnauthenticatedError("token: revoked");
  }
  return absl::OkStatus();
}

absl::StatusOr<Principal> Authenticator::Authenticate(absl::string_view authorization) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "missing authorization metadata: send \"authorization: Bearer <token>\"");
  }
  if (!absl::StartsWithIgnoreCase(authorization, "bearer ")) {
    return absl::UnauthenticatedError("authorization: expected \"Bearer <token>\"");
  }
  const absl::string_view token = absl::StripAsciiWhitespace(authorization.substr(7));
  Principal principal;
  bool cached = false;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = cache_.find(token);  // heterogeneous lookup: no copy of the token
    if (it != cache_.end()) principal = it->second, cached = true;
  }
  if (!cached) {
    absl::StatusOr<TokenClaims> claims = verifier_->Verify(token);
    if (!claims.ok()) return claims.status();
    absl::StatusOr<Principal> admitted = Admit(*claims);
    if (!admitted.ok()) return admitted.status();
    principal = std::move(*admitted);
    absl::MutexLock lock(&mu_);
    if (cache_.size() >= kMaxCached) cache_.clear();
    cache_.emplace(std::string(token), principal);
  }
  if (absl::Status valid = StillValid(principal); !valid.ok()) return valid;
  principal.bearer_token = std::string(token);
  return principal;
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return Authenticate(absl::string_view());
  return Authenticate(absl::string_view(it->second.data(), it->second.size()));
}

}  // namespace uplift

// Bearer-token authentication with a bounded cache of verified tokens.
#include "common/auth/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time_util.h"

namespace uplift {

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
    if (claims->role() == uplift::auth::v1::ROLE_UNSPECIFIED || claims->subject().empty()) {
      return absl::UnauthenticatedError("token: has no role or subject");
    }
    principal.subject = claims->subject();
    principal.role = claims->role();
    principal.unit_id = claims->unit_id();
    principal.token_id = claims->token_id();
    principal.expires_at_unix = claims->expires_at_unix();
    absl::MutexLock lock(&mu_);
    if (cache_.size() >= kMaxCached) cache_.clear();
    cache_.emplace(std::string(token), principal);
  }
  principal.bearer_token = std::string(token);
  if (principal.expires_at_unix != 0 &&
      absl::ToUnixSeconds(clock_->Now()) >= principal.expires_at_unix) {
    return absl::UnauthenticatedError(absl::StrCat(
        "token: expired at ", FormatLocalTime(absl::FromUnixSeconds(principal.expires_at_unix)),
        " (Asia/Shanghai); mint a new one"));
  }
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

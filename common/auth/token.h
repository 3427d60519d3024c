// Signed bearer tokens: "v1.<base64url(TokenClaims)>.<base64url(signature)>",
// signed with Ed25519. The private key mints (upliftctl, later uplift-web);
// services verify with the public key alone, so no secret lives in a
// service's container. What a verified token may do is the Authenticator's
// business: audience, lifetime, unit, revocation.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/ed25519.h"
#include "uplift/auth/v1/token.pb.h"

namespace uplift {

using TokenClaims = uplift::auth::v1::TokenClaims;

// No token lives longer: minting refuses a longer lifetime and services
// refuse a token whose expiry is further from its issue (or absent).
inline constexpr absl::Duration kMaxTokenLifetime = absl::Hours(24 * 400);

class TokenSigner {
 public:
  // Loads a PKCS#8 PEM Ed25519 private key.
  static absl::StatusOr<TokenSigner> FromPemFile(const std::string& path);
  // Signs `claims` (key_id is filled in).
  std::string Mint(TokenClaims claims) const;
  const std::string& key_id() const { return key_.key_id(); }

 private:
  explicit TokenSigner(Ed25519PrivateKey key) : key_(std::move(key)) {}
  Ed25519PrivateKey key_;
};

class TokenVerifier {
 public:
  // Every Ed25519 public key in a PEM file (several during a key rotation).
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> FromPemFile(const std::string& path);
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> FromPem(absl::string_view pem);
  // Checks the format and the signature. Failures are UNAUTHENTICATED and
  // echo nothing of the token but a quoted, cut key id.
  absl::StatusOr<TokenClaims> Verify(absl::string_view token) const;

 private:
  explicit TokenVerifier(std::unique_ptr<Ed25519PublicKeys> keys) : keys_(std::move(keys)) {}
  std::unique_ptr<Ed25519PublicKeys> keys_;
};

// The claims of a token without checking its signature: for upliftctl to
// show or revoke its own token, never to decide access.
absl::StatusOr<TokenClaims> ReadUnverifiedClaims(absl::string_view token);

}  // namespace uplift

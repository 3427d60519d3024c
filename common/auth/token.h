// Signed bearer tokens: "v1.<base64url(TokenClaims)>.<base64url(signature)>",
// signed with Ed25519. The private key mints (upliftctl); services verify
// with the public key alone, so no secret lives in a service's container.
#pragma once

#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "uplift/auth/v1/token.pb.h"

namespace uplift {

using TokenClaims = uplift::auth::v1::TokenClaims;

class TokenSigner {
 public:
  ~TokenSigner();
  TokenSigner(TokenSigner&&) noexcept;
  // Loads a PKCS#8 PEM Ed25519 private key.
  static absl::StatusOr<TokenSigner> FromPemFile(const std::string& path);
  // Signs `claims` (key_id is filled in).
  std::string Mint(TokenClaims claims) const;
  const std::string& key_id() const { return key_id_; }

 private:
  TokenSigner() = default;
  void* key_ = nullptr;  // EVP_PKEY*
  std::string key_id_;
};

class TokenVerifier {
 public:
  ~TokenVerifier();
  // Loads every Ed25519 public key in a PEM file (several during a key
  // rotation). Fails if there is none.
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> FromPemFile(const std::string& path);
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> FromPem(absl::string_view pem);
  // Checks the format and the signature; expiry is the caller's business.
  // Failures are UNAUTHENTICATED.
  absl::StatusOr<TokenClaims> Verify(absl::string_view token) const;

 private:
  TokenVerifier() = default;
  struct Key {
    std::string key_id;
    void* pkey;  // EVP_PKEY*
  };
  std::vector<Key> keys_;
};

// Writes a new key pair: <dir>/signing.key (mode 0600) and
// <dir>/signing.pub. Refuses to overwrite an existing private key.
absl::Status GenerateSigningKeyPair(const std::string& dir);

}  // namespace uplift

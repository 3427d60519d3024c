// Token format, minting and signature checks.
#include "common/auth/token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"

namespace uplift {
namespace {

constexpr absl::string_view kPrefix = "v1.";
constexpr size_t kMaxTokenChars = 4096;

struct Parts {
  absl::string_view body;  // "v1.<claims>", what is signed
  std::string claims;
  std::string signature;
};

absl::StatusOr<Parts> Split(absl::string_view token) {
  if (token.size() > kMaxTokenChars) return absl::UnauthenticatedError("token: too long");
  if (token.substr(0, kPrefix.size()) != kPrefix) {
    return absl::UnauthenticatedError("token: not a Cluster Uplift token (no \"v1.\" prefix)");
  }
  const size_t dot = token.rfind('.');
  if (dot <= kPrefix.size() - 1) return absl::UnauthenticatedError("token: malformed");
  Parts parts;
  parts.body = token.substr(0, dot);
  if (!absl::WebSafeBase64Unescape(parts.body.substr(kPrefix.size()), &parts.claims) ||
      !absl::WebSafeBase64Unescape(token.substr(dot + 1), &parts.signature)) {
    return absl::UnauthenticatedError("token: malformed base64");
  }
  return parts;
}

}  // namespace

absl::StatusOr<TokenSigner> TokenSigner::FromPemFile(const std::string& path) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPemFile("token signing key", path);
  if (!key.ok()) return key.status();
  return TokenSigner(std::move(*key));
}

std::string TokenSigner::Mint(TokenClaims claims) const {
  claims.set_key_id(key_.key_id());
  const std::string body =
      absl::StrCat(kPrefix, absl::WebSafeBase64Escape(claims.SerializeAsString()));
  return absl::StrCat(body, ".", absl::WebSafeBase64Escape(key_.Sign(body)));
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::FromPemFile(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<Ed25519PublicKeys>> keys =
      Ed25519PublicKeys::FromPemFile("auth public key", path);
  if (!keys.ok()) return keys.status();
  return std::unique_ptr<TokenVerifier>(new TokenVerifier(std::move(*keys)));
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::FromPem(absl::string_view pem) {
  absl::StatusOr<std::unique_ptr<Ed25519PublicKeys>> keys = Ed25519PublicKeys::FromPem(pem);
  if (!keys.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("auth public key: ", keys.status().message()));
  }
  return std::unique_ptr<TokenVerifier>(new TokenVerifier(std::move(*keys)));
}

absl::StatusOr<TokenClaims> TokenVerifier::Verify(absl::string_view token) const {
  absl::StatusOr<Parts> parts = Split(token);
  if (!parts.ok()) return parts.status();
  TokenClaims claims;
  if (!claims.ParseFromString(parts->claims)) {
    return absl::UnauthenticatedError("token: malformed claims");
  }
  if (!keys_->Has(claims.key_id())) {
    return absl::UnauthenticatedError(absl::StrCat(
        "token: signed by key ", QuoteInput(claims.key_id()), ", which this service does not trust"));
  }
  if (!keys_->Verify(claims.key_id(), parts->body, parts->signature)) {
    return absl::UnauthenticatedError("token: signature does not verify");
  }
  return claims;
}

absl::StatusOr<TokenClaims> ReadUnverifiedClaims(absl::string_view token) {
  absl::StatusOr<Parts> parts = Split(token);
  if (!parts.ok()) return parts.status();
  TokenClaims claims;
  if (!claims.ParseFromString(parts->claims)) {
    return absl::UnauthenticatedError("token: malformed claims");
  }
  return claims;
}

}  // namespace uplift

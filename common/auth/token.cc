// Ed25519 signing and verification through OpenSSL 3's EVP interface.
#include "common/auth/token.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace uplift {
namespace {

constexpr absl::string_view kPrefix = "v1.";

std::string KeyIdOf(EVP_PKEY* pkey) {
  unsigned char raw[32];
  size_t len = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1) return "unknown";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(raw, len, digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), 8));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status WriteFile(const std::string& path, const std::string& data, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0) return absl::FailedPreconditionError(absl::StrCat("cannot create ", path));
  const ssize_t n = ::write(fd, data.data(), data.size());
  ::fchmod(fd, mode);
  ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(data.size())) {
    return absl::UnavailableError(absl::StrCat("short write to ", path));
  }
  return absl::OkStatus();
}

std::string Sign(EVP_PKEY* key, absl::string_view data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char sig[64];
  size_t sig_len = sizeof(sig);
  EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key);
  EVP_DigestSign(ctx, sig, &sig_len, reinterpret_cast<const unsigned char*>(data.data()),
                 data.size());
  EVP_MD_CTX_free(ctx);
  return std::string(reinterpret_cast<char*>(sig), sig_len);
}

bool VerifySignature(EVP_PKEY* key, absl::string_view data, absl::string_view sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()),
                             sig.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string PemOf(EVP_PKEY* key, bool private_key) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (private_key) {
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio, key);
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, len);
  BIO_free(bio);
  return pem;
}

}  // namespace

TokenSigner::~TokenSigner() {
  if (key_ != nullptr) EVP_PKEY_free(static_cast<EVP_PKEY*>(key_));
}

TokenSigner::TokenSigner(TokenSigner&& other) noexcept
    : key_(other.key_), key_id_(std::move(other.key_id_)) {
  other.key_ = nullptr;
}

absl::StatusOr<TokenSigner> TokenSigner::FromPemFile(const std::string& path) {
  absl::StatusOr<std::string> pem = ReadFile(path);
  if (!pem.ok()) return pem.status();
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    if (key != nullptr) EVP_PKEY_free(key);
    return absl::InvalidArgumentError(
        absl::StrCat(path, " does not hold an Ed25519 private key"));
  }
  TokenSigner signer;
  signer.key_ = key;
  signer.key_id_ = KeyIdOf(key);
  return signer;
}

std::string TokenSigner::Mint(TokenClaims claims) const {
  claims.set_key_id(key_id_);
  const std::string body =
      absl::StrCat(kPrefix, absl::WebSafeBase64Escape(claims.SerializeAsString()));
  return absl::StrCat(body, ".",
                      absl::WebSafeBase64Escape(Sign(static_cast<EVP_PKEY*>(key_), body)));
}

TokenVerifier::~TokenVerifier() {
  for (Key& k : keys_) EVP_PKEY_free(static_cast<EVP_PKEY*>(k.pkey));
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::FromPemFile(
    const std::string& path) {
  absl::StatusOr<std::string> pem = ReadFile(path);
  if (!pem.ok()) {
    return absl::NotFoundError(absl::StrCat("auth public key: cannot read ", path));
  }
  return FromPem(*pem);
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::FromPem(absl::string_view pem) {
  std::unique_ptr<TokenVerifier> verifier(new TokenVerifier());
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  while (EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr)) {
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
      EVP_PKEY_free(key);
      continue;
    }
    verifier->keys_.push_back({KeyIdOf(key), key});
  }
  BIO_free(bio);
  if (verifier->keys_.empty()) {
    return absl::InvalidArgumentError("auth public key: no Ed25519 public key in the PEM");
  }
  return verifier;
}

absl::StatusOr<TokenClaims> TokenVerifier::Verify(absl::string_view token) const {
  if (token.substr(0, kPrefix.size()) != kPrefix) {
    return absl::UnauthenticatedError("token: not a Cluster Uplift token (no \"v1.\" prefix)");
  }
  const size_t dot = token.rfind('.');
  if (dot <= kPrefix.size() - 1) {
    return absl::UnauthenticatedError("token: malformed");
  }
  const absl::string_view body = token.substr(0, dot);
  std::string claims_bytes, sig;
  if (!absl::WebSafeBase64Unescape(body.substr(kPrefix.size()), &claims_bytes) ||
      !absl::WebSafeBase64Unescape(token.substr(dot + 1), &sig)) {
    return absl::UnauthenticatedError("token: malformed base64");
  }
  TokenClaims claims;
  if (!claims.ParseFromString(claims_bytes)) {
    return absl::UnauthenticatedError("token: malformed claims");
  }
  for (const Key& k : keys_) {
    if (k.key_id != claims.key_id()) continue;
    if (!VerifySignature(static_cast<EVP_PKEY*>(k.pkey), body, sig)) {
      return absl::UnauthenticatedError("token: signature does not verify");
    }
    return claims;
  }
  return absl::UnauthenticatedError(
      absl::StrCat("token: signed by key ", claims.key_id(), ", which this service does not trust"));
}

absl::Status GenerateSigningKeyPair(const std::string& dir) {
  ::mkdir(dir.c_str(), 0700);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  const bool made = ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 &&
                    EVP_PKEY_keygen(ctx, &key) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!made) return absl::InternalError("cannot generate an Ed25519 key");
  absl::Status st = WriteFile(absl::StrCat(dir, "/signing.key"), PemOf(key, true), 0600);
  if (st.ok()) st = WriteFile(absl::StrCat(dir, "/signing.pub"), PemOf(key, false), 0644);
  EVP_PKEY_free(key);
  return st;
}

}  // namespace uplift

// Ed25519 keys with OpenSSL 3's EVP interface.
#include "common/auth/ed25519.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/secret_files.h"

namespace uplift {
namespace {

std::string KeyIdOf(EVP_PKEY* pkey) {
  unsigned char raw[32];
  size_t len = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1) return "unknown";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(raw, len, digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), 8));
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

Ed25519PrivateKey::~Ed25519PrivateKey() {
  if (key_ != nullptr) EVP_PKEY_free(static_cast<EVP_PKEY*>(key_));
}

Ed25519PrivateKey::Ed25519PrivateKey(Ed25519PrivateKey&& other) noexcept
    : key_(other.key_), key_id_(std::move(other.key_id_)) {
  other.key_ = nullptr;
}

Ed25519PrivateKey& Ed25519PrivateKey::operator=(Ed25519PrivateKey&& other) noexcept {
  if (this != &other) {
    if (key_ != nullptr) EVP_PKEY_free(static_cast<EVP_PKEY*>(key_));
    key_ = other.key_;
    key_id_ = std::move(other.key_id_);
    other.key_ = nullptr;
  }
  return *this;
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::FromPemFile(absl::string_view what,
                                                                 const std::string& path) {
  absl::StatusOr<std::string> pem = ReadSecretFile(what, path);
  if (!pem.ok()) return pem.status();
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    if (key != nullptr) EVP_PKEY_free(key);
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", path, " does not hold an Ed25519 private key"));
  }
  Ed25519PrivateKey signer;
  signer.key_ = key;
  signer.key_id_ = KeyIdOf(key);
  return signer;
}

std::string Ed25519PrivateKey::Sign(absl::string_view data) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char sig[64];
  size_t sig_len = sizeof(sig);
  EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, static_cast<EVP_PKEY*>(key_));
  EVP_DigestSign(ctx, sig, &sig_len, reinterpret_cast<const unsigned char*>(data.data()),
                 data.size());
  EVP_MD_CTX_free(ctx);
  return std::string(reinterpret_cast<char*>(sig), sig_len);
}

Ed25519PublicKeys::~Ed25519PublicKeys() {
  for (Key& k : keys_) EVP_PKEY_free(static_cast<EVP_PKEY*>(k.pkey));
}

absl::StatusOr<std::unique_ptr<Ed25519PublicKeys>> Ed25519PublicKeys::FromPem(
    absl::string_view pem) {
  std::unique_ptr<Ed25519PublicKeys> keys(new Ed25519PublicKeys());
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  while (EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr)) {
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
      EVP_PKEY_free(key);
      continue;
    }
    keys->keys_.push_back({KeyIdOf(key), key});
  }
  BIO_free(bio);
  if (keys->keys_.empty()) {
    return absl::InvalidArgumentError("no Ed25519 public key in the PEM");
  }
  return keys;
}

absl::StatusOr<std::unique_ptr<Ed25519PublicKeys>> Ed25519PublicKeys::FromPemFile(
    absl::string_view what, const std::string& path) {
  absl::StatusOr<std::string> pem = ReadSecretFile(what, path);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<std::unique_ptr<Ed25519PublicKeys>> keys = FromPem(*pem);
  if (!keys.ok()) return absl::InvalidArgumentError(absl::StrCat(what, ": ", path, ": ",
                                                                 keys.status().message()));
  return keys;
}

bool Ed25519PublicKeys::Has(absl::string_view key_id) const {
  for (const Key& k : keys_) {
    if (k.key_id == key_id) return true;
  }
  return false;
}

bool Ed25519PublicKeys::Verify(absl::string_view key_id, absl::string_view data,
                               absl::string_view sig) const {
  for (const Key& k : keys_) {
    if (k.key_id != key_id) continue;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok =
        EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, static_cast<EVP_PKEY*>(k.pkey)) ==
            1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                         reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
  }
  return false;
}

absl::Status GenerateEd25519KeyPair(const std::string& private_path,
                                    const std::string& public_path) {
  if (PathExists(private_path) || PathExists(public_path)) {
    return absl::AlreadyExistsError(
        absl::StrCat(private_path, " or ", public_path, " exists; not replacing a key"));
  }
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  const bool made =
      ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &key) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!made) return absl::InternalError("cannot generate an Ed25519 key");
  absl::Status st = WriteNewFile(private_path, PemOf(key, true), 0600);
  if (st.ok()) st = WriteNewFile(public_path, PemOf(key, false), 0644);
  EVP_PKEY_free(key);
  return st;
}

}  // namespace uplift

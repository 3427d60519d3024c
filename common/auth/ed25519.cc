// Ed25519 keys: PEM files through OpenSSL 3, signatures through libsodium.
#include "common/auth/ed25519.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <sodium.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/secret_files.h"

namespace uplift {
namespace {

std::string KeyIdOf(const std::array<unsigned char, 32>& public_key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(public_key.data(), public_key.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), 8));
}

// The raw 32-byte public key of an Ed25519 EVP_PKEY.
bool RawPublicKey(EVP_PKEY* pkey, std::array<unsigned char, 32>* raw) {
  size_t len = raw->size();
  return EVP_PKEY_get_raw_public_key(pkey, raw->data(), &len) == 1 && len == raw->size();
}

// libsodium must be initialised once before it is used; repeated calls are
// harmless and it is thread-safe.
void InitSodium() {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
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

Ed25519PrivateKey::~Ed25519PrivateKey() { sodium_memzero(secret_.data(), secret_.size()); }

Ed25519PrivateKey::Ed25519PrivateKey(Ed25519PrivateKey&& other) noexcept
    : secret_(other.secret_), key_id_(std::move(other.key_id_)) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

Ed25519PrivateKey& Ed25519PrivateKey::operator=(Ed25519PrivateKey&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    key_id_ = std::move(other.key_id_);
    sodium_memzero(other.secret_.data(), other.secret_.size());
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
  InitSodium();
  unsigned char seed[crypto_sign_SEEDBYTES];
  size_t seed_len = sizeof(seed);
  std::array<unsigned char, 32> public_key;
  const bool raw = EVP_PKEY_get_raw_private_key(key, seed, &seed_len) == 1 &&
                   seed_len == sizeof(seed) && RawPublicKey(key, &public_key);
  EVP_PKEY_free(key);
  if (!raw) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", path, ": cannot read the Ed25519 key's bytes"));
  }
  Ed25519PrivateKey signer;
  unsigned char derived_public[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(derived_public, signer.secret_.data(), seed);
  sodium_memzero(seed, sizeof(seed));
  signer.key_id_ = KeyIdOf(public_key);
  return signer;
}

std::string Ed25519PrivateKey::Sign(absl::string_view data) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size(), secret_.data());
  return std::string(reinterpret_cast<char*>(sig), sizeof(sig));
}

absl::StatusOr<std::unique_ptr<Ed25519PublicKeys>> Ed25519PublicKeys::FromPem(
    absl::string_view pem) {
  InitSodium();
  std::unique_ptr<Ed25519PublicKeys> keys(new Ed25519PublicKeys());
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  while (EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr)) {
    Key k;
    if (EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 && RawPublicKey(key, &k.raw)) {
      k.key_id = KeyIdOf(k.raw);
      keys->keys_.push_back(std::move(k));
    }
    EVP_PKEY_free(key);
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
    return sig.size() == crypto_sign_BYTES &&
           crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                       reinterpret_cast<const unsigned char*>(data.data()),
                                       data.size(), k.raw.data()) == 0;
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

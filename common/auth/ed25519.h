// Ed25519: a private key that signs, a set of public keys that verify
// (several during a key rotation), and the generation of a key pair as PEM
// files. OpenSSL 3 reads and writes the PEM files; libsodium signs and
// verifies (the same signatures, Ed25519 is deterministic, in about half
// OpenSSL's time: its EVP interface looks the algorithm up on every call). Bearer tokens (token.h)
// and stream envelopes (common/event_signature.h) are signed with it. Keys are read with
// ReadSecretFile, so never through a symbolic link.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace uplift {

class Ed25519PrivateKey {
 public:
  ~Ed25519PrivateKey();
  Ed25519PrivateKey(Ed25519PrivateKey&& other) noexcept;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&& other) noexcept;
  Ed25519PrivateKey(const Ed25519PrivateKey&) = delete;
  Ed25519PrivateKey& operator=(const Ed25519PrivateKey&) = delete;

  // A PKCS#8 PEM file; `what` names it in errors.
  static absl::StatusOr<Ed25519PrivateKey> FromPemFile(absl::string_view what,
                                                       const std::string& path);
  std::string Sign(absl::string_view data) const;  // 64 bytes
  // 16 hex characters of the public key's SHA-256.
  const std::string& key_id() const { return key_id_; }

 private:
  Ed25519PrivateKey() = default;
  std::array<unsigned char, 64> secret_{};  // libsodium's: the seed, then the public key
  std::string key_id_;
};

class Ed25519PublicKeys {
 public:
  Ed25519PublicKeys(const Ed25519PublicKeys&) = delete;
  Ed25519PublicKeys& operator=(const Ed25519PublicKeys&) = delete;

  // Every Ed25519 public key in the PEM text; INVALID_ARGUMENT if none.
  static absl::StatusOr<std::unique_ptr<Ed25519PublicKeys>> FromPem(absl::string_view pem);
  static absl::StatusOr<std::unique_ptr<Ed25519PublicKeys>> FromPemFile(absl::string_view what,
                                                                        const std::string& path);
  bool Has(absl::string_view key_id) const;
  // True if the key `key_id` is known and its signature of `data` is `sig`.
  bool Verify(absl::string_view key_id, absl::string_view data, absl::string_view sig) const;

 private:
  Ed25519PublicKeys() = default;
  struct Key {
    std::string key_id;
    std::array<unsigned char, 32> raw;
  };
  std::vector<Key> keys_;
};

// Writes a new key pair: `private_path` (0600) and `public_path` (0644).
// Refuses to replace either.
absl::Status GenerateEd25519KeyPair(const std::string& private_path,
                                    const std::string& public_path);

}  // namespace uplift

// Secrets at rest (webhook shared secrets): AES-256-GCM under a key kept in
// a file of its own (mode 0600, outside the database and its backups).
// Sealed form: 12-byte nonce || ciphertext || 16-byte tag.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace uplift::notify {

class SecretBox {
 public:
  // The key file holds 64 hex characters (32 bytes).
  static absl::StatusOr<SecretBox> FromKeyFile(const std::string& path);
  static absl::StatusOr<SecretBox> FromKey(const std::string& key_bytes);
  // Writes a new random key file (mode 0600); refuses to overwrite.
  static absl::Status GenerateKeyFile(const std::string& path);

  std::string Seal(const std::string& plaintext) const;
  // DATA_LOSS if the sealed bytes were altered or another key sealed them.
  absl::StatusOr<std::string> Open(const std::string& sealed) const;

 private:
  std::string key_;
};

// First 8 hex characters of SHA-256: shows which secret without showing it.
std::string Fingerprint(const std::string& secret);

}  // namespace uplift::notify

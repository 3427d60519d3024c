// AES-256-GCM through OpenSSL's EVP interface.
#include "services/notify/secret_box.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace uplift::notify {
namespace {

constexpr int kNonce = 12;
constexpr int kTag = 16;

}  // namespace

absl::StatusOr<SecretBox> SecretBox::FromKey(const std::string& key_bytes) {
  if (key_bytes.size() != 32) return absl::InvalidArgumentError("secrets key: must be 32 bytes");
  SecretBox box;
  box.key_ = key_bytes;
  return box;
}

absl::StatusOr<SecretBox> SecretBox::FromKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("secrets key: cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string hex(absl::StripAsciiWhitespace(ss.str()));
  if (hex.size() != 64 || !std::all_of(hex.begin(), hex.end(), absl::ascii_isxdigit)) {
    return absl::InvalidArgumentError(absl::StrCat("secrets key: ", path, " must hold 64 hex characters"));
  }
  return FromKey(absl::HexStringToBytes(hex));
}

absl::Status SecretBox::GenerateKeyFile(const std::string& path) {
  unsigned char key[32];
  if (RAND_bytes(key, sizeof(key)) != 1) return absl::InternalError("RAND_bytes failed");
  const std::string hex = absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(key), sizeof(key))) + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return absl::FailedPreconditionError(absl::StrCat("cannot create ", path));
  const bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
  ::fchmod(fd, 0600);
  ::fsync(fd);
  ::close(fd);
  return ok ? absl::OkStatus() : absl::UnavailableError(absl::StrCat("short write to ", path));
}

std::string SecretBox::Seal(const std::string& plaintext) const {
  std::string out(kNonce + plaintext.size() + kTag, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  RAND_bytes(bytes, kNonce);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                     reinterpret_cast<const unsigned char*>(key_.data()), bytes);
  EVP_EncryptUpdate(ctx, bytes + kNonce, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                    static_cast<int>(plaintext.size()));
  EVP_EncryptFinal_ex(ctx, bytes + kNonce + len, &len);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTag, bytes + kNonce + plaintext.size());
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

absl::StatusOr<std::string> SecretBox::Open(const std::string& sealed) const {
  if (sealed.size() < kNonce + kTag) return absl::DataLossError("sealed secret is too short");
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
  const size_t n = sealed.size() - kNonce - kTag;
  std::string plain(n, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                     reinterpret_cast<const unsigned char*>(key_.data()), bytes);
  EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(plain.data()), &len, bytes + kNonce,
                    static_cast<int>(n));
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTag,
                      const_cast<unsigned char*>(bytes + kNonce + n));
  const bool ok = EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(plain.data()) + len, &len) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return absl::DataLossError("sealed secret does not open with this key");
  return plain;
}

std::string Fingerprint(const std::string& secret) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), 4));
}

}  // namespace uplift::notify

// The password policy.
#include "services/web/password_policy.h"

#include <openssl/rand.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"

namespace uplift::web {
namespace {

// Lower-cased; a password containing one of them whole is refused.
constexpr const char* kCommon[] = {"password", "12345678", "123456789", "1234567890", "qwerty",
                                   "11111111", "00000000", "abc123",    "iloveyou",   "admin123",
                                   "88888888", "66666666", "a123456",   "woaini",     "1qaz2wsx"};

}  // namespace

absl::Status CheckPasswordStrength(absl::string_view field, absl::string_view password,
                                   absl::string_view login) {
  const long chars = Utf8Length(password);
  if (chars < 0) return FieldError(field, "must be valid UTF-8 text");
  if (chars < kMinPasswordChars) {
    return FieldError(field, absl::StrCat("must be at least ", kMinPasswordChars, " characters"));
  }
  if (chars > kMaxPasswordChars) {
    return FieldError(field, absl::StrCat("must be at most ", kMaxPasswordChars, " characters"));
  }
  bool letter = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (c < 0x20 || c == 0x7f) return FieldError(field, "must not hold control characters");
    if (absl::ascii_isalpha(c)) {
      letter = true;
    } else if (absl::ascii_isdigit(c)) {
      digit = true;
    } else {
      other = true;
    }
  }
  if (letter + digit + other < 2) {
    return FieldError(field, "must mix at least two kinds of characters: letters, digits, others");
  }
  const std::string lower = absl::AsciiStrToLower(password);
  if (!login.empty() && absl::StrContains(lower, absl::AsciiStrToLower(login))) {
    return FieldError(field, "must not contain the login name");
  }
  for (const char* common : kCommon) {
    if (absl::StrContains(lower, common)) {
      return FieldError(field, "is too easy to guess: it contains a well-known password");
    }
  }
  return absl::OkStatus();
}

std::string GeneratePassword() {
  // No 0/O, 1/l/I: people copy it by hand.
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  constexpr size_t kSize = sizeof(kAlphabet) - 1;
  for (;;) {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof(bytes)) != 1) continue;
    std::string out;
    for (unsigned char b : bytes) out.push_back(kAlphabet[b % kSize]);
    // Groups of four with '-', so the generated password always mixes kinds.
    const std::string shown = absl::StrCat(out.substr(0, 4), "-", out.substr(4, 4), "-",
                                           out.substr(8, 4), "-", out.substr(12, 4));
    if (CheckPasswordStrength("password", shown, "").ok()) return shown;
  }
}

}  // namespace uplift::web

// The minimum strength of a password a person chooses or an ADMIN sets:
// 10 to 128 characters, at least two kinds of characters (letters, digits,
// others), not containing the login name, and none of the passwords every
// guessing list starts with. The error names the field and says which
// rule failed, never the password.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace uplift::web {

inline constexpr int kMinPasswordChars = 10;
inline constexpr int kMaxPasswordChars = 128;

absl::Status CheckPasswordStrength(absl::string_view field, absl::string_view password,
                                   absl::string_view login);

// A random password that passes the policy (16 characters), for accounts an
// ADMIN creates or resets without choosing one.
std::string GeneratePassword();

}  // namespace uplift::web

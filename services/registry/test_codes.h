// Valid unified social credit codes for tests and benchmarks.
#pragma once

#include <string>

#include "absl/strings/str_format.h"
#include "services/registry/credit_code.h"

namespace uplift::registry {

// The n-th test code: "91130184MA" + n in 7 digits + its check character.
inline std::string TestCreditCode(int n) {
  return WithCheckCharacter(absl::StrFormat("91130184MA%07d", n));
}

}  // namespace uplift::registry

// The unified social credit code (统一社会信用代码), GB 32100-2015: 18
// characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z); the
// 1st is the registering authority, the 2nd the entity type, the 3rd-8th
// the administrative division (digits), the 9th-17th the organisation code,
// and the 18th a check character over the first 17.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace uplift::registry {

// Upper-cases ASCII letters and trims surrounding spaces (codes copied from
// spreadsheets and licences arrive both ways).
std::string NormalizeCreditCode(absl::string_view code);

// The check character for the first 17 characters, or '\0' if any of them
// is outside the code's alphabet.
char CreditCodeCheckCharacter(absl::string_view first17);

// `first17` followed by its check character (generators and tests).
std::string WithCheckCharacter(absl::string_view first17);

// INVALID_ARGUMENT naming `field` unless `code` (already normalized) is a
// well-formed code whose check character matches.
absl::Status CheckCreditCode(absl::string_view field, absl::string_view code);

}  // namespace uplift::registry

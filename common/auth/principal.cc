// Role names for people: ADMIN, PLAN_OWNER, ...
#include "common/auth/principal.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace uplift {

std::string RoleName(Role role) {
  std::string name = uplift::auth::v1::Role_Name(role);
  if (absl::StartsWith(name, "ROLE_")) name = name.substr(5);
  return name;
}

bool ParseRoleName(const std::string& text, Role* role) {
  std::string upper = absl::AsciiStrToUpper(text);
  if (!absl::StartsWith(upper, "ROLE_")) upper = "ROLE_" + upper;
  return uplift::auth::v1::Role_Parse(upper, role) &&
         *role != uplift::auth::v1::ROLE_UNSPECIFIED;
}

}  // namespace uplift

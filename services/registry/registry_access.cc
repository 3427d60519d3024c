// The registry's access rules.
#include "services/registry/registry_access.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace uplift::registry {

using uplift::auth::v1::ROLE_ADMIN;
using uplift::auth::v1::ROLE_DEPARTMENT;
using uplift::auth::v1::ROLE_PLAN_OWNER;
using uplift::auth::v1::ROLE_SERVICE;
using uplift::auth::v1::ROLE_TOWNSHIP;

absl::Status RequireRole(const Principal& who, std::initializer_list<Role> roles,
                         absl::string_view action) {
  std::vector<std::string> names;
  for (Role r : roles) {
    if (who.role == r) return absl::OkStatus();
    names.push_back(RoleName(r));
  }
  return absl::PermissionDeniedError(absl::StrCat("role ", RoleName(who.role), " may not ",
                                                  action, "; allowed: ",
                                                  absl::StrJoin(names, ", ")));
}

absl::Status CanEditUnitsAndClusters(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER, ROLE_SERVICE},
                     "create or update units and clusters");
}

absl::Status CanWriteEnterprises(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER, ROLE_TOWNSHIP},
                     "create, update or import enterprises");
}

absl::Status CanManageTiers(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER}, "award or revoke tiers");
}

absl::Status CanManageListingPool(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER, ROLE_DEPARTMENT},
                     "change the listing reserve pool");
}

absl::Status CanManageAboveSizePool(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER, ROLE_TOWNSHIP},
                     "change the above-size cultivation pool");
}

absl::Status CanMarkAboveSize(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER}, "record the above-size step");
}

absl::Status CanReadAudit(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN}, "read the audit log");
}

absl::Status CanTouchEnterpriseIn(const Principal& who, absl::string_view township_id) {
  if (who.role != ROLE_TOWNSHIP || who.unit_id == township_id) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "township ", who.unit_id, " may write only its own enterprises; this one belongs to ",
      township_id));
}

}  // namespace uplift::registry

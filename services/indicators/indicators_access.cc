// The indicator service's access rules.
#include "services/indicators/indicators_access.h"

#include "absl/strings/str_cat.h"
#include "services/registry/registry_access.h"

namespace uplift::indicators {

using uplift::auth::v1::ROLE_ADMIN;
using uplift::auth::v1::ROLE_DEPARTMENT;
using uplift::auth::v1::ROLE_PLAN_OWNER;
using uplift::auth::v1::ROLE_SERVICE;
using uplift::auth::v1::ROLE_TOWNSHIP;
using uplift::registry::RequireRole;

absl::Status CanSubmitReports(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER, ROLE_DEPARTMENT, ROLE_TOWNSHIP, ROLE_SERVICE},
                     "submit enterprise figures");
}

absl::Status CanReportFor(const Principal& who, const std::string& credit_code,
                          const std::string& township_id, const std::string& field) {
  if (who.role != ROLE_TOWNSHIP || who.unit_id == township_id) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(field, ": enterprise ", credit_code, " is in ",
                                                  township_id, ", not in the caller's township ",
                                                  who.unit_id));
}

bool SeesEnterprise(const Principal& who, const std::string& township_id) {
  return who.role != ROLE_TOWNSHIP || who.unit_id == township_id;
}

absl::Status CanClosePeriod(const Principal& who) {
  return RequireRole(who, {ROLE_ADMIN, ROLE_PLAN_OWNER, ROLE_SERVICE}, "close a month");
}

}  // namespace uplift::indicators

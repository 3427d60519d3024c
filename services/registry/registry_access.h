// Who may do what in the registry (docs/registry.md has the table). Reads
// are open to every authenticated principal; writes by role, and a township
// only for its own enterprises.
#pragma once

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace uplift::registry {

// PERMISSION_DENIED naming the action and the roles that may do it.
absl::Status RequireRole(const Principal& who, std::initializer_list<Role> roles,
                         absl::string_view action);

// Roles per write.
absl::Status CanEditUnitsAndClusters(const Principal& who);
absl::Status CanWriteEnterprises(const Principal& who);  // before looking at the row
absl::Status CanManageTiers(const Principal& who);
absl::Status CanManageListingPool(const Principal& who);
absl::Status CanManageAboveSizePool(const Principal& who);  // before looking at the row
absl::Status CanMarkAboveSize(const Principal& who);
absl::Status CanReadAudit(const Principal& who);

// A township may touch only enterprises of its own unit.
absl::Status CanTouchEnterpriseIn(const Principal& who, absl::string_view township_id);

}  // namespace uplift::registry

// Access in the registry. The suite's access table decides who may call
// what (docs/access.md); this says what "own unit" means for the registry's
// resources: a township's own enterprises are those of its township, and
// the listing reserve pool is a department's own when the department is
// one of the listing-pool departments (--listing-pool-departments; 市地方
// 金融监管局, dept-jrj, co-owns task 二(二)2 in the Xinle plan).
#pragma once

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/access_table.h"
#include "common/auth/principal.h"

namespace uplift::registry {

class RegistryAccess {
 public:
  explicit RegistryAccess(std::set<std::string> listing_pool_departments = {"dept-jrj"})
      : listing_pool_departments_(std::move(listing_pool_departments)) {}

  // May `who` call `method` at all (before looking at any row)?
  absl::Status Gate(const Principal& who, absl::string_view method) const;
  // For an enterprise of `township_id`.
  absl::Status CheckTownship(const Principal& who, absl::string_view method,
                             absl::string_view township_id) const;
  // For the listing reserve pool.
  absl::Status CheckListingPool(const Principal& who, absl::string_view method) const;

 private:
  const ServiceAccess table_{"uplift.registry.v1.EnterpriseRegistry"};
  const std::set<std::string> listing_pool_departments_;
};

}  // namespace uplift::registry

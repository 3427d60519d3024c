// The registry's meaning of "own unit".
#include "services/registry/registry_access.h"

namespace uplift::registry {

absl::Status RegistryAccess::Gate(const Principal& who, absl::string_view method) const {
  return table_.Gate(who, method);
}

absl::Status RegistryAccess::CheckTownship(const Principal& who, absl::string_view method,
                                           absl::string_view township_id) const {
  return table_.CheckUnit(who, method, township_id);
}

absl::Status RegistryAccess::CheckListingPool(const Principal& who,
                                              absl::string_view method) const {
  return table_.Check(who, method, listing_pool_departments_.count(who.unit_id) > 0);
}

}  // namespace uplift::registry

// The registry's meaning of "own unit".
#include "services/registry/registry_access.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace uplift::registry {

absl::Status RegistryAccess::Gate(const Principal& who, absl::string_view method) const {
  return table_.Gate(who, method);
}

absl::Status RegistryAccess::CheckTownship(const Principal& who, absl::string_view method,
                                           absl::string_view township_id) const {
  absl::Status s = table_.CheckUnit(who, method, township_id);
  if (s.ok() || !table_.Gate(who, method).ok()) return s;
  return absl::PermissionDeniedError(absl::StrCat(
      "township ", who.unit_id, " may write only its own enterprises; this one belongs to ",
      township_id));
}

absl::Status RegistryAccess::CheckListingPool(const Principal& who,
                                              absl::string_view method) const {
  absl::Status s = table_.Check(who, method, listing_pool_departments_.count(who.unit_id) > 0);
  if (s.ok() || !table_.Gate(who, method).ok()) return s;
  return absl::PermissionDeniedError(absl::StrCat(
      "department ", who.unit_id, " does not manage the listing reserve pool (those that do: ",
      absl::StrJoin(listing_pool_departments_, ", "), ")"));
}

}  // namespace uplift::registry

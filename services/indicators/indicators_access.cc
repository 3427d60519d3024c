// The indicator service's meaning of "own unit".
#include "services/indicators/indicators_access.h"

#include "absl/strings/str_cat.h"

namespace uplift::indicators {

absl::Status IndicatorsAccess::Gate(const Principal& who, absl::string_view method) const {
  return table_.Gate(who, method);
}

absl::Status IndicatorsAccess::CheckEnterprise(const Principal& who, absl::string_view method,
                                               const std::string& credit_code,
                                               const std::string& township_id,
                                               const std::string& field) const {
  absl::Status s = table_.CheckUnit(who, method, township_id);
  if (s.ok() || !table_.Gate(who, method).ok()) return s;
  return absl::PermissionDeniedError(absl::StrCat(field, ": enterprise ", credit_code, " is in ",
                                                  township_id, ", not in the caller's township ",
                                                  who.unit_id));
}

bool IndicatorsAccess::Restricted(const Principal& who, absl::string_view method) const {
  return table_.Restricted(who, method);
}

absl::Status IndicatorsAccess::CheckUnit(const Principal& who, absl::string_view method,
                                         absl::string_view unit_id) const {
  return table_.CheckUnit(who, method, unit_id);
}

}  // namespace uplift::indicators

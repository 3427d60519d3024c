// Access in the indicator service. The suite's access table decides who may
// call what (docs/access.md); this says what "own unit" means here: an
// enterprise's figures are a township's own when the enterprise is in its
// township; a plan's month is the plan owner's own when its unit owns the
// plan. A caller who may not read an enterprise's figures (GetReport) also
// does not get them from an aggregate: cells outside its township that hold
// fewer enterprises than the minimum cell size come back suppressed.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/access_table.h"
#include "common/auth/principal.h"

namespace uplift::indicators {

class IndicatorsAccess {
 public:
  absl::Status Gate(const Principal& who, absl::string_view method) const;
  // One enterprise's figures; `field` names the request field in errors.
  absl::Status CheckEnterprise(const Principal& who, absl::string_view method,
                               const std::string& credit_code, const std::string& township_id,
                               const std::string& field) const;
  // Whether a list of `method` shows `who` only its own township's rows.
  bool Restricted(const Principal& who, absl::string_view method) const;
  absl::Status CheckUnit(const Principal& who, absl::string_view method,
                         absl::string_view unit_id) const;

 private:
  const ServiceAccess table_{"uplift.indicators.v1.IndicatorAggregation"};
};

}  // namespace uplift::indicators

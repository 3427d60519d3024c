// The rows of an enterprise CSV (upliftctl enterprise import): the header
// mapped to columns, each row turned into an ImportEnterprisesRequest, rows
// the file itself got wrong kept aside as error rows (never sent).
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "tools/upliftctl/csv.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::cli {

struct EnterpriseRows {
  std::vector<registry::v1::ImportEnterprisesRequest> rows;
  std::vector<registry::v1::ImportRowError> local_errors;  // rows not sent
};

// INVALID_ARGUMENT for a missing or unknown header or a missing required
// column; bad values are error rows.
absl::StatusOr<EnterpriseRows> ParseEnterpriseRows(const std::vector<CsvRecord>& records);

}  // namespace uplift::cli

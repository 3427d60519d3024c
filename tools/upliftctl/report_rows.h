// The rows of a monthly-report CSV (upliftctl report import): the header
// mapped to columns (a unit in brackets ignored, "营业收入(元)"), amounts in
// yuan and land in mu turned into fen and centi-mu, rows the file itself got
// wrong kept aside as error rows (never sent).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/upliftctl/csv.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::cli {

// The columns of the file, and the figure each sets.
enum class ReportColumn { kCode, kPeriod, kRevenue, kOutput, kTax, kRnd, kEmployees, kLand };

// Sets the figure of `column` from its text (yuan, mu or people; blank is
// 0); false if it is not a number.
bool SetFigure(ReportColumn column, const std::string& text, indicators::v1::Figures* f);

struct ReportRows {
  std::vector<indicators::v1::ReportRow> rows;
  std::vector<indicators::v1::ImportRowError> local_errors;  // rows not sent
};

// INVALID_ARGUMENT for a missing or unknown header or a missing required
// column; bad values are error rows.
absl::StatusOr<ReportRows> ParseReportRows(const std::vector<CsvRecord>& records);

}  // namespace uplift::cli

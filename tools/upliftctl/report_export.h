// Exports of a generated report (dispatch, bulletin) for circulation:
// Markdown as the service rendered it, CSV (UTF-8 with a byte-order mark so
// Excel on Chinese Windows opens it right) and XLSX (libxlsxwriter), each
// section a titled block of the same sheet.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::cli {

std::string ReportToCsv(const uplift::indicators::v1::GeneratedReport& report);
absl::Status WriteReportXlsx(const uplift::indicators::v1::GeneratedReport& report,
                             const std::string& path);

}  // namespace uplift::cli

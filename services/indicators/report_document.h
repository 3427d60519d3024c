// Building a generated report (dispatch, bulletin): sections of text and
// tables kept as data (for CSV and XLSX) and rendered to Markdown with the
// table columns padded by display width, so the source reads aligned too.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::indicators {

class ReportDocument {
 public:
  explicit ReportDocument(std::string title) { report_.set_title(std::move(title)); }

  void AddText(const std::string& title, const std::string& text);
  void AddTable(const std::string& title, const std::vector<std::string>& columns,
                const std::vector<std::vector<std::string>>& rows, const std::string& text = "");
  // Renders the Markdown and stamps the time.
  uplift::indicators::v1::GeneratedReport Finish(absl::Time now);

 private:
  uplift::indicators::v1::GeneratedReport report_;
};

std::string RenderMarkdown(const uplift::indicators::v1::GeneratedReport& report);

}  // namespace uplift::indicators

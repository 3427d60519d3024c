// Report sections and their Markdown.
#include "services/indicators/report_document.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/display_width.h"
#include "common/time_util.h"

namespace uplift::indicators {
namespace {

std::string Cell(const std::string& text) {
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\n", " "}});
}

}  // namespace

void ReportDocument::AddText(const std::string& title, const std::string& text) {
  v1::ReportSection* s = report_.add_sections();
  s->set_title(title);
  s->set_text(text);
}

void ReportDocument::AddTable(const std::string& title, const std::vector<std::string>& columns,
                              const std::vector<std::vector<std::string>>& rows,
                              const std::string& text) {
  v1::ReportSection* s = report_.add_sections();
  s->set_title(title);
  s->set_text(text);
  for (const std::string& c : columns) s->add_columns(c);
  for (const std::vector<std::string>& row : rows) {
    v1::ReportLine* line = s->add_lines();
    for (const std::string& cell : row) line->add_cells(cell);
  }
}

v1::GeneratedReport ReportDocument::Finish(absl::Time now) {
  *report_.mutable_generate_time() = ToProtoTimestamp(now);
  report_.set_markdown(RenderMarkdown(report_));
  return report_;
}

std::string RenderMarkdown(const v1::GeneratedReport& report) {
  std::string md = absl::StrCat("# ", report.title(), "\n\n");
  for (const v1::ReportSection& s : report.sections()) {
    absl::StrAppend(&md, "## ", s.title(), "\n\n");
    if (!s.text().empty()) absl::StrAppend(&md, s.text(), "\n\n");
    if (s.columns().empty()) continue;
    std::vector<int> widths;
    for (const std::string& c : s.columns()) widths.push_back(std::max(3, DisplayWidth(Cell(c))));
    for (const v1::ReportLine& line : s.lines()) {
      for (int i = 0; i < line.cells_size() && i < static_cast<int>(widths.size()); ++i) {
        widths[i] = std::max(widths[i], DisplayWidth(Cell(line.cells(i))));
      }
    }
    auto row = [&](const auto& cells) {
      std::string out = "|";
      for (size_t i = 0; i < widths.size(); ++i) {
        const std::string cell = i < static_cast<size_t>(cells.size()) ? Cell(cells[i]) : "";
        absl::StrAppend(&out, " ", PadToWidth(cell, widths[i]), " |");
      }
      return out + "\n";
    };
    absl::StrAppend(&md, row(s.columns()));
    std::string rule = "|";
    for (int w : widths) absl::StrAppend(&rule, " ", std::string(w, '-'), " |");
    absl::StrAppend(&md, rule, "\n");
    for (const v1::ReportLine& line : s.lines()) absl::StrAppend(&md, row(line.cells()));
    absl::StrAppend(&md, "\n");
  }
  absl::StrAppend(&md, "_生成时间: ", FormatLocalTime(FromProtoTimestamp(report.generate_time())), "_\n");
  return md;
}

}  // namespace uplift::indicators

// CSV and XLSX writers for generated reports.
#include "tools/upliftctl/report_export.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/display_width.h"
#include "tools/upliftctl/csv.h"

namespace uplift::cli {
namespace {

namespace iv1 = uplift::indicators::v1;

// A plain decimal such as "1234.56" or "-3" (not "12.34%", not codes).
bool AsNumber(const std::string& text, double* value) {
  if (text.empty() || text.size() > 15) return false;
  for (char c : text) {
    if (!(c == '-' || c == '.' || (c >= '0' && c <= '9'))) return false;
  }
  if (text.size() > 1 && text[0] == '0' && text[1] != '.') return false;
  return absl::SimpleAtod(text, value);
}

}  // namespace

std::string ReportToCsv(const iv1::GeneratedReport& report) {
  std::string out = "\xEF\xBB\xBF";  // BOM
  AppendCsvLine(&out, {report.title()});
  for (const iv1::ReportSection& s : report.sections()) {
    AppendCsvLine(&out, {});
    AppendCsvLine(&out, {s.title()});
    if (!s.text().empty()) AppendCsvLine(&out, {s.text()});
    if (s.columns().empty()) continue;
    AppendCsvLine(&out, std::vector<std::string>(s.columns().begin(), s.columns().end()));
    for (const iv1::ReportLine& line : s.lines()) {
      AppendCsvLine(&out, std::vector<std::string>(line.cells().begin(), line.cells().end()));
    }
  }
  return out;
}

absl::Status WriteReportXlsx(const iv1::GeneratedReport& report, const std::string& path) {
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) return absl::PermissionDeniedError("cannot create " + path);
  lxw_worksheet* sheet = workbook_add_worksheet(book, "报告");
  lxw_format* title = workbook_add_format(book);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* heading = workbook_add_format(book);
  format_set_bold(heading);
  lxw_format* header = workbook_add_format(book);
  format_set_bold(header);
  format_set_bg_color(header, 0xDDEBF7);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* cell = workbook_add_format(book);
  format_set_border(cell, LXW_BORDER_THIN);
  lxw_format* text = workbook_add_format(book);
  format_set_text_wrap(text);
  format_set_align(text, LXW_ALIGN_VERTICAL_TOP);

  std::vector<int> widths;
  auto widen = [&](size_t col, const std::string& s) {
    if (widths.size() <= col) widths.resize(col + 1, 8);
    widths[col] = std::min(60, std::max(widths[col], DisplayWidth(s) + 2));
  };
  lxw_row_t row = 0;
  worksheet_write_string(sheet, row++, 0, report.title().c_str(), title);
  int max_columns = 1;
  for (const iv1::ReportSection& s : report.sections()) max_columns = std::max(max_columns, s.columns_size());
  for (const iv1::ReportSection& s : report.sections()) {
    ++row;
    worksheet_write_string(sheet, row++, 0, s.title().c_str(), heading);
    if (!s.text().empty()) {
      worksheet_merge_range(sheet, row, 0, row, static_cast<lxw_col_t>(max_columns - 1), s.text().c_str(), text);
      const int lines = 1 + DisplayWidth(s.text()) / std::max(40, max_columns * 14);
      worksheet_set_row(sheet, row, 15.0 * std::min(lines + static_cast<int>(std::count(s.text().begin(), s.text().end(), '\n')), 30), nullptr);
      ++row;
    }
    if (s.columns().empty()) continue;
    for (int c = 0; c < s.columns_size(); ++c) {
      worksheet_write_string(sheet, row, static_cast<lxw_col_t>(c), s.columns(c).c_str(), header);
      widen(c, s.columns(c));
    }
    ++row;
    for (const iv1::ReportLine& line : s.lines()) {
      for (int c = 0; c < line.cells_size(); ++c) {
        double number = 0;
        if (AsNumber(line.cells(c), &number)) {
          worksheet_write_number(sheet, row, static_cast<lxw_col_t>(c), number, cell);
        } else {
          worksheet_write_string(sheet, row, static_cast<lxw_col_t>(c), line.cells(c).c_str(), cell);
        }
        widen(c, line.cells(c));
      }
      ++row;
    }
  }
  for (size_t c = 0; c < widths.size(); ++c) {
    worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], nullptr);
  }
  const lxw_error err = workbook_close(book);
  if (err != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat("writing ", path, ": ", lxw_strerror(err)));
  }
  return absl::OkStatus();
}

}  // namespace uplift::cli

// Table and record printing.
#include "tools/upliftctl/table.h"

#include <algorithm>

#include "common/display_width.h"

namespace uplift::cli {

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out, int max_width) const {
  std::vector<std::vector<std::string>> shown;
  shown.push_back(headers_);
  for (const auto& row : rows_) {
    std::vector<std::string> cells;
    for (const std::string& c : row) cells.push_back(max_width > 0 ? TruncateToWidth(c, max_width) : c);
    shown.push_back(std::move(cells));
  }
  std::vector<int> widths(headers_.size(), 0);
  for (const auto& row : shown) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  for (size_t r = 0; r < shown.size(); ++r) {
    std::string line;
    for (size_t i = 0; i < shown[r].size(); ++i) {
      const bool last = i + 1 == shown[r].size();
      line += last ? shown[r][i] : PadToWidth(shown[r][i], widths[i]) + "  ";
    }
    out << line << "\n";
    if (r == 0) {
      std::string rule;
      for (size_t i = 0; i < widths.size(); ++i) {
        rule += std::string(widths[i], '-') + (i + 1 == widths.size() ? "" : "  ");
      }
      out << rule << "\n";
    }
  }
}

void Record::Add(std::string key, std::string value) {
  fields_.emplace_back(std::move(key), std::move(value));
}

void Record::Print(std::ostream& out) const {
  int width = 0;
  for (const auto& [k, v] : fields_) width = std::max(width, DisplayWidth(k));
  for (const auto& [k, v] : fields_) out << PadToWidth(k, width) << "  " << v << "\n";
}

}  // namespace uplift::cli

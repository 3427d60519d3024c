// Plain-text tables for the terminal, aligned by display width so Chinese
// and ASCII columns line up.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace uplift::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells);
  // Cells wider than `max_width` columns are cut with "…" (0: no limit).
  void Print(std::ostream& out, int max_width = 40) const;
  size_t size() const { return rows_.size(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Two-column "key  value" listing for one record.
class Record {
 public:
  void Add(std::string key, std::string value);
  void Print(std::ostream& out) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace uplift::cli

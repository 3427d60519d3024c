// What the CSV imports (enterprises, monthly reports) share about rows the
// file itself got wrong, which are never sent: their error rows, and merging
// them into the service's answer in line order.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/upliftctl/csv.h"

namespace uplift::cli {

// "" unless the record has more fields than the header.
inline std::string ExtraFieldsProblem(const CsvRecord& record, size_t columns) {
  if (record.fields.size() <= columns) return "";
  return absl::StrCat("has ", record.fields.size(), " fields but the header has ", columns);
}

// An INVALID_ARGUMENT error row (registry or indicators ImportRowError).
template <typename RowError>
RowError LocalRowError(int line, const std::string& credit_code, const std::string& message) {
  RowError err;
  err.set_line(line);
  err.set_credit_code(credit_code);
  err.set_code("INVALID_ARGUMENT");
  err.set_message(message);
  return err;
}

// Adds the rows not sent to the service's answer and orders all by line.
template <typename Response, typename RowError>
void MergeLocalErrors(const std::vector<RowError>& local, Response* result) {
  for (const RowError& e : local) *result->add_errors() = e;
  result->set_received(result->received() + static_cast<int>(local.size()));
  std::sort(result->mutable_errors()->begin(), result->mutable_errors()->end(),
            [](const RowError& a, const RowError& b) { return a.line() < b.line(); });
}

}  // namespace uplift::cli

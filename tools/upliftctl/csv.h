// CSV files as people export them from spreadsheets: RFC 4180 quoting,
// CRLF or LF, a UTF-8 byte-order mark, and GB18030/GBK files (what Excel
// writes on Chinese Windows) converted to UTF-8; and CSV cells written for
// spreadsheets, formulas neutralised.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace uplift::cli {

struct CsvRecord {
  int line = 0;  // the line the record starts on, 1-based
  std::vector<std::string> fields;
};

enum class CsvEncoding { kAuto, kUtf8, kGb18030 };

// "auto", "utf-8"/"utf8", "gb18030"/"gbk"; false if unknown.
bool ParseCsvEncoding(absl::string_view text, CsvEncoding* encoding);

// Converts the file's bytes to UTF-8 (auto: UTF-8 if valid, else GB18030).
absl::StatusOr<std::string> DecodeCsvText(std::string bytes, CsvEncoding encoding);

// Splits UTF-8 text into records; an unterminated quote is an error naming
// its line. Blank lines are skipped.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

// One cell for a CSV file people open in a spreadsheet: quoted when it
// holds a comma, quote or line break, and a cell that a spreadsheet would
// run as a formula (starting with = + - @, a tab or a carriage return) gets
// a leading apostrophe, unless it is a plain number ("-3", "-12.5%").
std::string CsvCell(absl::string_view text);

// The cells as one CSV line ending in CRLF, appended to `out`.
void AppendCsvLine(std::string* out, const std::vector<std::string>& cells);

// Reads, decodes (`encoding`: auto, utf-8 or gb18030) and parses a file;
// errors name the file (or the option).
absl::StatusOr<std::vector<CsvRecord>> ReadCsvFile(const std::string& path,
                                                   const std::string& encoding);

}  // namespace uplift::cli

// CSV decoding and parsing.
#include "tools/upliftctl/csv.h"

#include <fstream>
#include <sstream>

#include <iconv.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/validation.h"

namespace uplift::cli {
namespace {

absl::StatusOr<std::string> FromGb18030(const std::string& bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return absl::UnavailableError("this system's iconv cannot convert GB18030");
  }
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  const size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  const int err = errno;
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the file is neither UTF-8 nor GB18030 (bad byte at offset ", bytes.size() - in_left,
        err == EINVAL ? ", truncated" : "", ")"));
  }
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace

bool ParseCsvEncoding(absl::string_view text, CsvEncoding* encoding) {
  const std::string t = absl::AsciiStrToLower(text);
  if (t == "auto") *encoding = CsvEncoding::kAuto;
  else if (t == "utf-8" || t == "utf8") *encoding = CsvEncoding::kUtf8;
  else if (t == "gb18030" || t == "gbk" || t == "gb2312") *encoding = CsvEncoding::kGb18030;
  else return false;
  return true;
}

absl::StatusOr<std::string> DecodeCsvText(std::string bytes, CsvEncoding encoding) {
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    bytes.erase(0, 3);
    encoding = CsvEncoding::kUtf8;
  }
  const bool valid_utf8 = Utf8Length(bytes) >= 0;
  if (encoding == CsvEncoding::kUtf8 && !valid_utf8) {
    return absl::InvalidArgumentError(
        "the file is not valid UTF-8; if Excel saved it, try --encoding gb18030");
  }
  if (encoding == CsvEncoding::kGb18030 || (encoding == CsvEncoding::kAuto && !valid_utf8)) {
    return FromGb18030(bytes);
  }
  return bytes;
}

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  std::vector<CsvRecord> records;
  CsvRecord current;
  std::string field;
  bool in_quotes = false;
  bool field_started = false;
  int line = 1;
  int quote_line = 0;
  current.line = 1;
  auto end_field = [&] {
    current.fields.push_back(field);
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    const bool blank = current.fields.size() == 1 && current.fields[0].empty();
    if (!blank) records.push_back(std::move(current));
    current = CsvRecord();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      end_record();
      ++line;
      current.line = line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", quote_line, ": a quoted field is never closed"));
  }
  if (!field.empty() || !current.fields.empty()) end_record();
  return records;
}

absl::StatusOr<std::vector<CsvRecord>> ReadCsvFile(const std::string& path,
                                                   const std::string& encoding_name) {
  CsvEncoding encoding;
  if (!ParseCsvEncoding(encoding_name, &encoding)) {
    return absl::InvalidArgumentError("--encoding: unknown \"" + encoding_name + "\"");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::stringstream bytes;
  bytes << in.rdbuf();
  absl::StatusOr<std::string> text = DecodeCsvText(bytes.str(), encoding);
  if (!text.ok()) return absl::InvalidArgumentError(path + ": " + std::string(text.status().message()));
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(*text);
  if (!records.ok()) return absl::InvalidArgumentError(path + ": " + std::string(records.status().message()));
  return records;
}

namespace {

// "-3", "+4.5", "-12.5%": a number, which a spreadsheet shows as one.
bool PlainNumber(absl::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  const size_t dot = text.find('.');
  absl::string_view whole = text.substr(0, dot);
  absl::string_view fraction = dot == absl::string_view::npos ? "0" : text.substr(dot + 1);
  auto digits = [](absl::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), absl::ascii_isdigit);
  };
  return digits(whole) && digits(fraction);
}

}  // namespace

std::string CsvCell(absl::string_view text) {
  std::string cell(text);
  if (!cell.empty() && absl::string_view("=+-@\t\r").find(cell[0]) != absl::string_view::npos &&
      !PlainNumber(cell)) {
    cell.insert(0, "'");
  }
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  return absl::StrCat("\"", absl::StrReplaceAll(cell, {{"\"", "\"\""}}), "\"");
}

void AppendCsvLine(std::string* out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out->push_back(',');
    absl::StrAppend(out, CsvCell(cells[i]));
  }
  absl::StrAppend(out, "\r\n");
}

}  // namespace uplift::cli

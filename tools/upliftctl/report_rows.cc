// Monthly-report CSV rows to ReportRows.
#include "tools/upliftctl/report_rows.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"
#include "tools/upliftctl/amounts.h"
#include "tools/upliftctl/import_rows.h"

namespace uplift::cli {
namespace {

namespace iv1 = uplift::indicators::v1;

using Column = ReportColumn;

// Header names accepted for each column.
const std::map<std::string, Column>& HeaderNames() {
  static const std::map<std::string, Column> names = {
      {"credit_code", Column::kCode},
      {"统一社会信用代码", Column::kCode},
      {"信用代码", Column::kCode},
      {"period", Column::kPeriod},
      {"月份", Column::kPeriod},
      {"期间", Column::kPeriod},
      {"revenue", Column::kRevenue},
      {"营业收入", Column::kRevenue},
      {"output_value", Column::kOutput},
      {"工业总产值", Column::kOutput},
      {"tax", Column::kTax},
      {"税收", Column::kTax},
      {"税金", Column::kTax},
      {"rnd", Column::kRnd},
      {"研发投入", Column::kRnd},
      {"研发费用", Column::kRnd},
      {"employees", Column::kEmployees},
      {"从业人员", Column::kEmployees},
      {"从业人数", Column::kEmployees},
      {"land", Column::kLand},
      {"占地面积", Column::kLand},
      {"用地面积", Column::kLand},
  };
  return names;
}

// The header's name without surrounding spaces or a unit in brackets.
std::string HeaderKey(const std::string& raw) {
  std::string h(absl::StripAsciiWhitespace(raw));
  for (const char* bracket : {"(", "（"}) {
    const size_t at = h.find(bracket);
    if (at != std::string::npos) h = h.substr(0, at);
  }
  return absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(h)));
}

const char* FieldName(Column c) {
  switch (c) {
    case Column::kRevenue:
      return "revenue";
    case Column::kOutput:
      return "output_value";
    case Column::kTax:
      return "tax";
    case Column::kRnd:
      return "rnd";
    case Column::kEmployees:
      return "employees";
    case Column::kLand:
      return "land";
    default:
      return "";
  }
}

absl::StatusOr<std::vector<Column>> HeaderColumns(const CsvRecord& header) {
  std::vector<Column> columns;
  for (const std::string& raw : header.fields) {
    auto it = HeaderNames().find(HeaderKey(raw));
    if (it == HeaderNames().end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", header.line, ": unknown column ", QuoteInput(raw),
          "; expected credit_code, period, revenue, output_value, tax, rnd, employees, land (or "
          "统一社会信用代码, 月份, 营业收入, 工业总产值, 税收, 研发投入, 从业人员, 占地面积)"));
    }
    columns.push_back(it->second);
  }
  for (Column required : {Column::kCode, Column::kPeriod, Column::kRevenue}) {
    if (std::find(columns.begin(), columns.end(), required) == columns.end()) {
      return absl::InvalidArgumentError(
          "the header lacks a required column: credit_code, period and revenue are required");
    }
  }
  return columns;
}

}  // namespace

bool SetFigure(ReportColumn c, const std::string& text, iv1::Figures* f) {
  if (absl::StripAsciiWhitespace(text).empty()) return true;  // blank: 0
  std::optional<int64_t> v = c == Column::kEmployees ? ParseScaled(text, 0) : ParseScaled(text, 2);
  if (!v.has_value()) return false;
  switch (c) {
    case Column::kRevenue:
      f->set_revenue_fen(*v);
      break;
    case Column::kOutput:
      f->set_output_value_fen(*v);
      break;
    case Column::kTax:
      f->set_tax_fen(*v);
      break;
    case Column::kRnd:
      f->set_rnd_fen(*v);
      break;
    case Column::kEmployees:
      f->set_employees(*v);
      break;
    case Column::kLand:
      f->set_land_centi_mu(*v);
      break;
    default:
      break;
  }
  return true;
}

absl::StatusOr<ReportRows> ParseReportRows(const std::vector<CsvRecord>& records) {
  if (records.empty()) return absl::InvalidArgumentError("the file has no header row");
  absl::StatusOr<std::vector<Column>> columns = HeaderColumns(records[0]);
  if (!columns.ok()) return columns.status();
  ReportRows parsed;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    iv1::ReportRow row;
    row.set_line(record.line);
    iv1::MonthlyReport* report = row.mutable_report();
    std::string problem;
    for (size_t i = 0; i < columns->size() && i < record.fields.size(); ++i) {
      const Column column = (*columns)[i];
      const std::string& v = record.fields[i];
      if (column == Column::kCode) {
        report->set_credit_code(std::string(absl::StripAsciiWhitespace(v)));
      } else if (column == Column::kPeriod) {
        report->set_period(std::string(absl::StripAsciiWhitespace(v)));
      } else if (!SetFigure(column, v, report->mutable_figures()) && problem.empty()) {
        problem = absl::StrCat("report.figures.", FieldName(column), ": ", QuoteInput(v),
                               " is not a number (yuan and mu take up to two decimals)");
      }
    }
    if (std::string extra = ExtraFieldsProblem(record, columns->size()); !extra.empty()) {
      problem = extra;
    }
    if (!problem.empty()) {
      parsed.local_errors.push_back(
          LocalRowError<iv1::ImportRowError>(record.line, report->credit_code(), problem));
      parsed.local_errors.back().set_period(report->period());
      continue;
    }
    parsed.rows.push_back(std::move(row));
  }
  return parsed;
}

}  // namespace uplift::cli

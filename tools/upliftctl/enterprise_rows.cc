// Enterprise CSV rows to ImportEnterprisesRequests.
#include "tools/upliftctl/enterprise_rows.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/import_rows.h"

namespace uplift::cli {
namespace {

namespace rv1 = uplift::registry::v1;

enum class Column {
  kCreditCode,
  kName,
  kCluster,
  kTownship,
  kPark,
  kAddress,
  kIndustry,
  kKey,
  kAboveSize,
  kAboveSizeSince
};

// Header names accepted for each column (English field names or Chinese).
const std::map<std::string, Column>& HeaderNames() {
  static const std::map<std::string, Column> names = {
      {"credit_code", Column::kCreditCode},
      {"统一社会信用代码", Column::kCreditCode},
      {"信用代码", Column::kCreditCode},
      {"name", Column::kName},
      {"企业名称", Column::kName},
      {"名称", Column::kName},
      {"cluster_id", Column::kCluster},
      {"集群", Column::kCluster},
      {"township_id", Column::kTownship},
      {"乡镇", Column::kTownship},
      {"park", Column::kPark},
      {"园区", Column::kPark},
      {"address", Column::kAddress},
      {"地址", Column::kAddress},
      {"industry", Column::kIndustry},
      {"行业", Column::kIndustry},
      {"key_enterprise", Column::kKey},
      {"骨干企业", Column::kKey},
      {"above_size", Column::kAboveSize},
      {"规上企业", Column::kAboveSize},
      {"above_size_since", Column::kAboveSizeSince},
      {"规上日期", Column::kAboveSizeSince},
  };
  return names;
}

absl::StatusOr<std::vector<Column>> HeaderColumns(const CsvRecord& header) {
  std::vector<Column> columns;
  for (const std::string& raw : header.fields) {
    const std::string name(absl::StripAsciiWhitespace(raw));
    auto it = HeaderNames().find(absl::AsciiStrToLower(name));
    if (it == HeaderNames().end()) it = HeaderNames().find(name);
    if (it == HeaderNames().end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", header.line, ": unknown column ", QuoteInput(name),
          "; expected credit_code, name, cluster_id, township_id, park, address, industry, "
          "key_enterprise, above_size, above_size_since (or their Chinese names)"));
    }
    columns.push_back(it->second);
  }
  for (Column required :
       {Column::kCreditCode, Column::kName, Column::kCluster, Column::kTownship}) {
    if (std::find(columns.begin(), columns.end(), required) == columns.end()) {
      return absl::InvalidArgumentError(
          "the header lacks a required column: credit_code, name, cluster_id and township_id are "
          "required");
    }
  }
  return columns;
}

// Sets one field of `e` from its text; a problem with the value, or "".
std::string SetField(Column column, const std::string& v, rv1::Enterprise* e) {
  const std::string trimmed(absl::StripAsciiWhitespace(v));
  switch (column) {
    case Column::kCreditCode:
      e->set_credit_code(v);
      break;
    case Column::kName:
      e->set_name(v);
      break;
    case Column::kCluster:
      e->set_cluster_id(trimmed);
      break;
    case Column::kTownship:
      e->set_township_id(trimmed);
      break;
    case Column::kPark:
      e->set_park(v);
      break;
    case Column::kAddress:
      e->set_address(v);
      break;
    case Column::kIndustry:
      e->set_industry(v);
      break;
    case Column::kAboveSizeSince:
      e->set_above_size_since(trimmed);
      break;
    case Column::kKey:
    case Column::kAboveSize: {
      if (trimmed.empty()) break;
      std::optional<bool> b = ParseBool(v);
      const char* field = column == Column::kKey ? "key_enterprise" : "above_size";
      if (!b.has_value()) {
        return absl::StrCat("enterprise.", field, ": ", QuoteInput(v), " is not 是/否 or yes/no");
      }
      column == Column::kKey ? e->set_key_enterprise(*b) : e->set_above_size(*b);
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<EnterpriseRows> ParseEnterpriseRows(const std::vector<CsvRecord>& records) {
  if (records.empty()) return absl::InvalidArgumentError("the file has no header row");
  absl::StatusOr<std::vector<Column>> columns = HeaderColumns(records[0]);
  if (!columns.ok()) return columns.status();
  EnterpriseRows parsed;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    rv1::ImportEnterprisesRequest row;
    row.set_line(record.line);
    rv1::Enterprise* e = row.mutable_enterprise();
    std::string problem;
    for (size_t i = 0; i < columns->size() && i < record.fields.size(); ++i) {
      std::string field_problem = SetField((*columns)[i], record.fields[i], e);
      if (problem.empty()) problem = std::move(field_problem);
    }
    if (std::string extra = ExtraFieldsProblem(record, columns->size()); !extra.empty()) {
      problem = extra;
    }
    if (!problem.empty()) {
      parsed.local_errors.push_back(
          LocalRowError<rv1::ImportRowError>(record.line, e->credit_code(), problem));
      continue;
    }
    parsed.rows.push_back(std::move(row));
  }
  return parsed;
}

}  // namespace uplift::cli

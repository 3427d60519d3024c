// upliftctl enterprise import FILE.csv: reads a spreadsheet export, streams
// its rows to ImportEnterprises with a progress bar, and prints every bad
// row with its line and reason (exit status 1 if there is any).
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/csv.h"
#include "tools/upliftctl/import_rows.h"
#include "tools/upliftctl/progress_bar.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

namespace rv1 = uplift::registry::v1;

enum class Column {
  kCreditCode, kName, kCluster, kTownship, kPark, kAddress, kIndustry, kKey, kAboveSize,
  kAboveSizeSince
};

// Header names accepted for each column (English field names or Chinese).
const std::map<std::string, Column>& HeaderNames() {
  static const std::map<std::string, Column> names = {
      {"credit_code", Column::kCreditCode}, {"统一社会信用代码", Column::kCreditCode},
      {"信用代码", Column::kCreditCode},     {"name", Column::kName},
      {"企业名称", Column::kName},           {"名称", Column::kName},
      {"cluster_id", Column::kCluster},      {"集群", Column::kCluster},
      {"township_id", Column::kTownship},    {"乡镇", Column::kTownship},
      {"park", Column::kPark},               {"园区", Column::kPark},
      {"address", Column::kAddress},         {"地址", Column::kAddress},
      {"industry", Column::kIndustry},       {"行业", Column::kIndustry},
      {"key_enterprise", Column::kKey},      {"骨干企业", Column::kKey},
      {"above_size", Column::kAboveSize},    {"规上企业", Column::kAboveSize},
      {"above_size_since", Column::kAboveSizeSince}, {"规上日期", Column::kAboveSizeSince},
  };
  return names;
}

struct ParsedFile {
  std::vector<rv1::ImportEnterprisesRequest> rows;
  std::vector<rv1::ImportRowError> local_errors;  // rows not sent
};

ParsedFile ParseRows(const std::vector<CsvRecord>& records) {
  if (records.empty()) FailCommand("the file has no header row", 2);
  std::vector<std::optional<Column>> columns;
  for (const std::string& raw : records[0].fields) {
    const std::string header(absl::StripAsciiWhitespace(raw));
    auto it = HeaderNames().find(absl::AsciiStrToLower(header));
    if (it == HeaderNames().end()) it = HeaderNames().find(header);
    if (it == HeaderNames().end()) {
      FailCommand(absl::StrCat("line ", records[0].line, ": unknown column \"", header,
                               "\"; expected credit_code, name, cluster_id, township_id, park, "
                               "address, industry, key_enterprise, above_size, above_size_since "
                               "(or their Chinese names)"), 2);
    }
    columns.push_back(it->second);
  }
  for (Column required : {Column::kCreditCode, Column::kName, Column::kCluster, Column::kTownship}) {
    if (std::find(columns.begin(), columns.end(), required) == columns.end()) {
      FailCommand("the header lacks a required column: credit_code, name, cluster_id and "
                  "township_id are required", 2);
    }
  }
  ParsedFile parsed;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    rv1::ImportEnterprisesRequest row;
    row.set_line(record.line);
    rv1::Enterprise* e = row.mutable_enterprise();
    std::string problem;
    for (size_t i = 0; i < columns.size() && i < record.fields.size(); ++i) {
      const std::string& v = record.fields[i];
      switch (*columns[i]) {
        case Column::kCreditCode: e->set_credit_code(v); break;
        case Column::kName: e->set_name(v); break;
        case Column::kCluster: e->set_cluster_id(std::string(absl::StripAsciiWhitespace(v))); break;
        case Column::kTownship: e->set_township_id(std::string(absl::StripAsciiWhitespace(v))); break;
        case Column::kPark: e->set_park(v); break;
        case Column::kAddress: e->set_address(v); break;
        case Column::kIndustry: e->set_industry(v); break;
        case Column::kAboveSizeSince: e->set_above_size_since(std::string(absl::StripAsciiWhitespace(v))); break;
        case Column::kKey:
        case Column::kAboveSize: {
          if (absl::StripAsciiWhitespace(v).empty()) break;
          std::optional<bool> b = ParseBool(v);
          const char* field = *columns[i] == Column::kKey ? "key_enterprise" : "above_size";
          if (!b.has_value()) {
            problem = absl::StrCat("enterprise.", field, ": \"", v, "\" is not 是/否 or yes/no");
          } else if (*columns[i] == Column::kKey) {
            e->set_key_enterprise(*b);
          } else {
            e->set_above_size(*b);
          }
        }
      }
    }
    if (std::string extra = ExtraFieldsProblem(record, columns.size()); !extra.empty()) problem = extra;
    if (!problem.empty()) {
      parsed.local_errors.push_back(LocalRowError<rv1::ImportRowError>(record.line, e->credit_code(), problem));
      continue;
    }
    parsed.rows.push_back(std::move(row));
  }
  return parsed;
}

void PrintResult(const rv1::ImportEnterprisesResponse& result) {
  Record summary;
  summary.Add("读取行数", absl::StrCat(result.received()));
  summary.Add("新增", absl::StrCat(result.created()));
  summary.Add("更新", absl::StrCat(result.updated()));
  summary.Add("未变", absl::StrCat(result.unchanged()));
  summary.Add("错误", absl::StrCat(result.errors_size()));
  summary.Print(std::cout);
  if (result.errors_size() == 0) return;
  std::cout << "\n";
  Table errors({"行", "统一社会信用代码", "错误码", "原因"});
  for (const auto& e : result.errors()) {
    errors.AddRow({absl::StrCat(e.line()), e.credit_code(), e.code(), e.message()});
  }
  errors.Print(std::cout, 0);
}

}  // namespace

void AddImportCommand(CLI::App* enterprise, Cli& cli) {
  struct ImportOptions {
    std::string file;
    std::string encoding = "auto";
    bool update_existing = false;
    bool progress = false;
  };
  auto o = std::make_shared<ImportOptions>();
  CLI::App* c = enterprise->add_subcommand(
      "import", "import enterprises from a CSV file (header: credit_code,name,cluster_id,"
                "township_id,park,address,industry,key_enterprise,above_size,above_size_since)");
  c->add_option("file", o->file, "CSV file")->required();
  c->add_option("--encoding", o->encoding, "auto, utf-8 or gb18030")->capture_default_str();
  c->add_flag("--update-existing", o->update_existing,
              "update registered enterprises instead of reporting them");
  c->add_flag("--progress", o->progress, "draw the progress bar even if stderr is not a terminal");
  c->callback([&cli, o] {
    absl::StatusOr<std::vector<CsvRecord>> records = ReadCsvFile(o->file, o->encoding);
    if (!records.ok()) FailCommand(std::string(records.status().message()), 2);
    ParsedFile parsed = ParseRows(*records);

    // Large files take longer than one call's usual deadline.
    const absl::Duration timeout = std::max(
        cli.Timeout(), absl::Seconds(60) + absl::Milliseconds(5) * static_cast<int64_t>(parsed.rows.size()));
    auto context = cli.ContextWithTimeout(timeout);
    rv1::ImportEnterprisesResponse result;
    auto writer = cli.Registry().ImportEnterprises(context.get(), &result);
    ProgressBar bar("导入", static_cast<long>(parsed.rows.size()), o->progress);
    long sent = 0;
    for (size_t i = 0; i < parsed.rows.size(); ++i) {
      rv1::ImportEnterprisesRequest& row = parsed.rows[i];
      if (i == 0) row.set_update_existing(o->update_existing);
      if (!writer->Write(row)) break;  // the server ended the call; Finish says why
      bar.Update(++sent);
    }
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    bar.Done();
    cli.Check(status);
    MergeLocalErrors(parsed.local_errors, &result);
    Show(cli, result, [&] { PrintResult(result); });
    if (result.errors_size() > 0) throw CLI::RuntimeError(1);
  });
}

}  // namespace uplift::cli

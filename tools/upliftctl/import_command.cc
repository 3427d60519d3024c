// upliftctl enterprise import FILE.csv: reads a spreadsheet export, streams
// its rows to ImportEnterprises with a progress bar, and prints every bad
// row with its line and reason (exit status 1 if there is any).
#include <algorithm>
#include <iostream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/csv.h"
#include "tools/upliftctl/enterprise_rows.h"
#include "tools/upliftctl/import_rows.h"
#include "tools/upliftctl/progress_bar.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

namespace rv1 = uplift::registry::v1;

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
    absl::StatusOr<EnterpriseRows> parsed_rows = ParseEnterpriseRows(*records);
    if (!parsed_rows.ok()) FailCommand(std::string(parsed_rows.status().message()), 2);
    EnterpriseRows& parsed = *parsed_rows;

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

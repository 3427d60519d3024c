// upliftctl report: enterprises' monthly figures. `submit` one month of one
// enterprise, `get` it back, `import` a CSV export (amounts in yuan, land in
// mu) streamed in batches with a progress bar, every bad row listed with
// its line and reason (exit status 1 if there is any).
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"
#include "common/time_util.h"
#include "services/indicators/figure_format.h"
#include "tools/upliftctl/amounts.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/csv.h"
#include "tools/upliftctl/import_rows.h"
#include "tools/upliftctl/report_rows.h"
#include "tools/upliftctl/progress_bar.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

namespace iv1 = uplift::indicators::v1;
using uplift::indicators::FormatMu;
using uplift::indicators::FormatYuan;

void PrintImport(const iv1::ImportReportsResponse& result) {
  Record summary;
  summary.Add("读取行数", absl::StrCat(result.received()));
  summary.Add("新增", absl::StrCat(result.stored()));
  summary.Add("更正", absl::StrCat(result.corrected()));
  summary.Add("未变", absl::StrCat(result.unchanged()));
  summary.Add("错误", absl::StrCat(result.error_count()));
  summary.Print(std::cout);
  if (result.errors_size() == 0) return;
  std::cout << "\n";
  // The first rows in full; what follows by reason, so a file with a
  // systematic mistake does not scroll away.
  constexpr int kShown = 30;
  Table errors({"行", "统一社会信用代码", "月份", "错误码", "原因"});
  std::map<std::string, int> by_code;
  for (int i = 0; i < result.errors_size(); ++i) {
    const auto& e = result.errors(i);
    ++by_code[e.code()];
    if (i < kShown) errors.AddRow({absl::StrCat(e.line()), e.credit_code(), e.period(), e.code(), e.message()});
  }
  errors.Print(std::cout, 0);
  if (result.error_count() > kShown) {
    std::cout << "(共 " << result.error_count() << " 行错误，仅列出前 " << kShown << " 行；前 "
              << result.errors_size() << " 行按错误码:";
    for (const auto& [code, n] : by_code) std::cout << " " << code << " " << n;
    std::cout << "；--json 给出前 " << result.errors_size() << " 行全部)\n";
  }
}

void PrintReport(const iv1::MonthlyReport& r) {
  Record rec;
  rec.Add("统一社会信用代码", r.credit_code());
  rec.Add("企业名称", r.enterprise_name());
  rec.Add("集群", r.cluster_id());
  rec.Add("乡镇", r.township_id());
  rec.Add("月份", r.period());
  rec.Add("营业收入(元)", FormatYuan(r.figures().revenue_fen()));
  rec.Add("工业总产值(元)", FormatYuan(r.figures().output_value_fen()));
  rec.Add("税收(元)", FormatYuan(r.figures().tax_fen()));
  rec.Add("研发投入(元)", FormatYuan(r.figures().rnd_fen()));
  rec.Add("从业人员", absl::StrCat(r.figures().employees()));
  rec.Add("占地面积(亩)", FormatMu(r.figures().land_centi_mu()));
  rec.Add("报送人", r.submitted_by());
  rec.Add("报送时间", FormatLocalTime(FromProtoTimestamp(r.submit_time())));
  rec.Print(std::cout);
}

void AddSubmit(CLI::App* report, Cli& cli) {
  struct Args {
    std::string code, period, revenue, output, tax, rnd, employees, land;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = report->add_subcommand("submit", "submit (or correct) one enterprise's month");
  c->add_option("--code", a->code, "统一社会信用代码")->required();
  c->add_option("--period", a->period, "YYYY-MM")->required();
  c->add_option("--revenue", a->revenue, "营业收入, yuan")->required();
  c->add_option("--output-value", a->output, "工业总产值, yuan");
  c->add_option("--tax", a->tax, "税收, yuan");
  c->add_option("--rnd", a->rnd, "研发投入, yuan");
  c->add_option("--employees", a->employees, "从业人员");
  c->add_option("--land", a->land, "占地面积, mu");
  c->callback([&cli, a] {
    iv1::SubmitReportRequest req;
    req.mutable_report()->set_credit_code(a->code);
    req.mutable_report()->set_period(a->period);
    iv1::Figures* f = req.mutable_report()->mutable_figures();
    for (auto [column, text, flag] :
         {std::tuple{ReportColumn::kRevenue, a->revenue, "--revenue"}, {ReportColumn::kOutput, a->output, "--output-value"},
          {ReportColumn::kTax, a->tax, "--tax"}, {ReportColumn::kRnd, a->rnd, "--rnd"},
          {ReportColumn::kEmployees, a->employees, "--employees"}, {ReportColumn::kLand, a->land, "--land"}}) {
      if (!SetFigure(column, text, f)) FailCommand(absl::StrCat(flag, ": ", QuoteInput(text), " is not a number"), 2);
    }
    iv1::SubmitReportResponse resp;
    cli.Check(cli.Indicators().SubmitReport(cli.Context().get(), req, &resp));
    Show(cli, resp, [&] {
      std::cout << (resp.corrected() ? "已更正（原数据保留在审计日志）\n" : "已报送\n");
      PrintReport(resp.report());
    });
  });
}

void AddGet(CLI::App* report, Cli& cli) {
  auto req = std::make_shared<iv1::GetReportRequest>();
  CLI::App* c = report->add_subcommand("get", "one enterprise's month");
  c->add_option("credit_code", *req->mutable_credit_code(), "统一社会信用代码")->required();
  c->add_option("period", *req->mutable_period(), "YYYY-MM")->required();
  c->callback([&cli, req] {
    iv1::GetReportResponse resp;
    cli.Check(cli.Indicators().GetReport(cli.Context().get(), *req, &resp));
    Show(cli, resp, [&] { PrintReport(resp.report()); });
  });
}

void AddImport(CLI::App* report, Cli& cli) {
  struct Args {
    std::string file;
    std::string encoding = "auto";
    int batch = 1000;
    bool progress = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = report->add_subcommand(
      "import", "import monthly figures from CSV (header: credit_code,period,revenue,output_value,"
                "tax,rnd,employees,land; amounts in yuan, land in mu)");
  c->add_option("file", a->file, "CSV file")->required();
  c->add_option("--encoding", a->encoding, "auto, utf-8 or gb18030")->capture_default_str();
  c->add_option("--batch", a->batch, "rows per message (each stored in one transaction)")
      ->capture_default_str();
  c->add_flag("--progress", a->progress, "draw the progress bar even if stderr is not a terminal");
  c->callback([&cli, a] {
    if (a->batch < 1 || a->batch > 10000) FailCommand("--batch: between 1 and 10000", 2);
    absl::StatusOr<std::vector<CsvRecord>> records = ReadCsvFile(a->file, a->encoding);
    if (!records.ok()) FailCommand(std::string(records.status().message()), 2);
    absl::StatusOr<ReportRows> parsed_rows = ParseReportRows(*records);
    if (!parsed_rows.ok()) FailCommand(std::string(parsed_rows.status().message()), 2);
    ReportRows& parsed = *parsed_rows;

    const absl::Duration timeout = std::max(
        cli.Timeout(), absl::Seconds(60) + absl::Milliseconds(1) * static_cast<int64_t>(parsed.rows.size()));
    auto context = cli.ContextWithTimeout(timeout);
    iv1::ImportReportsResponse result;
    auto writer = cli.Indicators().ImportReports(context.get(), &result);
    ProgressBar bar("导入", static_cast<long>(parsed.rows.size()), a->progress);
    long sent = 0;
    iv1::ImportReportsRequest batch;
    auto flush = [&] {
      if (batch.rows_size() == 0) return true;
      const long n = batch.rows_size();
      if (!writer->Write(batch)) return false;  // the server ended the call; Finish says why
      batch.Clear();
      bar.Update(sent += n);
      return true;
    };
    bool open = true;
    for (iv1::ReportRow& row : parsed.rows) {
      *batch.add_rows() = std::move(row);
      if (batch.rows_size() >= a->batch && !(open = flush())) break;
    }
    if (open) flush();
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    bar.Done();
    cli.Check(status);
    MergeLocalErrors(parsed.local_errors, &result);
    result.set_error_count(result.error_count() + static_cast<int64_t>(parsed.local_errors.size()));
    Show(cli, result, [&] { PrintImport(result); });
    if (result.error_count() > 0) throw CLI::RuntimeError(1);
  });
}

}  // namespace

void AddReportCommands(CLI::App& app, Cli& cli) {
  CLI::App* report = app.add_subcommand("report", "enterprises' monthly figures (indicators)");
  report->require_subcommand(1);
  AddSubmit(report, cli);
  AddGet(report, cli);
  AddImport(report, cli);
}

}  // namespace uplift::cli

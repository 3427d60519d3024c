// upliftctl dispatch and bulletin: the monthly dispatch report (月调度) and
// the quarterly bulletin (季通报) as Markdown, CSV or XLSX, to a file or
// (Markdown, CSV) to standard output.
#include <fstream>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/report_export.h"

namespace uplift::cli {
namespace {

namespace iv1 = uplift::indicators::v1;

struct ExportOptions {
  std::string format = "md";
  std::string output;
  void Add(CLI::App* c) {
    c->add_option("--format", format, "md, csv or xlsx")->capture_default_str();
    c->add_option("--output,-o", output, "file to write (xlsx: default <kind>-<when>.xlsx)");
  }
};

void Export(const Cli& cli, const iv1::GeneratedReport& report, const ExportOptions& o,
            const std::string& default_name) {
  if (cli.json()) {
    cli.PrintJson(report);
    return;
  }
  std::string content;
  if (o.format == "md") {
    content = report.markdown();
  } else if (o.format == "csv") {
    content = ReportToCsv(report);
  } else if (o.format == "xlsx") {
    const std::string path = o.output.empty() ? default_name + ".xlsx" : o.output;
    absl::Status s = WriteReportXlsx(report, path);
    if (!s.ok()) FailCommand(std::string(s.message()));
    std::cerr << "written " << path << "\n";
    return;
  } else {
    FailCommand("--format: expected md, csv or xlsx", 2);
  }
  if (o.output.empty() || o.output == "-") {
    std::cout << content;
    return;
  }
  std::ofstream out(o.output, std::ios::binary);
  out << content;
  if (!out) FailCommand("cannot write " + o.output);
  std::cerr << "written " << o.output << "\n";
}

}  // namespace

void AddGeneratedReportCommands(CLI::App& app, Cli& cli) {
  {
    auto req = std::make_shared<iv1::GenerateDispatchReportRequest>();
    auto o = std::make_shared<ExportOptions>();
    CLI::App* c = app.add_subcommand("dispatch", "the monthly dispatch report (月调度)");
    c->add_option("--period", *req->mutable_period(), "YYYY-MM")->required();
    o->Add(c);
    c->callback([&cli, req, o] {
      req->set_plan_id(cli.plan_id());
      iv1::GenerateDispatchReportResponse resp;
      cli.Check(cli.Indicators().GenerateDispatchReport(cli.ContextWithTimeout(cli.Timeout() * 3).get(), *req, &resp));
      Export(cli, resp.report(), *o, "dispatch-" + req->period());
    });
  }
  {
    auto req = std::make_shared<iv1::GenerateBulletinRequest>();
    auto o = std::make_shared<ExportOptions>();
    CLI::App* c = app.add_subcommand("bulletin", "the quarterly bulletin (季通报)");
    c->add_option("--quarter", *req->mutable_quarter(), "YYYY-Qn")->required();
    o->Add(c);
    c->callback([&cli, req, o] {
      req->set_plan_id(cli.plan_id());
      iv1::GenerateBulletinResponse resp;
      cli.Check(cli.Indicators().GenerateBulletin(cli.ContextWithTimeout(cli.Timeout() * 3).get(), *req, &resp));
      Export(cli, resp.report(), *o, "bulletin-" + req->quarter());
    });
  }
}

}  // namespace uplift::cli

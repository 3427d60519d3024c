// upliftctl problem stats: the plan's problems counted as they stood at the
// end of a day (问题办理情况), by township and by department, with the
// longest open named.
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "services/indicators/problem_section.h"
#include "services/tasks/tasks_labels.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

namespace tv1 = uplift::tasks::v1;

void PrintTallies(const std::string& unit_header,
                  const google::protobuf::RepeatedPtrField<tv1::ProblemTally>& rows,
                  const tv1::ProblemTally* county) {
  Table t(uplift::indicators::ProblemTallyColumns(unit_header, "受理"));
  for (const tv1::ProblemTally& r : rows) {
    t.AddRow(uplift::indicators::ProblemTallyCells(r.unit_name(), r));
  }
  if (county != nullptr) t.AddRow(uplift::indicators::ProblemTallyCells("全县", *county));
  t.Print(std::cout);
}

}  // namespace

void AddProblemStats(CLI::App* problem, Cli& cli) {
  auto req = std::make_shared<tv1::GetProblemStatisticsRequest>();
  CLI::App* c = problem->add_subcommand(
      "stats", "problems counted as they stood at the end of a day (问题办理情况)");
  c->add_option("--plan", *req->mutable_plan_id(), "default: the plan of the year");
  c->add_option("--from", *req->mutable_from(),
                "YYYY-MM-DD, first day counted as new (default: 1 January)");
  c->add_option("--until", *req->mutable_until(),
                "YYYY-MM-DD, counted at its end (default: today)");
  c->callback([&cli, req] {
    tv1::GetProblemStatisticsResponse resp;
    cli.Check(cli.Tasks().GetProblemStatistics(cli.Context().get(), *req, &resp));
    Show(cli, resp, [&] {
      std::cout << resp.plan_id() << " " << resp.from() << " .. " << resp.until() << "\n\n按乡镇\n";
      PrintTallies("乡镇(街道、园区)", resp.townships(), &resp.county());
      std::cout << "\n按部门\n";
      PrintTallies("部门", resp.departments(), nullptr);
      std::cout << "\n办理时间最长的未办结问题\n";
      Table open({"问题", "企业", "乡镇", "当前层级", "承办单位", "已历时(工作日)", "超期"});
      for (const tv1::LongOpenProblem& p : resp.longest_open()) {
        open.AddRow({p.title(), p.enterprise_name(), p.township_name(),
                     uplift::tasks::RungLabel(p.rung()), p.owner_unit_name(),
                     absl::StrCat(p.working_days_open()), p.overdue() ? "是" : "否"});
      }
      open.Print(std::cout);
    });
  });
}

}  // namespace uplift::cli

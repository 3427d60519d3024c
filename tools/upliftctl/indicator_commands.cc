// upliftctl summary, targets, efficiency, ranking and close-month: the
// indicator service's aggregates, the plan's targets as they stand, 亩均
// grades, the township ranking, and closing a month by hand.
#include <iostream>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/indicators/figure_format.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

namespace iv1 = uplift::indicators::v1;
using uplift::indicators::FormatGrowth;
using uplift::indicators::FormatMu;
using uplift::indicators::FormatPercent;
using uplift::indicators::FormatWanYuan;

std::string Compared(const iv1::Growth& g) {
  return absl::StrCat(g.compared(), "/+", g.new_entrants(), "/-", g.missing());
}

void AddSummary(CLI::App& app, Cli& cli) {
  struct Args {
    iv1::GetAggregatesRequest req;
    std::string by = "cluster";
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("summary", "figures for a month and the year to date, with comparable growth");
  c->add_option("--period", *a->req.mutable_period(), "YYYY-MM")->required();
  c->add_option("--by", a->by, "county, cluster, township or cluster-township")->capture_default_str();
  c->add_option("--cluster", *a->req.mutable_cluster_id(), "only this cluster");
  c->add_option("--township", *a->req.mutable_township_id(), "only this township");
  c->callback([&cli, a] {
    const std::map<std::string, iv1::GroupBy> groupings = {
        {"county", iv1::GROUP_BY_UNSPECIFIED}, {"cluster", iv1::GROUP_BY_CLUSTER},
        {"township", iv1::GROUP_BY_TOWNSHIP}, {"cluster-township", iv1::GROUP_BY_CLUSTER_TOWNSHIP}};
    auto g = groupings.find(a->by);
    if (g == groupings.end()) FailCommand("--by: expected county, cluster, township or cluster-township", 2);
    a->req.set_group_by(g->second);
    iv1::GetAggregatesResponse resp;
    cli.Check(cli.Indicators().GetAggregates(cli.Context().get(), a->req, &resp));
    Show(cli, resp, [&] {
      Table t({"集群", "乡镇", "本月营收(万元)", "累计营收(万元)", "累计税收(万元)", "累计可比增长",
               "可比/新增/缺报", "本月报送/企业"});
      auto add = [&](const iv1::AggregateRow& r, const std::string& cluster) {
        t.AddRow({cluster, r.township_name(), FormatWanYuan(r.month().revenue_fen()),
                  FormatWanYuan(r.year_to_date().revenue_fen()), FormatWanYuan(r.year_to_date().tax_fen()),
                  FormatGrowth(r.ytd_growth()), Compared(r.ytd_growth()),
                  absl::StrCat(r.reporting(), "/", r.enterprises())});
      };
      for (const auto& r : resp.rows()) add(r, r.cluster_name());
      add(resp.total(), "合计");
      std::cout << resp.period() << "  (可比增长: 两年同月均有报送的企业; 金额单位万元)\n";
      t.Print(std::cout);
    });
  });
}

std::string TargetAmount(const iv1::CountedTarget& t, int64_t v) {
  return t.unit() == "%" ? FormatPercent(v) : absl::StrCat(v, t.unit());
}

void AddTargets(CLI::App& app, Cli& cli) {
  auto req = std::make_shared<iv1::GetTargetProgressRequest>();
  CLI::App* c = app.add_subcommand("targets", "the plan's targets as they stand, with the enterprises behind each count");
  c->add_option("--period", *req->mutable_period(), "as of the end of this month (default: this month)");
  c->callback([&cli, req] {
    req->set_plan_id(cli.plan_id());
    iv1::GetTargetProgressResponse resp;
    cli.Check(cli.Indicators().GetTargetProgress(cli.Context().get(), *req, &resp));
    Show(cli, resp, [&] {
      std::cout << resp.plan_id() << " 截至 " << resp.period() << ": 集群营业收入可比增长 "
                << FormatGrowth(resp.overall_growth()) << "（目标 " << FormatPercent(resp.growth_target_bp())
                << "，力争 " << FormatPercent(resp.growth_stretch_bp()) << "）\n\n";
      Table clusters({"集群", "累计可比增长", "可比/新增/缺报", "目标", "力争"});
      for (const auto& g : resp.clusters()) {
        clusters.AddRow({g.cluster_name(), FormatGrowth(g.ytd_growth()), Compared(g.ytd_growth()),
                         g.meets_target() ? "达标" : "未达标", g.meets_stretch() ? "达成" : "—"});
      }
      clusters.Print(std::cout);
      std::cout << "\n";
      Table t({"任务", "目标", "目标值", "已完成", "应达", "状态", "来源", "说明"});
      for (const auto& g : resp.targets()) {
        t.AddRow({g.task_number(), g.description().empty() ? g.target_id() : g.description(),
                  TargetAmount(g, g.value()), TargetAmount(g, g.achieved()), TargetAmount(g, g.expected_now()),
                  g.met() ? "已完成" : g.behind() ? "滞后" : "正常", g.source(), g.note()});
      }
      t.Print(std::cout, 36);
    });
  });
}

void AddEfficiency(CLI::App& app, Cli& cli) {
  struct Args {
    iv1::GetEfficiencyRequest req;
    ListPaging paging;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("efficiency", "亩均 revenue and tax per enterprise, with grades");
  c->add_option("--period", *a->req.mutable_period(), "year to date through YYYY-MM")->required();
  c->add_option("--cluster", *a->req.mutable_cluster_id(), "only this cluster");
  c->add_option("--township", *a->req.mutable_township_id(), "only this township");
  c->add_option("--grade", *a->req.mutable_grade(), "only this grade");
  a->paging.AddOptions(c);
  c->callback([&cli, a] {
    iv1::GetEfficiencyResponse resp = ListAllPages<iv1::GetEfficiencyResponse>(
        a->paging, a->req,
        [&](const iv1::GetEfficiencyRequest& r, iv1::GetEfficiencyResponse* out) {
          return cli.Indicators().GetEfficiency(cli.Context().get(), r, out);
        },
        cli, [](iv1::GetEfficiencyResponse* acc, iv1::GetEfficiencyResponse& more) {
          acc->mutable_rows()->MergeFrom(more.rows());
        });
    Show(cli, resp, [&] {
      std::vector<std::string> counts;
      const std::map<std::string, int> sorted(resp.grade_counts().begin(), resp.grade_counts().end());
      for (const auto& [grade, n] : sorted) counts.push_back(absl::StrCat(grade, ": ", n));
      std::cout << "等级分布 " << absl::StrJoin(counts, "  ") << "\n";
      Table t({"统一社会信用代码", "企业名称", "乡镇", "占地(亩)", "亩均营收(万元/年)", "亩均税收(万元/年)", "等级"});
      for (const auto& r : resp.rows()) {
        t.AddRow({r.credit_code(), r.enterprise_name(), r.township_name(), FormatMu(r.land_centi_mu()),
                  FormatWanYuan(r.revenue_per_mu_fen()), FormatWanYuan(r.tax_per_mu_fen()),
                  r.grade().empty() ? "未评价" : absl::StrCat(r.grade(), " ", r.grade_label())});
      }
      t.Print(std::cout);
      PrintNextPage(resp.next_page_token());
    });
  });
}

void AddRanking(CLI::App& app, Cli& cli) {
  auto req = std::make_shared<iv1::GetTownshipRankingRequest>();
  CLI::App* c = app.add_subcommand("ranking", "townships ranked for a quarter, with assessment points");
  c->add_option("--quarter", *req->mutable_quarter(), "YYYY-Qn")->required();
  c->callback([&cli, req] {
    iv1::GetTownshipRankingResponse resp;
    cli.Check(cli.Indicators().GetTownshipRanking(cli.Context().get(), *req, &resp));
    Show(cli, resp, [&] {
      Table t({"排名", "乡镇(街道、园区)", "得分", "考核加分", "营收增速", "新增梯度企业", "新增规上", "报送/企业"});
      for (const auto& s : resp.townships()) {
        t.AddRow({s.rank() == 0 ? std::string("无数据") : absl::StrCat(s.rank()), s.township_name(),
                  absl::StrFormat("%.1f", s.score()),
                  absl::StrCat(s.points() > 0 ? "+" : "", s.points()), FormatGrowth(s.ytd_growth()),
                  absl::StrCat(s.new_awards()), absl::StrCat(s.new_above_size()),
                  absl::StrCat(s.reporting(), "/", s.enterprises())});
      }
      std::cout << resp.quarter() << "\n";
      t.Print(std::cout);
      std::cout << resp.rules() << "\n";
    });
  });
}

void AddCloseMonth(CLI::App& app, Cli& cli) {
  auto req = std::make_shared<iv1::ClosePeriodRequest>();
  CLI::App* c = app.add_subcommand(
      "close-month", "close a month by hand: publish target progress and alert on targets behind");
  c->add_option("--period", *req->mutable_period(), "YYYY-MM, a month that has ended")->required();
  c->callback([&cli, req] {
    req->set_plan_id(cli.plan_id());
    iv1::ClosePeriodResponse resp;
    cli.Check(cli.Indicators().ClosePeriod(cli.Context().get(), *req, &resp));
    Show(cli, resp, [&] {
      std::cout << (resp.already_closed() ? "已关账（此前），未重复发布\n" : "已关账\n");
      std::cout << "进度事件 " << resp.progress_events() << "，预警 " << resp.alerts() << "\n";
      for (const auto& t : resp.behind()) {
        std::cout << "  滞后: " << t.task_number() << " " << t.description() << " " << t.note() << "\n";
      }
    });
  });
}

}  // namespace

void AddIndicatorCommands(CLI::App& app, Cli& cli) {
  AddSummary(app, cli);
  AddTargets(app, cli);
  AddEfficiency(app, cli);
  AddRanking(app, cli);
  AddCloseMonth(app, cli);
}

}  // namespace uplift::cli

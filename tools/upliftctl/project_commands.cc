// upliftctl project create, list, show, advance, milestone and report: the
// project ledger (项目台账) that uplift-tasks keeps. Phases, kinds, sources
// and milestones are given by their Chinese names or short English ones
// (在建 or construction); money in 万元 as the ledgers keep it.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/money_format.h"
#include "services/tasks/project_phases.h"
#include "tools/upliftctl/amounts.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/project_rows.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
// Named, not anonymous: the unity build puts every command file in one
// unit, and the other files have their own AddList, AddShow...
namespace project_commands {

namespace tv1 = uplift::tasks::v1;
using uplift::tasks::MilestoneLabel;
using uplift::tasks::PhaseLabel;

// `text` as one of `labels` (Chinese or English), or exits naming `flag`.
template <typename E, typename NameOf>
E EnumFlag(const std::string& flag, const std::string& text, const EnumLabels<E>& labels,
           absl::string_view prefix, NameOf name_of) {
  E out{};
  if (text.empty()) return out;
  if (!ParseEnumLabel(labels, prefix, name_of, text, &out)) {
    std::vector<std::string> known;
    for (const auto& [e, label] : labels) known.push_back(label);
    FailCommand(absl::StrCat(flag, ": unknown \"", text, "\"; one of ", absl::StrJoin(known, ", ")),
                2);
  }
  return out;
}

tv1::ProjectPhase PhaseFlag(const std::string& flag, const std::string& text) {
  return EnumFlag(flag, text, uplift::tasks::ProjectPhaseLabels(), "PROJECT_PHASE_",
                  [](tv1::ProjectPhase p) { return tv1::ProjectPhase_Name(p); });
}
tv1::MilestoneKind MilestoneFlag(const std::string& flag, const std::string& text) {
  return EnumFlag(flag, text, uplift::tasks::MilestoneLabels(), "MILESTONE_KIND_",
                  [](tv1::MilestoneKind k) { return tv1::MilestoneKind_Name(k); });
}

// "1234.5" 万元 as fen, or exits naming `flag`.
int64_t WanYuanFlag(const std::string& flag, const std::string& text) {
  std::optional<int64_t> hundredths = ParseScaled(text, 2);
  if (!hundredths.has_value()) {
    FailCommand(absl::StrCat(flag, ": \"", text, "\" is not an amount in 万元 (e.g. 1200.50)"), 2);
  }
  return *hundredths * 10000;  // 0.01万元 = 100元 = 10,000 fen
}

std::string PhaseText(const tv1::Project& p) {
  if (p.phase() == tv1::PROJECT_PHASE_CONSTRUCTION && p.carried_over()) return "在建（续建）";
  return PhaseLabel(p.phase());
}

std::string LightText(const tv1::Project& p) {
  return LabelOf(uplift::tasks::ProjectLightLabels(), p.light());
}

void PrintProject(const tv1::Project& p) {
  std::cout << p.name() << "（" << p.project_id()
            << (p.ledger_number().empty() ? "" : "，" + p.ledger_number()) << "）\n";
  Table facts({"项", "内容"});
  facts.AddRow({"投资主体",
                p.enterprise_name().empty() ? p.investor() + "（未注册）" : p.enterprise_name()});
  facts.AddRow({"集群 / 乡镇", p.cluster_name() + " / " + p.township_name()});
  facts.AddRow({"责任部门 / 包联领导", p.department_name() + " / " + p.leader_name()});
  facts.AddRow({"类型 / 来源", LabelOf(uplift::tasks::ProjectKindLabels(), p.kind()) + " / " +
                                   LabelOf(uplift::tasks::ProjectSourceLabels(), p.source())});
  facts.AddRow(
      {"阶段",
       PhaseText(p) + (p.suspension_reason().empty() ? "" : "（" + p.suspension_reason() + "）")});
  facts.AddRow({"总投资 / 累计完成", FormatAmountText(p.total_investment_fen()) + " / " +
                                         FormatAmountText(p.completed_investment_fen())});
  facts.AddRow({absl::StrCat(p.year(), "年计划 / 完成"),
                FormatAmountText(p.planned_investment_fen()) + " / " +
                    FormatAmountText(p.year_completed_investment_fen())});
  facts.AddRow({"督办", LightText(p) + (p.light_reasons().empty()
                                            ? ""
                                            : "：" + absl::StrJoin(p.light_reasons(), "；"))});
  facts.Print(std::cout);
  Table milestones({"节点", "计划", "实际"});
  for (const tv1::ProjectMilestone& m : p.milestones()) {
    milestones.AddRow({MilestoneLabel(m.kind()), m.planned_on(), m.actual_on()});
  }
  if (p.milestones_size() > 0) milestones.Print(std::cout);
  if (p.history_size() > 0) {
    Table history({"#", "日期", "事项", "阶段", "说明", "单位"});
    for (const tv1::ProjectStep& s : p.history()) {
      std::string what = tv1::ProjectStep::Action_Name(s.action());
      switch (s.action()) {
        case tv1::ProjectStep::ACTION_CREATED:
          what = "建档";
          break;
        case tv1::ProjectStep::ACTION_ADVANCED:
          what = "推进";
          break;
        case tv1::ProjectStep::ACTION_SUSPENDED:
          what = "停缓建";
          break;
        case tv1::ProjectStep::ACTION_RESUMED:
          what = "复工";
          break;
        case tv1::ProjectStep::ACTION_MILESTONE_REACHED:
          what = MilestoneLabel(s.milestone());
          break;
        case tv1::ProjectStep::ACTION_MILESTONE_REPLANNED:
          what = MilestoneLabel(s.milestone()) + "改期";
          break;
        case tv1::ProjectStep::ACTION_TOTAL_REVISED:
          what = "调整总投资";
          break;
        default:
          break;
      }
      history.AddRow({absl::StrCat(s.seq()), s.on(), what, PhaseLabel(s.phase()), s.text(),
                      s.actor_unit_id()});
    }
    history.Print(std::cout, 40);
  }
}

void AddCreate(CLI::App* project, Cli& cli) {
  struct Args {
    tv1::CreateProjectRequest req;
    std::string kind, source, total, planned, phase;
    std::vector<std::string> milestones;
    int year = 0;
    bool carried_over = false;
  };
  auto a = std::make_shared<Args>();
  tv1::Project* p = a->req.mutable_project();
  CLI::App* c = project->add_subcommand("create", "enter a project in the ledger");
  c->add_option("--name", *p->mutable_name(), "项目名称")->required();
  c->add_option("--code", *p->mutable_credit_code(), "the investing enterprise's credit code");
  c->add_option("--investor", *p->mutable_investor(), "who invests, while not registered");
  c->add_option("--cluster", *p->mutable_cluster_id(), "cluster id")->required();
  c->add_option("--township", *p->mutable_township_id(), "township id")->required();
  c->add_option("--department", *p->mutable_department_unit_id(), "responsible department id")
      ->required();
  c->add_option("--kind", a->kind, "新建, 技改 or 扩建 (new, renovation, expansion)")->required();
  c->add_option("--source", a->source, "招商引资, 京津冀转移 or 本地企业扩产")->required();
  c->add_option("--total", a->total, "总投资, 万元")->required();
  c->add_option("--planned", a->planned, "this year's planned investment, 万元");
  c->add_option("--year", a->year, "the ledger's year (default: this year)");
  c->add_option("--phase", a->phase, "its phase now (default 谋划; 在建 for 续建)");
  c->add_flag("--carried-over", a->carried_over, "续建: carried over from last year");
  c->add_option("--number", *p->mutable_ledger_number(), "the county's 项目编号");
  c->add_option(
      "--milestone", a->milestones,
      "KIND:PLANNED[:ACTUAL], e.g. 开工:2023-05-15 or 签约:2023-02-01:2023-02-03; repeat");
  c->callback([&cli, a] {
    tv1::Project* p = a->req.mutable_project();
    p->set_year(a->year);
    p->set_carried_over(a->carried_over);
    p->set_kind(EnumFlag("--kind", a->kind, uplift::tasks::ProjectKindLabels(), "PROJECT_KIND_",
                         [](tv1::ProjectKind k) { return tv1::ProjectKind_Name(k); }));
    p->set_source(EnumFlag("--source", a->source, uplift::tasks::ProjectSourceLabels(),
                           "PROJECT_SOURCE_",
                           [](tv1::ProjectSource s) { return tv1::ProjectSource_Name(s); }));
    p->set_total_investment_fen(WanYuanFlag("--total", a->total));
    if (!a->planned.empty()) p->set_planned_investment_fen(WanYuanFlag("--planned", a->planned));
    a->req.set_phase(PhaseFlag("--phase", a->phase));
    for (const std::string& m : a->milestones) {
      std::vector<std::string> parts = absl::StrSplit(m, ':');
      if (parts.size() < 2 || parts.size() > 3) {
        FailCommand("--milestone: \"" + m + "\" is not KIND:PLANNED[:ACTUAL]", 2);
      }
      tv1::ProjectMilestone* pm = p->add_milestones();
      pm->set_kind(MilestoneFlag("--milestone", parts[0]));
      pm->set_planned_on(parts[1]);
      if (parts.size() == 3) pm->set_actual_on(parts[2]);
    }
    tv1::CreateProjectResponse resp;
    cli.Check(cli.Projects().CreateProject(cli.Context().get(), a->req, &resp));
    Show(cli, resp, [&] { PrintProject(resp.project()); });
  });
}

void AddList(CLI::App* project, Cli& cli) {
  struct Args {
    tv1::ListProjectsRequest req;
    std::string phase, light;
    int year = 0;
    ListPaging paging;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = project->add_subcommand("list", "the year's projects with their colour");
  c->add_option("--year", a->year, "default: this year");
  c->add_option("--cluster", *a->req.mutable_cluster_id(), "only this cluster's");
  c->add_option("--township", *a->req.mutable_township_id(), "only this township's");
  c->add_option("--department", *a->req.mutable_department_unit_id(), "only this department's");
  c->add_option("--code", *a->req.mutable_credit_code(), "only this enterprise's");
  c->add_option("--phase", a->phase, "only this phase");
  c->add_option("--light", a->light, "only this colour: 绿, 黄 or 红");
  a->paging.AddOptions(c);
  c->callback([&cli, a] {
    a->req.set_year(a->year);
    a->req.set_phase(PhaseFlag("--phase", a->phase));
    a->req.set_light(EnumFlag("--light", a->light, uplift::tasks::ProjectLightLabels(),
                              "PROJECT_LIGHT_",
                              [](tv1::ProjectLight l) { return tv1::ProjectLight_Name(l); }));
    tv1::ListProjectsResponse resp = ListAllPages<tv1::ListProjectsResponse>(
        a->paging, a->req,
        [&](const tv1::ListProjectsRequest& r, tv1::ListProjectsResponse* out) {
          return cli.Projects().ListProjects(cli.Context().get(), r, out);
        },
        cli,
        [](tv1::ListProjectsResponse* acc, tv1::ListProjectsResponse& more) {
          acc->mutable_projects()->MergeFrom(more.projects());
        });
    Show(cli, resp, [&] {
      Table t(
          {"项目", "名称", "乡镇", "阶段", "总投资(万元)", "年计划(万元)", "年完成(万元)", "督办"});
      for (const tv1::Project& p : resp.projects()) {
        t.AddRow({p.project_id(), p.name(), p.township_name(), PhaseText(p),
                  FormatWanYuan(p.total_investment_fen()),
                  FormatWanYuan(p.planned_investment_fen()),
                  FormatWanYuan(p.year_completed_investment_fen()), LightText(p)});
      }
      t.Print(std::cout, 30);
      PrintNextPage(resp.next_page_token());
    });
  });
}

void AddShow(CLI::App* project, Cli& cli) {
  auto id = std::make_shared<std::string>();
  CLI::App* c = project->add_subcommand("show", "a project: facts, milestones, history, months");
  c->add_option("project_id", *id)->required();
  c->callback([&cli, id] {
    tv1::GetProjectRequest req;
    req.set_project_id(*id);
    tv1::GetProjectResponse resp;
    cli.Check(cli.Projects().GetProject(cli.Context().get(), req, &resp));
    tv1::ListProjectProgressRequest months_req;
    months_req.set_project_id(*id);
    tv1::ListProjectProgressResponse months;
    cli.Check(cli.Projects().ListProjectProgress(cli.Context().get(), months_req, &months));
    Show(cli, resp, [&] {
      PrintProject(resp.project());
      Table t({"月份", "完成投资(万元)", "形象进度", "存在问题"});
      for (const tv1::ProjectProgress& m : months.progress()) {
        t.AddRow(
            {m.period(), FormatWanYuan(m.investment_fen()), m.image_progress(), m.problems_met()});
      }
      if (months.progress_size() > 0) t.Print(std::cout, 40);
    });
  });
}

void AddAdvance(CLI::App* project, Cli& cli) {
  struct Args {
    tv1::AdvanceProjectRequest req;
    std::string phase;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = project->add_subcommand(
      "advance", "move a project to a later phase, or 停缓建 with --reason, or back to work");
  c->add_option("project_id", *a->req.mutable_project_id())->required();
  c->add_option("--to", a->phase, "签约, 前期, 在建, 投产, 达产 or 停缓建")->required();
  c->add_option("--on", *a->req.mutable_on(), "the day, YYYY-MM-DD (default: today)");
  c->add_option("--reason", *a->req.mutable_reason(), "why (required for 停缓建)");
  c->callback([&cli, a] {
    a->req.set_phase(PhaseFlag("--to", a->phase));
    tv1::AdvanceProjectResponse resp;
    cli.Check(cli.Projects().AdvanceProject(cli.Context().get(), a->req, &resp));
    Show(cli, resp,
         [&] { std::cout << resp.project().name() << "：" << PhaseText(resp.project()) << "\n"; });
  });
}

void AddMilestone(CLI::App* project, Cli& cli) {
  struct Args {
    tv1::RecordMilestoneRequest req;
    std::string kind;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = project->add_subcommand(
      "milestone", "a milestone reached (--actual) or its planned day moved (--planned, --reason)");
  c->add_option("project_id", *a->req.mutable_project_id())->required();
  c->add_option("--kind", a->kind, "签约, 落地, 开工, 投产 or 入统")->required();
  c->add_option("--actual", *a->req.mutable_actual_on(), "reached on, YYYY-MM-DD");
  c->add_option("--planned", *a->req.mutable_planned_on(), "the new planned day");
  c->add_option("--reason", *a->req.mutable_reason(), "why the planned day moves");
  c->callback([&cli, a] {
    a->req.set_milestone(MilestoneFlag("--kind", a->kind));
    tv1::RecordMilestoneResponse resp;
    cli.Check(cli.Projects().RecordMilestone(cli.Context().get(), a->req, &resp));
    Show(cli, resp, [&] { PrintProject(resp.project()); });
  });
}

void AddReport(CLI::App* project, Cli& cli) {
  struct Args {
    tv1::ReportProjectProgressRequest req;
    std::string investment, revised_total;
  };
  auto a = std::make_shared<Args>();
  tv1::ProjectProgress* m = a->req.mutable_progress();
  CLI::App* c = project->add_subcommand("report", "a month's progress of a project (月调度)");
  c->add_option("project_id", *m->mutable_project_id())->required();
  c->add_option("--period", *m->mutable_period(), "the month, YYYY-MM")->required();
  c->add_option("--investment", a->investment, "investment completed that month, 万元")->required();
  c->add_option("--image", *m->mutable_image_progress(), "形象进度, in words")->required();
  c->add_option("--problems", *m->mutable_problems_met(), "what held it up");
  c->add_option("--revised-total", a->revised_total,
                "a revised 总投资 in 万元, when the completed investment passes it");
  c->callback([&cli, a] {
    a->req.mutable_progress()->set_investment_fen(WanYuanFlag("--investment", a->investment));
    if (!a->revised_total.empty()) {
      a->req.set_revised_total_investment_fen(WanYuanFlag("--revised-total", a->revised_total));
    }
    tv1::ReportProjectProgressResponse resp;
    cli.Check(cli.Projects().ReportProjectProgress(cli.Context().get(), a->req, &resp));
    Show(cli, resp, [&] {
      const tv1::Project& p = resp.project();
      std::cout << (resp.replaced() ? "replaced: " : "reported: ") << p.name() << " "
                << resp.progress().period() << " 完成投资"
                << FormatAmountText(resp.progress().investment_fen()) << "，年度累计"
                << FormatAmountText(p.year_completed_investment_fen()) << "，督办" << LightText(p)
                << "\n";
    });
  });
}

void AddImport(CLI::App* project, Cli& cli) {
  struct Args {
    std::string file, encoding = "auto";
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = project->add_subcommand(
      "import",
      "enter a county's project ledger from a CSV file with Chinese column names "
      "(项目编号, 项目名称, 所属集群, 所在乡镇, 责任部门, 建设性质, 项目来源, 总投资(万元), ...)");
  c->add_option("file", a->file, "CSV file")->required();
  c->add_option("--encoding", a->encoding, "auto, utf-8 or gb18030")->capture_default_str();
  c->callback([&cli, a] {
    absl::StatusOr<std::vector<CsvRecord>> records = ReadCsvFile(a->file, a->encoding);
    if (!records.ok()) FailCommand(std::string(records.status().message()), 2);
    tv1::GetPlanRequest plan_req;
    plan_req.set_plan_id(cli.plan_id());
    tv1::GetPlanResponse plan;
    cli.Check(cli.Tasks().GetPlan(cli.Context().get(), plan_req, &plan));
    absl::StatusOr<ProjectRows> parsed = ParseProjectRows(*records, plan.plan());
    if (!parsed.ok()) FailCommand(std::string(parsed.status().message()), 2);
    std::vector<ProjectRowError> errors = parsed->errors;
    int created = 0, existing = 0;
    for (const ProjectRow& row : parsed->rows) {
      tv1::CreateProjectResponse resp;
      const grpc::Status s = cli.Projects().CreateProject(cli.Context().get(), row.request, &resp);
      if (s.ok()) {
        ++created;
      } else if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        ++existing;  // its 项目编号 is in the ledger: a second import
      } else {
        errors.push_back({row.line, row.request.project().ledger_number(),
                          absl::StatusCodeToString(static_cast<absl::StatusCode>(s.error_code())),
                          s.error_message()});
      }
    }
    std::sort(errors.begin(), errors.end(),
              [](const ProjectRowError& x, const ProjectRowError& y) { return x.line < y.line; });
    Record summary;
    summary.Add("读取行数", absl::StrCat(records->size() - 1));
    summary.Add("新增", absl::StrCat(created));
    summary.Add("已存在", absl::StrCat(existing));
    summary.Add("错误", absl::StrCat(errors.size()));
    summary.Print(std::cout);
    if (!errors.empty()) {
      std::cout << "\n";
      Table t({"行", "项目编号", "错误码", "原因"});
      for (const ProjectRowError& e : errors) {
        t.AddRow({absl::StrCat(e.line), e.ledger_number, e.code, e.message});
      }
      t.Print(std::cout, 0);
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace project_commands

void AddProjectCommands(CLI::App& app, Cli& cli) {
  CLI::App* project = app.add_subcommand("project", "investment projects (项目台账)");
  project->require_subcommand(1);
  project_commands::AddCreate(project, cli);
  project_commands::AddList(project, cli);
  project_commands::AddShow(project, cli);
  project_commands::AddAdvance(project, cli);
  project_commands::AddMilestone(project, cli);
  project_commands::AddReport(project, cli);
  project_commands::AddImport(project, cli);
}

}  // namespace uplift::cli

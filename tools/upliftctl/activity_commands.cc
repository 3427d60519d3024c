// upliftctl activity record, list and uncovered: the service activity
// records (服务活动台账), each activity recorded once by its organiser,
// and the enterprises (or clusters) a coverage target has not reached yet.
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

namespace iv1 = uplift::indicators::v1;

// The kinds by their short names and their Chinese names.
const std::vector<std::pair<iv1::ActivityKind, std::pair<std::string, std::string>>>& Kinds() {
  static const auto* kinds =
      new std::vector<std::pair<iv1::ActivityKind, std::pair<std::string, std::string>>>{
          {iv1::ACTIVITY_KIND_SERVICE_EVENT, {"event", "服务活动"}},
          {iv1::ACTIVITY_KIND_TECH_DIAGNOSIS, {"tech-diagnosis", "科技巡诊"}},
          {iv1::ACTIVITY_KIND_INTEGRATION_ASSESSMENT, {"integration-assessment", "两化融合评估"}},
          {iv1::ACTIVITY_KIND_FINANCIAL_SERVICE, {"financial-service", "金融服务"}},
          {iv1::ACTIVITY_KIND_RESEARCH_SERVICE, {"research-service", "高校科研机构服务"}},
      };
  return *kinds;
}

iv1::ActivityKind KindFlag(const std::string& text) {
  if (text.empty()) return iv1::ACTIVITY_KIND_UNSPECIFIED;
  std::vector<std::string> known;
  for (const auto& [kind, names] : Kinds()) {
    if (text == names.first || text == names.second) return kind;
    known.push_back(names.first);
  }
  FailCommand(absl::StrCat("--kind: unknown \"", text, "\"; one of ", absl::StrJoin(known, ", ")),
              2);
  return iv1::ACTIVITY_KIND_UNSPECIFIED;
}

std::string KindName(iv1::ActivityKind kind) {
  for (const auto& [k, names] : Kinds()) {
    if (k == kind) return names.second;
  }
  return "未指定";
}

void AddRecord(CLI::App* activity, Cli& cli) {
  struct Args {
    iv1::Activity a;
    std::string kind;
    std::vector<std::string> codes, clusters;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = activity->add_subcommand(
      "record", "record an activity your unit organised, once, with the enterprises it served");
  c->add_option("--date", *a->a.mutable_held_on(), "the day it was held, YYYY-MM-DD")->required();
  c->add_option("--kind", a->kind,
                "event, tech-diagnosis, integration-assessment, financial-service or "
                "research-service (or 服务活动, 科技巡诊...)")
      ->required();
  c->add_option("--title", *a->a.mutable_title(), "what it was")->required();
  c->add_option("--code", a->codes, "an enterprise served (统一社会信用代码); repeat");
  c->add_option("--cluster", a->clusters, "a cluster served as a whole (research-service)");
  c->add_option("--organiser", *a->a.mutable_organiser_unit_id(),
                "the organising unit (ADMIN only; others record their own)");
  c->callback([&cli, a] {
    iv1::RecordActivityRequest req;
    *req.mutable_activity() = a->a;
    req.mutable_activity()->set_kind(KindFlag(a->kind));
    for (const std::string& code : a->codes) req.mutable_activity()->add_credit_codes(code);
    for (const std::string& id : a->clusters) req.mutable_activity()->add_cluster_ids(id);
    iv1::RecordActivityResponse resp;
    cli.Check(cli.Indicators().RecordActivity(cli.Context().get(), req, &resp));
    Show(cli, resp, [&] {
      const iv1::Activity& r = resp.activity();
      std::cout << (resp.existing() ? "already recorded: " : "recorded: ") << r.activity_id() << " "
                << r.held_on() << " " << KindName(r.kind()) << " 「" << r.title() << "」 "
                << r.organiser_unit_name() << "，服务企业" << r.credit_codes_size() << "家\n";
    });
  });
}

void AddList(CLI::App* activity, Cli& cli) {
  struct Args {
    iv1::ListActivitiesRequest req;
    std::string kind;
    int year = 0;
    ListPaging paging;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = activity->add_subcommand("list", "the year's activities, latest first");
  c->add_option("--year", a->year, "default: this year");
  c->add_option("--kind", a->kind, "only this kind");
  c->add_option("--organiser", *a->req.mutable_organiser_unit_id(), "only this unit's");
  c->add_option("--code", *a->req.mutable_credit_code(), "only those that served this enterprise");
  a->paging.AddOptions(c);
  c->callback([&cli, a] {
    a->req.set_kind(KindFlag(a->kind));
    a->req.set_year(a->year);
    iv1::ListActivitiesResponse resp = ListAllPages<iv1::ListActivitiesResponse>(
        a->paging, a->req,
        [&](const iv1::ListActivitiesRequest& r, iv1::ListActivitiesResponse* out) {
          return cli.Indicators().ListActivities(cli.Context().get(), r, out);
        },
        cli,
        [](iv1::ListActivitiesResponse* acc, iv1::ListActivitiesResponse& more) {
          acc->mutable_activities()->MergeFrom(more.activities());
        });
    Show(cli, resp, [&] {
      Table t({"日期", "类别", "活动", "组织单位", "服务企业(家)", "服务集群"});
      for (const iv1::Activity& r : resp.activities()) {
        t.AddRow({r.held_on(), KindName(r.kind()), r.title(), r.organiser_unit_name(),
                  absl::StrCat(r.credit_codes_size()), absl::StrJoin(r.cluster_ids(), "、")});
      }
      t.Print(std::cout, 40);
      PrintNextPage(resp.next_page_token());
    });
  });
}

void AddUncovered(CLI::App* activity, Cli& cli) {
  struct Args {
    std::string target, period;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = activity->add_subcommand(
      "uncovered", "who a coverage target has not reached yet (e.g. tech-diagnosis-coverage)");
  c->add_option("target_id", a->target)->required();
  c->add_option("--period", a->period, "as of the end of this month (default: this month)");
  c->callback([&cli, a] {
    iv1::GetTargetProgressRequest req;
    req.set_plan_id(cli.plan_id());
    req.set_period(a->period);
    iv1::GetTargetProgressResponse resp;
    cli.Check(cli.Indicators().GetTargetProgress(cli.Context().get(), req, &resp));
    const iv1::CountedTarget* target = nullptr;
    for (const iv1::CountedTarget& t : resp.targets()) {
      if (t.target_id() == a->target) target = &t;
    }
    if (target == nullptr) FailCommand("target_id: the plan has no target " + a->target, 1);
    if (target->population() == 0 && target->candidates() == 0 &&
        target->credit_codes_size() == 0) {
      FailCommand("target_id: " + a->target + " is not a coverage target", 1);
    }
    Show(cli, *target, [&] {
      std::cout << target->description() << "\n"
                << target->note() << "（截至 " << resp.period() << "）\n";
      Table t({"未覆盖", "名称"});
      for (int i = 0; i < target->candidate_codes_size(); ++i) {
        t.AddRow({target->candidate_codes(i),
                  i < target->candidate_names_size() ? target->candidate_names(i) : ""});
      }
      t.Print(std::cout);
      if (target->candidates() > target->candidate_codes_size()) {
        std::cout << "……另有" << target->candidates() - target->candidate_codes_size()
                  << "个未列出\n";
      }
    });
  });
}

}  // namespace

void AddActivityCommands(CLI::App& app, Cli& cli) {
  CLI::App* activity =
      app.add_subcommand("activity", "service activities (服务活动台账), each recorded once");
  activity->require_subcommand(1);
  AddRecord(activity, cli);
  AddList(activity, cli);
  AddUncovered(activity, cli);
}

}  // namespace uplift::cli

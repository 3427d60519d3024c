// The indicator service against real processes: redis-server, the registry,
// the tasks service (both on a test clock in October 2023) and
// uplift-indicators. A county made by uplift-county flows in through the
// registry's events and `upliftctl report import`; the aggregates match the
// generator's own arithmetic; targets follow tier awards; the month closes by
// itself with alerts on uplift:alerts and progress that the tasks service
// shows and the notification service puts in the units' inboxes; the
// bulletin exports to Markdown, CSV and XLSX; the working set
// survives a kill -9; bad input changes nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/text_proto.h"
#include "services/indicators/comparable_growth.h"
#include "tests/support/indicators_fixture.h"
#include "tools/county/county_model.h"
#include "tools/county/county_projects.h"
#include "uplift/indicators/v1/indicator_events.pb.h"

namespace uplift::testing {
namespace {

namespace av1 = uplift::auth::v1;

uplift::tasks::v1::Plan XinlePlan() {
  std::ifstream in(std::string(UPLIFT_SOURCE_DIR) + "/plans/xinle-2023.textproto");
  std::stringstream text;
  text << in.rdbuf();
  uplift::tasks::v1::Plan plan;
  EXPECT_TRUE(ParseTextProto(text.str(), "plan", &plan).ok());
  return plan;
}

class IndicatorsIntegrationTest : public ::testing::Test, public IndicatorsFixture {
 protected:
  IndicatorsIntegrationTest() {
    StartIndicators();
    StartNotify();
    int code = 0;
    const std::string out = ApplyXinlePlan(&code);
    EXPECT_EQ(code, 0) << out;
  }

  std::unique_ptr<grpc::ClientContext> Call(const std::string& token) { return Ctx(token); }
};

TEST_F(IndicatorsIntegrationTest, AGeneratedCountyFromRegistryToBulletin) {
  constexpr int kEnterprises = 1500;
  std::string out;
  ASSERT_EQ(County(kEnterprises, 9, &out), 0) << out;
  const uplift::county::CountyModel model(XinlePlan(), {kEnterprises, 2023, 2023});
  // Regression: right after --populate the README's import rejected the
  // rows of enterprises whose registry events had not reached
  // uplift-indicators yet. It asks the registry about them now: one import,
  // at once, stores every row (into a directory uplift-county made itself).
  std::string imported;
  ASSERT_EQ(Ctl({"report", "import", county_dir() + "/reports.csv"}, owner_token, &imported), 0)
      << imported.substr(0, 3000);
  EXPECT_NE(imported.find("错误      0"), std::string::npos) << imported;
  // Importing the same file again stores nothing new.
  ASSERT_EQ(Ctl({"report", "import", county_dir() + "/reports.csv"}, owner_token, &out), 0) << out;
  EXPECT_NE(out.find("新增      0"), std::string::npos) << out;

  // The aggregates are the generator's own sums, to the fen.
  int64_t ytd = 0, cur = 0, prev = 0;
  int reporting = 0;
  for (int e = 0; e < kEnterprises; ++e) {
    if (model.Month(e, 2023, 9)) ++reporting;
    for (int m = 1; m <= 9; ++m) {
      auto c = model.Month(e, 2023, m), p = model.Month(e, 2022, m);
      if (c) ytd += c->revenue_fen;
      if (c && p) {
        cur += c->revenue_fen;
        prev += p->revenue_fen;
      }
    }
  }
  iv1::GetAggregatesRequest agg;
  agg.set_period("2023-09");
  agg.set_group_by(iv1::GROUP_BY_CLUSTER);
  iv1::GetAggregatesResponse totals;
  ASSERT_TRUE(indicators().GetAggregates(Call(owner_token).get(), agg, &totals).ok());
  EXPECT_EQ(totals.total().year_to_date().revenue_fen(), ytd);
  EXPECT_EQ(totals.total().reporting(), reporting);
  EXPECT_EQ(totals.total().ytd_growth().current_fen(), cur);
  EXPECT_EQ(totals.total().ytd_growth().previous_fen(), prev);
  bool defined = false;
  EXPECT_EQ(totals.total().ytd_growth().growth_bp(), uplift::indicators::GrowthBasisPoints(cur, prev, &defined));
  EXPECT_GT(totals.total().ytd_growth().new_entrants(), 0);
  ASSERT_EQ(totals.rows_size(), 3);

  // Targets follow the awards the generator made: 4 专精特新 and 1 小巨人 this
  // year; 3 高新 of which one was revoked on 28 September.
  iv1::GetTargetProgressRequest targets;
  targets.set_plan_id("xinle-2023");
  targets.set_period("2023-09");
  iv1::GetTargetProgressResponse progress;
  std::map<std::string, const iv1::CountedTarget*> by_id;
  auto achieved = [&](const std::string& id) { return by_id.count(id) ? by_id[id]->achieved() : -1; };
  // Awards reach the indicator service through the registry's events.
  ASSERT_TRUE(WaitUntil([&] {
    progress.Clear();
    by_id.clear();
    if (!indicators().GetTargetProgress(Call(owner_token).get(), targets, &progress).ok())
      return false;
    for (const auto& t : progress.targets()) by_id[t.target_id()] = &t;
    return achieved("new-specialized-sme") == 4 && achieved("new-high-tech") == 2;
  })) << progress.DebugString();
  EXPECT_EQ(progress.targets_size(), 19);  // every target of the Xinle plan
  EXPECT_EQ(by_id["new-specialized-sme"]->achieved(), 4);
  EXPECT_EQ(by_id["new-specialized-sme"]->credit_codes_size(), 4);
  EXPECT_EQ(by_id["new-little-giant"]->achieved(), 1);
  EXPECT_EQ(by_id["new-high-tech"]->achieved(), 2);
  EXPECT_GT(by_id["new-front-runner"]->candidates(), 0);
  EXPECT_EQ(by_id["cluster-revenue-growth"]->achieved(), totals.total().ytd_growth().growth_bp());

  // The sweep closed September by itself (due 5 October): alerts on
  // uplift:alerts, progress on uplift:events:indicators, shown by tasks.
  std::vector<StreamEvent> alerts;
  ASSERT_TRUE(WaitUntil([&] {
    alerts = ReadStream("uplift:alerts");
    return !alerts.empty();
  })) << IndicatorsLog();
  bool sme_or_growth = false;
  for (const StreamEvent& e : alerts) {
    uplift::indicators::v1::IndicatorAlert a;
    ASSERT_TRUE(e.UnpackTo(&a).ok());
    EXPECT_EQ(a.period(), "2023-09");
    EXPECT_FALSE(a.recipient_unit_ids().empty());
    sme_or_growth = sme_or_growth || a.target_id() == "cluster-revenue-growth" ||
                    a.target_id() == "service-events";
  }
  EXPECT_TRUE(sme_or_growth);
  tv1::GetTaskRequest get_task;
  get_task.set_plan_id("xinle-2023");
  get_task.set_task_id("2.2.1");
  tv1::GetTaskResponse task;
  ASSERT_TRUE(WaitUntil([&] {
    task.Clear();
    if (!tasks().GetTask(Call(owner_token).get(), get_task, &task).ok()) return false;
    for (const auto& p : task.task().progress()) {
      if (p.target().target_id() == "new-specialized-sme") return p.achieved() == 4;
    }
    return false;
  })) << task.DebugString();
  // The notification service delivered the alerts: the plan owner's inbox.
  nv1::ListInboxRequest inbox;
  inbox.set_unit_id("dept-kgx");
  inbox.set_page_size(100);
  nv1::ListInboxResponse notices;
  EXPECT_TRUE(WaitUntil([&] {
    notices.Clear();
    if (!notify().ListInbox(Call(TokenFor("dept-kgx")).get(), inbox, &notices).ok()) return false;
    for (const auto& n : notices.notifications()) {
      if (n.kind() == nv1::KIND_ALERT && n.title().find("2023-09") != std::string::npos)
        return true;
    }
    return false;
  })) << notices.DebugString();
  iv1::ClosePeriodRequest close;
  close.set_plan_id("xinle-2023");
  close.set_period("2023-09");
  iv1::ClosePeriodResponse closed;
  ASSERT_TRUE(indicators().ClosePeriod(Call(owner_token).get(), close, &closed).ok());
  EXPECT_TRUE(closed.already_closed());
  EXPECT_EQ(ReadStream("uplift:alerts").size(), alerts.size()) << "a month closes once";

  // A problem raised in October by the first enterprise's township: the
  // October dispatch counts it, the third quarter's bulletin (to 30
  // September) does not (uplift-indicators asks uplift-tasks with the caller's token).
  const uplift::registry::v1::Enterprise& first = model.enterprises().front().enterprise;
  uplift::tasks::v1::RaiseProblemRequest raise;
  raise.mutable_problem()->set_credit_code(first.credit_code());
  raise.mutable_problem()->set_category("land");
  raise.mutable_problem()->set_title("扩建用地指标不足");
  raise.mutable_problem()->set_description("企业计划扩建二期厂房，缺少用地指标约20亩。");
  uplift::tasks::v1::RaiseProblemResponse raised;
  grpc::Status raised_status = tasks().RaiseProblem(
      Call(keys().Token(av1::ROLE_TOWNSHIP, first.township_id(), "专班")).get(), raise, &raised);
  ASSERT_TRUE(raised_status.ok()) << raised_status.error_message();

  // The bulletin, as a lead department would circulate it.
  ASSERT_EQ(Ctl({"bulletin", "--quarter", "2023-Q3", "--format", "md", "-o", dir().File("b.md")},
                owner_token, &out), 0) << out;
  const std::string md = ReadTextFile(dir().File("b.md"));
  for (const char* part : {"# 2023年第三季度县域特色产业集群工作通报", "## 二、分集群情况",
                           "装备制造产业集群", "## 五、乡镇排名", "承安镇", "## 六、亩均效益评价",
                           "## 八、问题办理情况", "截至2023-09-30日终，累计受理企业问题0个",
                           "## 十、落后通报", "培育“专精特新”中小企业6家"}) {
    EXPECT_NE(md.find(part), std::string::npos) << part << "\n" << md.substr(0, 3000);
  }
  ASSERT_EQ(Ctl({"bulletin", "--quarter", "2023-Q3", "--format", "csv", "-o", dir().File("b.csv")},
                owner_token, &out), 0) << out;
  EXPECT_EQ(ReadTextFile(dir().File("b.csv")).rfind("\xEF\xBB\xBF", 0), 0u);
  ASSERT_EQ(Ctl({"bulletin", "--quarter", "2023-Q3", "--format", "xlsx", "-o", dir().File("b.xlsx")},
                owner_token, &out), 0) << out;
  EXPECT_EQ(ReadTextFile(dir().File("b.xlsx")).substr(0, 2), "PK");
  // 重点项目: the generator entered the county's projects in uplift-tasks
  // (37 for 1,500 enterprises) with their months to September; they reach
  // uplift-indicators on uplift:events:projects.
  const size_t projects = uplift::county::GenerateProjects(model, 2023).size();
  const std::string ledger = absl::StrCat("项目台账共有2023年项目", projects, "个");
  EXPECT_TRUE(WaitUntil([&] {
    return Ctl({"dispatch", "--period", "2023-09"}, owner_token, &out) == 0 &&
           out.find(ledger) != std::string::npos;
  })) << ledger
      << "\n"
      << out;
  for (const char* part : {"# 2023年9月县域特色产业集群工作调度", "## 七、重点项目",
                           "重点项目（按阶段）", "重点项目（按集群）", "重点项目（按乡镇）",
                           "进度滞后的项目", "下月（10月）计划节点", "亮红灯的重点项目"}) {
    EXPECT_NE(out.find(part), std::string::npos) << part << "\n" << out;
  }
  ASSERT_EQ(Ctl({"dispatch", "--period", "2023-10"}, owner_token, &out), 0) << out;
  for (const char* part :
       {"## 六、问题办理情况", "累计受理企业问题1个", "扩建用地指标不足", "## 八、落后通报"}) {
    EXPECT_NE(out.find(part), std::string::npos) << part << "\n" << out;
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"summary", "--period", "2023-09", "--by", "township"},
        {"targets", "--period", "2023-09"},
        {"ranking", "--quarter", "2023-Q3"},
        {"efficiency", "--period", "2023-09", "--grade", "A"}}) {
    ASSERT_EQ(Ctl(args, owner_token, &out), 0) << args[0] << ": " << out;
  }

  // kill -9, start again: the same figures from disk.
  KillIndicators();
  StartIndicators();
  iv1::GetAggregatesResponse again;
  ASSERT_TRUE(indicators().GetAggregates(Call(owner_token).get(), agg, &again).ok());
  EXPECT_EQ(again.total().SerializeAsString(), totals.total().SerializeAsString());
}

TEST_F(IndicatorsIntegrationTest, BadInputOverTheWireChangesNothing) {
  ASSERT_TRUE(ImportEnterprises(2, "town-chengan"));
  auto submit = [&](const std::string& token, int64_t revenue, const std::string& period) {
    iv1::SubmitReportRequest req;
    req.mutable_report()->set_credit_code(TestCreditCode(0));
    req.mutable_report()->set_period(period);
    req.mutable_report()->mutable_figures()->set_revenue_fen(revenue);
    iv1::SubmitReportResponse resp;
    return indicators().SubmitReport(Call(token).get(), req, &resp);
  };
  const std::string chengan = keys().Token(av1::ROLE_TOWNSHIP, "town-chengan", "承安镇专班");
  const std::string hantai = keys().Token(av1::ROLE_TOWNSHIP, "town-hantai", "邯邰镇专班");
  // The enterprise reaches the indicator service through the registry's events.
  ASSERT_TRUE(WaitUntil([&] { return submit(chengan, 100, "2023-09").ok(); }));
  grpc::Status s = submit(hantai, 200, "2023-09");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("report.credit_code"), std::string::npos) << s.error_message();
  s = submit(chengan, -1, "2023-09");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("report.figures.revenue_fen"), std::string::npos);
  s = submit(chengan, 100, "2023-11");  // the services' clock says October 2023
  EXPECT_NE(s.error_message().find("report.period"), std::string::npos);
  s = submit("not-a-token", 100, "2023-09");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  iv1::GetReportRequest get;
  get.set_credit_code(TestCreditCode(0));
  get.set_period("2023-09");
  iv1::GetReportResponse report;
  ASSERT_TRUE(indicators().GetReport(Call(chengan).get(), get, &report).ok());
  EXPECT_EQ(report.report().figures().revenue_fen(), 100);

  // A file with bad rows: good rows kept, each bad one listed, exit status 1.
  std::ofstream(dir().File("bad.csv")) << "统一社会信用代码,月份,营业收入(元),税收(元)\n"
                                       << TestCreditCode(1) << ",2023-08,1000.50,10\n"
                                       << TestCreditCode(1) << ",2023-13,1000,10\n"
                                       << TestCreditCode(1) << ",2023-07,一千,10\n"
                                       << TestCreditCode(7) << ",2023-07,1000,10\n";
  std::string out;
  EXPECT_EQ(Ctl({"report", "import", dir().File("bad.csv")}, owner_token, &out), 1) << out;
  EXPECT_NE(out.find("新增      1"), std::string::npos) << out;
  EXPECT_NE(out.find("错误      3"), std::string::npos) << out;
  for (const char* line : {"\n3 ", "\n4 ", "\n5 "}) EXPECT_NE(out.find(line), std::string::npos) << line << out;
  get.set_credit_code(TestCreditCode(1));
  get.set_period("2023-08");
  ASSERT_TRUE(indicators().GetReport(Call(owner_token).get(), get, &report).ok());
  EXPECT_EQ(report.report().figures().revenue_fen(), 100050);
}

// 服务活动台账 over the running suite through upliftctl: the plan owner
// records a 科技巡诊 for one of two 领跑者; the township recording the same
// event is refused with the organiser named; the coverage target counts
// it once and names the 领跑者 not yet covered.
TEST_F(IndicatorsIntegrationTest, AnActivityIsRecordedOnceAndCoverageNamesWhoIsNotCovered) {
  const rv1::Enterprise first = CreateEnterprise(801, "town-chengan");
  const rv1::Enterprise second = CreateEnterprise(802, "town-chengan");
  std::string out;
  for (const rv1::Enterprise& e : {first, second}) {
    ASSERT_EQ(Ctl({"tier", "award", e.credit_code(), "--tier", "领跑者", "--level", "县级",
                   "--date", "2023-03-01", "--evidence", "新政办〔2023〕12号"},
                  admin_token, &out),
              0)
        << out;
  }
  const std::vector<std::string> record = {
      "activity", "record",           "--date",  "2023-05-01",
      "--kind",   "科技巡诊",         "--title", "装备制造集群科技巡诊",
      "--code",   first.credit_code()};
  // Once the registry's events have reached uplift-indicators.
  ASSERT_TRUE(WaitUntil([&] { return Ctl(record, owner_token, &out) == 0; })) << out;
  EXPECT_NE(out.find("市科学技术和工业信息化局"), std::string::npos) << out;
  const std::string town = keys().Token(av1::ROLE_TOWNSHIP, "town-chengan", "承安镇专班");
  EXPECT_EQ(Ctl(record, town, &out), 1);
  EXPECT_NE(out.find("recorded once, by its organiser"), std::string::npos) << out;
  EXPECT_NE(out.find("市科学技术和工业信息化局"), std::string::npos) << out;
  ASSERT_EQ(Ctl({"activity", "list", "--year", "2023"}, town, &out), 0) << out;
  EXPECT_NE(out.find("装备制造集群科技巡诊"), std::string::npos) << out;
  ASSERT_TRUE(WaitUntil([&] {
    return Ctl({"activity", "uncovered", "tech-diagnosis-coverage", "--period", "2023-09"},
               owner_token, &out) == 0 &&
           out.find("已覆盖1家，共2家，未覆盖1家") != std::string::npos;
  })) << out;
  EXPECT_NE(out.find(second.name()), std::string::npos) << out;
  EXPECT_EQ(out.find(first.name()), std::string::npos) << out;
}

TEST_F(IndicatorsIntegrationTest, FiguresUnitsReportWithTheirProgressCount) {
  tv1::ReportProgressRequest req;
  tv1::ProgressReport* r = req.mutable_report();
  r->set_plan_id("xinle-2023");
  r->set_task_id("2.4.1");
  r->set_unit_id("dept-scj");
  r->set_period("2023-09");
  r->set_text("助力2家企业加强全面质量管理");
  auto* f = r->add_figures();
  f->set_target_id("tqm-strengthened");
  f->set_value(2);
  tv1::ReportProgressResponse resp;
  ASSERT_TRUE(tasks().ReportProgress(Call(keys().Token(av1::ROLE_DEPARTMENT, "dept-scj")).get(), req, &resp).ok());
  iv1::GetTargetProgressRequest targets;
  targets.set_plan_id("xinle-2023");
  targets.set_period("2023-09");
  EXPECT_TRUE(WaitUntil([&] {
    iv1::GetTargetProgressResponse progress;
    if (!indicators().GetTargetProgress(Call(owner_token).get(), targets, &progress).ok())
      return false;
    for (const auto& t : progress.targets()) {
      if (t.target_id() == "tqm-strengthened") return t.achieved() == 2;
    }
    return false;
  })) << IndicatorsLog();
}

}  // namespace
}  // namespace uplift::testing

// The tasks service with a real registry, a real redis-server and real
// processes: the plan applied by upliftctl, problems climbing every rung by
// hand and by deadline, each escalation exactly once on the stream, no
// escalation lost when the service dies between the change and the publish,
// reminders, and target progress consumed from the indicator stream.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "common/ids.h"
#include "common/redis_client.h"
#include "common/time_util.h"
#include "tests/support/suite_fixture.h"
#include "uplift/indicators/v1/indicator_events.pb.h"
#include "uplift/registry/v1/registry_events.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::testing {
namespace {

namespace av1 = uplift::auth::v1;

class TasksIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int code = 0;
    const std::string out = f_.ApplyXinlePlan(&code);
    ASSERT_EQ(code, 0) << out << f_.TasksLog();
    // An equipment enterprise in 承安镇.
    rv1::CreateEnterpriseRequest req;
    req.mutable_enterprise()->set_credit_code(TestCreditCode(1));
    req.mutable_enterprise()->set_name("新乐市华信机械制造有限公司");
    req.mutable_enterprise()->set_cluster_id("equipment");
    req.mutable_enterprise()->set_township_id("town-chengan");
    rv1::CreateEnterpriseResponse resp;
    ASSERT_TRUE(f_.stub().CreateEnterprise(f_.Ctx(f_.admin_token).get(), req, &resp).ok());
    town_ = f_.keys().Token(av1::ROLE_TOWNSHIP, "town-chengan", "承安镇工作专班");
  }

  tv1::Problem Raise(const std::string& category) {
    tv1::RaiseProblemRequest req;
    req.set_plan_id("xinle-2023");
    req.mutable_problem()->set_credit_code(TestCreditCode(1));
    req.mutable_problem()->set_category(category);
    req.mutable_problem()->set_title("二期厂房用地指标不足");
    req.mutable_problem()->set_description("企业计划扩建二期厂房，缺少建设用地指标约20亩。");
    tv1::RaiseProblemResponse resp;
    grpc::Status s = f_.tasks().RaiseProblem(f_.Ctx(town_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.problem();
  }

  grpc::Status Escalate(const std::string& token, const std::string& id, const std::string& reason) {
    tv1::EscalateProblemRequest req;
    req.set_problem_id(id);
    req.set_reason(reason);
    tv1::EscalateProblemResponse resp;
    return f_.tasks().EscalateProblem(f_.Ctx(token).get(), req, &resp);
  }

  // The escalation messages on uplift:escalations, by event_id (duplicates
  // on the wire would show as a count above 1).
  std::vector<tv1::ProblemEscalated> Escalations(size_t at_least, std::map<std::string, int>* seen = nullptr) {
    std::vector<StreamEvent> events = f_.WaitForEvents("uplift:escalations", at_least);
    std::vector<tv1::ProblemEscalated> out;
    for (const StreamEvent& e : events) {
      if (seen != nullptr) ++(*seen)[e.event_id];
      tv1::ProblemEscalated m;
      EXPECT_TRUE(e.UnpackTo(&m).ok());
      EXPECT_EQ(e.source, "uplift-tasks");
      EXPECT_EQ(e.subject, "problem/" + m.problem_id());
      out.push_back(m);
    }
    return out;
  }

  // `upliftctl ARGS...` as `token`; its exit code, its output in `out`.
  int Ctl(const std::string& token, const std::vector<std::string>& args, std::string* out) {
    std::vector<std::string> all = {"--tasks-addr", f_.tasks_address(), "--registry-addr",
                                    f_.address(),   "--token",          token};
    all.insert(all.end(), args.begin(), args.end());
    return RunCommand(UPLIFT_CTL_BIN, all, out);
  }
  // `upliftctl problem ARGS...`.
  int Problem(const std::string& token, std::vector<std::string> args, std::string* out) {
    args.insert(args.begin(), "problem");
    return Ctl(token, args, out);
  }

  SuiteFixture f_;
  std::string town_;
};

TEST_F(TasksIntegrationTest, ThePlanLoadsWholeOnAFreshSuiteAndAgainChangesNothing) {
  rv1::ListUnitsRequest units;
  units.set_page_size(100);
  rv1::ListUnitsResponse listed;
  ASSERT_TRUE(f_.stub().ListUnits(f_.Ctx(f_.admin_token).get(), units, &listed).ok());
  EXPECT_EQ(listed.units_size(), 26);
  rv1::GetClusterRequest cluster;
  cluster.set_cluster_id("equipment");
  rv1::GetClusterResponse got;
  ASSERT_TRUE(f_.stub().GetCluster(f_.Ctx(f_.admin_token).get(), cluster, &got).ok());
  EXPECT_EQ(got.cluster().liaison_leader_unit_id(), "leader-equipment");
  tv1::ListTasksRequest tasks;
  tasks.set_plan_id("xinle-2023");
  tv1::ListTasksResponse all;
  ASSERT_TRUE(f_.tasks().ListTasks(f_.Ctx(f_.admin_token).get(), tasks, &all).ok());
  EXPECT_EQ(all.tasks_size(), 25);

  const size_t registry_events = f_.ReadStream("uplift:events:registry").size();
  const size_t task_events = f_.WaitForEvents("uplift:events:tasks", 1).size();
  int code = 0;
  const std::string out = f_.ApplyXinlePlan(&code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("unchanged"), std::string::npos) << out;
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(f_.ReadStream("uplift:events:registry").size(), registry_events);
  EXPECT_EQ(f_.ReadStream("uplift:events:tasks").size(), task_events);
}

// The plan file as shipped before issue 13: 南大岳镇 written 大岳镇, and
// without the two coverage targets of 二(二)3 and 二(五)3.
std::string EarlierXinlePlan() {
  std::ifstream in(std::string(UPLIFT_SOURCE_DIR) + "/plans/xinle-2023.textproto");
  std::stringstream text;
  text << in.rdbuf();
  std::string plan = text.str();
  const size_t name = plan.find("\"南大岳镇\"");
  if (name != std::string::npos)
    plan.replace(name, std::string("\"南大岳镇\"").size(), "\"大岳镇\"");
  for (const std::string target : {"key-cluster-coverage", "financial-service-coverage"}) {
    const size_t id = plan.find("target_id: \"" + target + "\"");
    if (id == std::string::npos) continue;
    const size_t begin = plan.rfind("  targets {", id);
    const size_t end = plan.find("  }\n", id) + 4;
    plan.erase(begin, end - begin);
  }
  return plan;
}

TEST_F(TasksIntegrationTest, ApplyingTheFileAgainOnAnEarlierVersionRenamesAndAddsTargets) {
  std::ofstream(f_.dir().File("earlier.textproto")) << EarlierXinlePlan();
  auto apply = [&](const std::string& file) {
    std::string out;
    EXPECT_EQ(RunCommand(UPLIFT_CTL_BIN,
                         {"--registry-addr", f_.address(), "--tasks-addr", f_.tasks_address(),
                          "--token", f_.owner_token, "plan", "apply", file},
                         &out),
              0)
        << out;
    return out;
  };
  auto township = [&] {
    rv1::GetUnitRequest req;
    req.set_unit_id("town-dayue");
    rv1::GetUnitResponse resp;
    EXPECT_TRUE(f_.stub().GetUnit(f_.Ctx(f_.admin_token).get(), req, &resp).ok());
    return resp.unit().name();
  };
  auto targets = [&](const std::string& task_id) {
    tv1::GetTaskRequest req;
    req.set_plan_id("xinle-2023");
    req.set_task_id(task_id);
    tv1::GetTaskResponse resp;
    EXPECT_TRUE(f_.tasks().GetTask(f_.Ctx(f_.admin_token).get(), req, &resp).ok());
    std::vector<std::string> ids;
    for (const tv1::Target& t : resp.task().task().targets()) ids.push_back(t.target_id());
    return ids;
  };
  apply(f_.dir().File("earlier.textproto"));
  ASSERT_EQ(township(), "大岳镇");
  ASSERT_EQ(targets("2.5.3"), std::vector<std::string>{});

  const std::string out = apply(std::string(UPLIFT_SOURCE_DIR) + "/plans/xinle-2023.textproto");
  EXPECT_NE(out.find("1 updated"), std::string::npos) << out;
  EXPECT_EQ(township(), "南大岳镇");
  EXPECT_EQ(targets("2.2.3"),
            (std::vector<std::string>{"new-tech-leader", "new-high-tech", "tech-diagnosis-coverage",
                                      "key-cluster-coverage"}));
  EXPECT_EQ(targets("2.5.3"), std::vector<std::string>{"financial-service-coverage"});
}

TEST_F(TasksIntegrationTest, AMalformedPlanFileIsRefusedWithItsLine) {
  std::ifstream in(std::string(UPLIFT_SOURCE_DIR) + "/plans/xinle-2023.textproto");
  std::stringstream text;
  text << in.rdbuf();
  std::string broken = text.str();
  const std::string needle = "  responsible_unit_ids: \"dept-nyj\"";
  const size_t at = broken.find(needle);  // first: task 2.1.4
  ASSERT_NE(at, std::string::npos);
  const int line = static_cast<int>(std::count(broken.begin(), broken.begin() + at, '\n')) + 1;
  broken.replace(at, needle.size(), "  responsible_unit_ids: \"dept-nowhere\"");
  broken.replace(broken.find("plan_id: \"xinle-2023\""), 21, "plan_id: \"broken-2023\"");
  std::ofstream(f_.dir().File("broken.textproto")) << broken;
  std::string out;
  EXPECT_EQ(RunCommand(UPLIFT_CTL_BIN, {"--tasks-addr", f_.tasks_address(), "--token", f_.owner_token,
                                        "plan", "apply", f_.dir().File("broken.textproto")},
                       &out),
            1);
  EXPECT_NE(out.find("broken.textproto:" + std::to_string(line) + ": plan.tasks[4].responsible_unit_ids[2]"),
            std::string::npos)
      << "line " << line << ": " << out;
  tv1::GetPlanRequest get;
  get.set_plan_id("broken-2023");
  tv1::GetPlanResponse plan;
  EXPECT_EQ(f_.tasks().GetPlan(f_.Ctx(f_.admin_token).get(), get, &plan).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(TasksIntegrationTest, AProblemClimbsEveryRungByHandOneMessageEach) {
  const tv1::Problem p = Raise("land");
  EXPECT_EQ(p.owner_unit_id(), "town-chengan");
  const std::string land = f_.keys().Token(av1::ROLE_DEPARTMENT, "dept-zrj", "自然资源和规划局");
  const std::string leader = f_.keys().Token(av1::ROLE_LEADER, "leader-equipment", "包联市领导");
  const std::string province = f_.keys().Token(av1::ROLE_PROVINCE, "prov-support", "省市部门");
  ASSERT_TRUE(Escalate(town_, p.problem_id(), "乡镇无指标调剂权限").ok());
  EXPECT_EQ(Escalate(town_, p.problem_id(), "again").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Escalate(land, p.problem_id(), "需全市统筹").ok());
  ASSERT_TRUE(Escalate(leader, p.problem_id(), "需省级追加指标").ok());
  EXPECT_EQ(Escalate(province, p.problem_id(), "beyond").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  std::map<std::string, int> seen;
  std::vector<tv1::ProblemEscalated> esc = Escalations(3, &seen);
  ASSERT_EQ(esc.size(), 3u);
  EXPECT_EQ(esc[0].new_owner_unit_id(), "dept-zrj");
  EXPECT_EQ(esc[1].new_owner_unit_id(), "leader-equipment");
  EXPECT_EQ(esc[2].new_owner_unit_id(), "prov-support");
  EXPECT_EQ(esc[2].to_rung(), tv1::RUNG_PROVINCE_PREFECTURE);
  EXPECT_EQ(esc[1].reason(), "需全市统筹");
  EXPECT_EQ(esc[0].escalation_number(), 1);
  EXPECT_FALSE(esc[0].automatic());
  EXPECT_TRUE(esc[0].has_deadline());
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << id;
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(f_.ReadStream("uplift:escalations").size(), 3u) << "nothing published twice";

  // The timeline, readable in the CLI.
  std::string out;
  ASSERT_EQ(RunCommand(UPLIFT_CTL_BIN, {"--tasks-addr", f_.tasks_address(), "--token", f_.owner_token,
                                        "problem", "show", p.problem_id()},
                       &out),
            0)
      << out;
  for (const char* expected : {"办理经过", "提出", "上报", "包联市领导", "prov-support", "需省级追加指标"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
  // Counted (问题办理情况): one problem, escalated, open, with the province.
  ASSERT_EQ(Ctl(town_, {"--json", "problem", "stats"}, &out), 0) << out;
  for (const char* expected :
       {"\"total\": 1", "\"escalated\": 1", "\"open\": 1", "\"unit_id\": \"dept-zrj\"",
        "\"unit_id\": \"town-chengan\"", "\"rung\": \"RUNG_PROVINCE_PREFECTURE\""}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
  ASSERT_EQ(Problem(town_, {"stats"}, &out), 0) << out;
  for (const char* expected :
       {"按乡镇", "全县", "按部门", "办理时间最长的未办结问题", "省、市部门"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
  EXPECT_NE(Problem(town_, {"stats", "--until", "2999-01-01"}, &out), 0);
  EXPECT_NE(out.find("until"), std::string::npos) << out;
}

// No ping-pong, and 提级, through upliftctl against the real processes:
// the second return between the township and the department goes to the
// plan owner, who rules; the ruled department cannot return it again; the
// plan owner then sends it straight to the provincial offices, which are
// reached by an escalation message like any climb.
TEST_F(TasksIntegrationTest, TheSecondReturnIsRuledOnAndThePlanOwnerSkipsRungs) {
  const tv1::Problem p = Raise("land");
  const std::string land = f_.keys().Token(av1::ROLE_DEPARTMENT, "dept-zrj", "自然资源和规划局");
  std::string out;
  for (int round = 0; round < 2; ++round) {
    ASSERT_EQ(Problem(town_, {"escalate", p.problem_id(), "--reason", "需部门调剂指标"}, &out), 0)
        << out;
    ASSERT_EQ(Problem(land, {"return", p.problem_id(), "--reason", "属乡镇职责"}, &out), 0) << out;
  }
  EXPECT_NE(out.find("待裁定"), std::string::npos) << out;
  EXPECT_EQ(Problem(land, {"rule", p.problem_id(), "--rung", "市直部门", "--reason", "x"}, &out), 1)
      << "a department may not rule: " << out;
  ASSERT_EQ(Problem(f_.owner_token,
                    {"rule", p.problem_id(), "--rung", "市直部门", "--reason",
                     "用地指标由自然资源和规划局统筹"},
                    &out),
            0)
      << out;
  EXPECT_NE(out.find("自然资源和规划局"), std::string::npos) << out;
  EXPECT_EQ(Problem(land, {"return", p.problem_id(), "--reason", "仍属乡镇职责"}, &out), 1) << out;
  EXPECT_NE(out.find("FAILED_PRECONDITION"), std::string::npos) << out;

  EXPECT_EQ(
      Problem(land, {"escalate", p.problem_id(), "--reason", "x", "--to", "省、市部门"}, &out), 1)
      << "提级 is the plan owner's: " << out;
  ASSERT_EQ(
      Problem(f_.owner_token,
              {"escalate", p.problem_id(), "--reason", "需省级追加用地指标", "--to", "省、市部门"},
              &out),
      0)
      << out;
  std::vector<tv1::ProblemEscalated> esc = Escalations(3);
  ASSERT_EQ(esc.size(), 3u) << "two escalations by the township, one 提级";
  EXPECT_EQ(esc[2].from_rung(), tv1::RUNG_DEPARTMENT);
  EXPECT_EQ(esc[2].to_rung(), tv1::RUNG_PROVINCE_PREFECTURE);
  EXPECT_EQ(esc[2].new_owner_unit_id(), "prov-support");

  ASSERT_EQ(Problem(f_.owner_token, {"show", p.problem_id()}, &out), 0) << out;
  for (const char* expected : {"再次退回，提请裁定", "裁定", "提级", "需省级追加用地指标"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
}

// 延期 through upliftctl: the township asks, the land department (the rung
// above, for 用地 in the Xinle plan) approves; the plan owner may not.
TEST_F(TasksIntegrationTest, AnExtensionAskedByTheTownshipIsApprovedByTheRungAbove) {
  const tv1::Problem p = Raise("land");
  const std::string land = f_.keys().Token(av1::ROLE_DEPARTMENT, "dept-zrj", "自然资源和规划局");
  const absl::CivilDay last =
      absl::ToCivilDay(absl::FromUnixSeconds(p.deadline().seconds()), ShanghaiTime());
  const std::string until = FormatDate(last + 14);
  std::string out;
  EXPECT_EQ(
      Problem(town_, {"extend", p.problem_id(), "--until", FormatDate(last - 1), "--reason", "x"},
              &out),
      1);
  EXPECT_NE(out.find("due_on:"), std::string::npos) << out;
  ASSERT_EQ(
      Problem(town_, {"extend", p.problem_id(), "--until", until, "--reason", "需等待规划调整公示"},
              &out),
      0)
      << out;
  EXPECT_EQ(Problem(f_.owner_token, {"decide-extension", p.problem_id(), "--approve"}, &out), 1)
      << out;
  ASSERT_EQ(Problem(land, {"decide-extension", p.problem_id(), "--approve"}, &out), 0) << out;
  tv1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  tv1::GetProblemResponse got;
  ASSERT_TRUE(f_.tasks().GetProblem(f_.Ctx(f_.owner_token).get(), get, &got).ok());
  EXPECT_EQ(FormatDate(absl::ToCivilDay(absl::FromUnixSeconds(got.problem().deadline().seconds()),
                                        ShanghaiTime()) -
                       1),
            until);
  ASSERT_EQ(Problem(f_.owner_token, {"show", p.problem_id()}, &out), 0) << out;
  for (const char* expected : {"申请延期", "延期获批", "需等待规划调整公示"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
}

// 会商 through upliftctl on the running suite: the plan owner asks two
// departments to co-handle a problem at the land department's rung (a unit
// that is no department is refused naming it), both are asked through
// uplift:requests, one answers, and the problem shows who answered what.
TEST_F(TasksIntegrationTest, ThePlanOwnerAsksDepartmentsToCoHandleAndTheirAnswersShow) {
  const tv1::Problem p = Raise("land");
  std::string out;
  ASSERT_EQ(Problem(town_, {"escalate", p.problem_id(), "--reason", "需部门协调"}, &out), 0) << out;
  EXPECT_EQ(Problem(f_.owner_token,
                    {"co-handle", p.problem_id(), "--unit", "dept-fgj", "--unit", "town-dayue",
                     "--reason", "请提出意见"},
                    &out),
            1);
  EXPECT_NE(out.find("co_handlers[1].unit_id:"), std::string::npos) << out;
  const std::string fgj = f_.keys().Token(av1::ROLE_DEPARTMENT, "dept-fgj", "发改局经办人");
  EXPECT_EQ(Problem(fgj, {"show", p.problem_id()}, &out), 1) << "not yet its problem\n" << out;
  ASSERT_EQ(Problem(f_.owner_token,
                    {"co-handle", p.problem_id(), "--unit", "dept-fgj", "--unit", "dept-jrj",
                     "--reason", "请就项目立项和贷款贴息提出意见"},
                    &out),
            0)
      << out;
  std::vector<StreamEvent> requests = f_.WaitForEvents("uplift:requests", 2);
  std::set<std::string> asked;
  for (const StreamEvent& e : requests) {
    tv1::ActionRequested r;
    ASSERT_TRUE(e.UnpackTo(&r).ok());
    EXPECT_EQ(r.action(), tv1::ActionRequested::ACTION_CO_HANDLE);
    asked.insert(r.unit_id());
  }
  EXPECT_EQ(asked, (std::set<std::string>{"dept-fgj", "dept-jrj"}));
  ASSERT_EQ(Problem(fgj, {"answer-co-handling", p.problem_id(), "--answer", "项目已列入重点项目库"},
                    &out),
            0)
      << out;
  ASSERT_EQ(Problem(fgj, {"list"}, &out), 0) << out;
  EXPECT_NE(out.find(p.problem_id()), std::string::npos) << "a co-handler lists it\n" << out;
  ASSERT_EQ(Problem(f_.owner_token, {"show", p.problem_id()}, &out), 0) << out;
  for (const char* expected : {"会商协办", "市发展改革局", "已反馈", "项目已列入重点项目库",
                               "市地方金融监管局", "待反馈", "会商意见"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
}

// 项目台账 through upliftctl on the running suite: the development and
// reform bureau enters a project, the township advances it and reports a
// month; a phase backward, a completed investment above the total and a
// report by another township are refused naming the field; the changes
// arrive on uplift:events:projects; a problem raised on the project is
// listed by it.
TEST_F(TasksIntegrationTest, AProjectIsEnteredAdvancedAndReportedThroughUpliftctl) {
  const std::string fgj = f_.keys().Token(av1::ROLE_DEPARTMENT, "dept-fgj", "发改局经办人");
  std::string out;
  ASSERT_EQ(Ctl(fgj, {"--json",
                      "project",
                      "create",
                      "--name",
                      "二期智能装备生产线项目",
                      "--code",
                      TestCreditCode(1),
                      "--cluster",
                      "equipment",
                      "--township",
                      "town-chengan",
                      "--department",
                      "dept-fgj",
                      "--kind",
                      "扩建",
                      "--source",
                      "本地企业扩产",
                      "--total",
                      "20000",
                      "--planned",
                      "6000",
                      "--number",
                      "XL-2023-007",
                      "--milestone",
                      "开工:2023-05-15"},
                &out),
            0)
      << out;
  const std::string id = out.substr(out.find("pj-"), 15);
  EXPECT_EQ(Ctl(town_, {"project", "advance", id, "--to", "在建", "--on", "2023-05-18"}, &out), 0)
      << out;
  EXPECT_EQ(Ctl(town_, {"project", "advance", id, "--to", "签约"}, &out), 1);
  EXPECT_NE(out.find("phase:"), std::string::npos) << out;
  const std::string huapi = f_.keys().Token(av1::ROLE_TOWNSHIP, "town-huapi", "化皮镇专班");
  const std::vector<std::string> report = {"project",  "report",       id,
                                           "--period", "2023-05",      "--image",
                                           "厂房封顶", "--investment", "2600"};
  EXPECT_EQ(Ctl(huapi, report, &out), 1) << "another township's project\n" << out;
  ASSERT_EQ(Ctl(town_, report, &out), 0) << out;
  EXPECT_NE(out.find("年度累计2600.00万元"), std::string::npos) << out;
  std::vector<std::string> above = report;
  above[4] = "2023-06";
  above[8] = "18000";
  EXPECT_EQ(Ctl(town_, above, &out), 1);
  EXPECT_NE(out.find("progress.investment_fen:"), std::string::npos) << out;

  ASSERT_EQ(Ctl(f_.owner_token, {"project", "show", id}, &out), 0) << out;
  for (const char* expected : {"二期智能装备生产线项目", "新乐市华信机械制造有限公司", "在建",
                               "2.00亿元", "开工", "2023-05-18", "厂房封顶", "2600.00"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
  ASSERT_EQ(Ctl(f_.owner_token, {"project", "list", "--township", "town-chengan"}, &out), 0);
  EXPECT_NE(out.find(id), std::string::npos) << out;

  std::vector<StreamEvent> events = f_.WaitForEvents("uplift:events:projects", 3);
  ASSERT_EQ(events.size(), 3u);
  tv1::ProjectProgressReported reported;
  ASSERT_TRUE(events[2].UnpackTo(&reported).ok()) << events[2].type;
  EXPECT_EQ(reported.project().year_completed_investment_fen(), 2600 * 1000000LL);

  tv1::RaiseProblemRequest raise;
  raise.mutable_problem()->set_credit_code(TestCreditCode(1));
  raise.mutable_problem()->set_category("land");
  raise.mutable_problem()->set_title("二期项目用地未落实");
  raise.mutable_problem()->set_description("项目用地组卷报批未完成。");
  raise.mutable_problem()->set_project_id(id);
  tv1::RaiseProblemResponse raised;
  ASSERT_TRUE(f_.tasks().RaiseProblem(f_.Ctx(town_).get(), raise, &raised).ok());
  tv1::ListProblemsRequest of_project;
  of_project.set_project_id(id);
  tv1::ListProblemsResponse listed;
  ASSERT_TRUE(f_.tasks().ListProblems(f_.Ctx(f_.owner_token).get(), of_project, &listed).ok());
  ASSERT_EQ(listed.problems_size(), 1);
  EXPECT_EQ(listed.problems(0).problem_id(), raised.problem().problem_id());

  // A county's ledger from a spreadsheet: Chinese columns, places by name;
  // a township not in the plan and a 开工 in the future are errors of their
  // lines, the good row is entered, and a second import enters nothing.
  std::ofstream(f_.dir().File("ledger.csv"))
      << "项目编号,项目名称,投资主体,所属集群,所在乡镇,责任部门,建设性质,项目来源,总投资(万元),"
         "年度计划投资(万元),项目阶段,计划开工,实际开工\n"
         "XL-2023-101,食品冷链物流中心项目,新乐冷链物流有限公司,食品加工产业集群,化皮镇,"
         "市发展改革局,新建,京津冀转移,32000,9000,前期,2023-07-15,\n"
         "XL-2023-102,中药饮片生产线项目,新乐药业,生物医药产业集群,无名镇,市发展改革局,技改,"
         "本地企业扩产,5000,2000,在建,,\n"
         "XL-2023-103,精密铸造扩建项目,新乐铸造,装备制造产业集群,承安镇,市发展改革局,扩建,"
         "本地企业扩产,8000,3000,在建,2023-05-01,2023-06-20\n";
  const std::vector<std::string> import = {"project", "import", f_.dir().File("ledger.csv")};
  EXPECT_EQ(Ctl(f_.owner_token, import, &out), 1) << out;
  for (const char* expected :
       {"新增      1", "错误      2", "无名镇", "XL-2023-103", "project.milestones[0].actual_on"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
  EXPECT_EQ(Ctl(f_.owner_token, import, &out), 1) << out;
  EXPECT_NE(out.find("已存在    1"), std::string::npos) << out;
  ASSERT_EQ(Ctl(f_.owner_token, {"project", "list", "--township", "town-huapi"}, &out), 0) << out;
  EXPECT_NE(out.find("食品冷链物流中心项目"), std::string::npos) << out;
}

// 新建投产入统 across processes: the registry consumes uplift:events:projects;
// the project reaching 投产 puts its below-size enterprise in the above-size
// cultivation pool, and the 入统 milestone makes it above size from that day
// (the AboveSizeReached that uplift-indicators counts toward 升规入统).
TEST_F(TasksIntegrationTest, AProjectInProductionBringsItsEnterpriseIntoTheAboveSizeStep) {
  const std::string fgj = f_.keys().Token(av1::ROLE_DEPARTMENT, "dept-fgj", "发改局经办人");
  std::string out;
  ASSERT_EQ(
      Ctl(fgj, {"--json",       "project",         "create",    "--name",    "精密齿轮新建项目",
                "--code",       TestCreditCode(1), "--cluster", "equipment", "--township",
                "town-chengan", "--department",    "dept-fgj",  "--kind",    "新建",
                "--source",     "招商引资",        "--total",   "8000",      "--planned",
                "3000"},
          &out),
      0)
      << out;
  const std::string id = out.substr(out.find("pj-"), 15);
  ASSERT_EQ(Ctl(town_, {"project", "advance", id, "--to", "投产", "--on", "2023-05-20"}, &out), 0)
      << out;
  rv1::GetEnterpriseRequest get;
  get.set_credit_code(TestCreditCode(1));
  rv1::GetEnterpriseResponse e;
  auto enterprise = [&] {
    return f_.stub().GetEnterprise(f_.Ctx(f_.admin_token).get(), get, &e).ok();
  };
  ASSERT_TRUE(WaitUntil([&] { return enterprise() && e.enterprise().in_above_size_pool(); },
                        absl::Seconds(30)))
      << e.DebugString();
  EXPECT_EQ(e.enterprise().above_size_pool_since(), "2023-05-20");
  rv1::ListPoolHistoryRequest of;
  of.set_credit_code(TestCreditCode(1));
  rv1::ListPoolHistoryResponse history;
  ASSERT_TRUE(f_.stub().ListPoolHistory(f_.Ctx(f_.admin_token).get(), of, &history).ok());
  ASSERT_EQ(history.entries_size(), 1);
  EXPECT_EQ(history.entries(0).note(), "新建投产入统：精密齿轮新建项目 投产");

  ASSERT_EQ(
      Ctl(town_, {"project", "milestone", id, "--kind", "入统", "--actual", "2023-05-31"}, &out), 0)
      << out;
  ASSERT_TRUE(
      WaitUntil([&] { return enterprise() && e.enterprise().above_size(); }, absl::Seconds(30)))
      << e.DebugString();
  EXPECT_EQ(e.enterprise().above_size_since(), "2023-05-31");
  EXPECT_FALSE(e.enterprise().in_above_size_pool());
  bool reached = false;
  for (const StreamEvent& ev : f_.ReadStream("uplift:events:registry")) {
    rv1::AboveSizeReached m;
    if (ev.UnpackTo(&m).ok() && m.enterprise().credit_code() == TestCreditCode(1)) {
      reached = m.since() == "2023-05-31";
    }
  }
  EXPECT_TRUE(reached) << "AboveSizeReached on uplift:events:registry";
}

TEST_F(TasksIntegrationTest, AProblemClimbsByItselfPastEachDeadline) {
  const tv1::Problem p = Raise("financing");  // 5 working days per rung
  std::vector<std::string> owners;
  for (int rung = 1; rung <= 3; ++rung) {
    f_.AdvanceClock(absl::Hours(24 * 10));
    std::vector<tv1::ProblemEscalated> esc = Escalations(rung);
    ASSERT_EQ(esc.size(), static_cast<size_t>(rung)) << f_.TasksLog();
    EXPECT_TRUE(esc.back().automatic());
    owners.push_back(esc.back().new_owner_unit_id());
  }
  EXPECT_EQ(owners, (std::vector<std::string>{"dept-jrj", "leader-equipment", "prov-support"}));
  // At the top it stays, marked overdue once; no fourth message.
  f_.AdvanceClock(absl::Hours(24 * 10));
  absl::SleepFor(absl::Milliseconds(500));
  std::map<std::string, int> seen;
  EXPECT_EQ(Escalations(3, &seen).size(), 3u);
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << id;
  tv1::GetProblemRequest get;
  get.set_problem_id(p.problem_id());
  tv1::GetProblemResponse got;
  ASSERT_TRUE(f_.tasks().GetProblem(f_.Ctx(f_.owner_token).get(), get, &got).ok());
  EXPECT_TRUE(got.problem().overdue());
  EXPECT_EQ(got.problem().timeline(got.problem().timeline_size() - 1).action(),
            tv1::ProblemStep::ACTION_OVERDUE_AT_TOP);
}

TEST_F(TasksIntegrationTest, KillingTheServiceBetweenChangeAndPublishLosesNoEscalation) {
  const tv1::Problem p = Raise("labour");
  f_.redis().Stop();  // the publish cannot happen
  ASSERT_TRUE(Escalate(town_, p.problem_id(), "用工缺口乡镇无法协调").ok());
  f_.KillTasks();  // kill -9 with the escalation only in the outbox
  f_.redis().Start();
  EXPECT_TRUE(f_.ReadStream("uplift:escalations").empty());
  f_.StartTasks();
  std::map<std::string, int> seen;
  std::vector<tv1::ProblemEscalated> esc = Escalations(1, &seen);
  ASSERT_EQ(esc.size(), 1u) << f_.TasksLog();
  EXPECT_EQ(esc[0].problem_id(), p.problem_id());
  EXPECT_EQ(esc[0].new_owner_unit_id(), "dept-rsj");
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(f_.ReadStream("uplift:escalations").size(), 1u);
}

TEST_F(TasksIntegrationTest, MissingMonthlyReportsAreRemindedOnce) {
  // Report one unit's May progress, then pass the reporting day (June 5).
  tv1::ReportProgressRequest req;
  req.mutable_report()->set_plan_id("xinle-2023");
  req.mutable_report()->set_task_id("2.5.5");
  req.mutable_report()->set_period("2023-05");
  req.mutable_report()->set_text("组织3家企业开设网店");
  tv1::ReportProgressResponse resp;
  const std::string fgj = f_.keys().Token(av1::ROLE_DEPARTMENT, "dept-fgj", "发展改革局");
  ASSERT_TRUE(f_.tasks().ReportProgress(f_.Ctx(fgj).get(), req, &resp).ok());
  f_.AdvanceClock(absl::Hours(24 * 5));  // 2023-06-06
  tv1::ListOverdueReportsRequest overdue;
  overdue.set_plan_id("xinle-2023");
  tv1::ListOverdueReportsResponse missing;
  ASSERT_TRUE(f_.tasks().ListOverdueReports(f_.Ctx(f_.owner_token).get(), overdue, &missing).ok());
  ASSERT_GT(missing.overdue_size(), 0);
  std::vector<StreamEvent> reminders = f_.WaitForEvents("uplift:reminders", missing.overdue_size());
  EXPECT_EQ(reminders.size(), static_cast<size_t>(missing.overdue_size()));
  for (const StreamEvent& e : reminders) {
    tv1::ProgressReminder r;
    ASSERT_TRUE(e.UnpackTo(&r).ok());
    EXPECT_EQ(r.period(), "2023-05");
    EXPECT_FALSE(r.task_id() == "2.5.5" && r.unit_id() == "dept-fgj") << "it reported";
  }
  absl::SleepFor(absl::Milliseconds(400));
  EXPECT_EQ(f_.ReadStream("uplift:reminders").size(), reminders.size()) << "once each";
}

TEST_F(TasksIntegrationTest, TargetProgressComesFromTheIndicatorStream) {
  uplift::indicators::v1::TargetProgressChanged progress;
  progress.set_plan_id("xinle-2023");
  progress.set_target_id("new-high-tech");
  progress.set_achieved(2);
  progress.set_period("2023-05");
  f_.Publish("uplift-indicators", "target/xinle-2023/new-high-tech", 1, progress);
  progress.set_achieved(1);  // an older version arriving late changes nothing
  f_.Publish("uplift-indicators", "target/xinle-2023/new-high-tech", 1, progress);
  tv1::GetTaskRequest get;
  get.set_plan_id("xinle-2023");
  get.set_task_id("2.2.3");
  int64_t achieved = -1;
  for (int i = 0; i < 100 && achieved != 2; ++i) {
    tv1::GetTaskResponse task;
    ASSERT_TRUE(f_.tasks().GetTask(f_.Ctx(f_.owner_token).get(), get, &task).ok());
    for (const auto& p : task.task().progress()) {
      if (p.target().target_id() == "new-high-tech") achieved = p.achieved();
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(achieved, 2);
  // Both entries were acknowledged.
  absl::SleepFor(absl::Milliseconds(200));
  RedisClient redis(f_.redis().AdminOptions());
  auto pending = redis.Command({"XPENDING", "uplift:events:indicators", "uplift-tasks"});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->elements[0].integer, 0);
}

// 销号 through upliftctl against the real processes: the lead unit submits
// with evidence, the plan owner returns it with a reason, the lead submits
// again and the plan owner confirms; a task whose targets are not met
// cannot be submitted, a return without a reason is refused.
TEST_F(TasksIntegrationTest, ATaskIsClosedByItsLeadAndThePlanOwner) {
  const std::string fgj = f_.keys().Token(av1::ROLE_DEPARTMENT, "dept-fgj", "发改局");
  std::string out;
  const std::vector<std::string> close = {"task",
                                          "close",
                                          "2.1.3",
                                          "--summary",
                                          "推动3个链主项目落地",
                                          "--evidence",
                                          "项目落地台账.xlsx",
                                          "--evidence",
                                          "开工现场照片"};
  EXPECT_EQ(Ctl(f_.owner_token, close, &out), 1) << "科工信局 does not lead 2.1.3: " << out;
  EXPECT_NE(out.find("PERMISSION_DENIED"), std::string::npos) << out;
  ASSERT_EQ(Ctl(fgj, close, &out), 0) << out;
  EXPECT_NE(out.find("待销号"), std::string::npos) << out;
  EXPECT_NE(out.find("开工现场照片"), std::string::npos) << out;

  EXPECT_EQ(Ctl(f_.owner_token, {"task", "decide-closure", "2.1.3", "--return"}, &out), 1) << out;
  EXPECT_NE(out.find("reason:"), std::string::npos) << out;
  ASSERT_EQ(
      Ctl(f_.owner_token,
          {"task", "decide-closure", "2.1.3", "--return", "--reason", "缺少项目备案文件"}, &out),
      0)
      << out;
  EXPECT_NE(out.find("销号被退回(缺少项目备案文件)"), std::string::npos) << out;
  ASSERT_EQ(Ctl(fgj, close, &out), 0) << out;
  ASSERT_EQ(Ctl(f_.owner_token, {"task", "decide-closure", "2.1.3", "--confirm"}, &out), 0) << out;
  EXPECT_NE(out.find("已销号"), std::string::npos) << out;
  for (const char* step : {"提请销号", "退回", "确认销号", "发改局"}) {
    EXPECT_NE(out.find(step), std::string::npos) << step << "\n" << out;
  }
  ASSERT_EQ(Ctl(f_.owner_token, {"task", "list", "--status", "已销号"}, &out), 0) << out;
  EXPECT_NE(out.find("2.1.3"), std::string::npos) << out;

  EXPECT_EQ(Ctl(f_.owner_token,
                {"task", "close", "2.5.1", "--summary", "已完成", "--evidence", "台账"}, &out),
            1);
  EXPECT_NE(out.find("is not met"), std::string::npos) << out;
  EXPECT_NE(out.find("FAILED_PRECONDITION"), std::string::npos) << out;
}

}  // namespace
}  // namespace uplift::testing

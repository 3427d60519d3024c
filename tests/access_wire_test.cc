// The access table (access/access_table.textproto) against the running
// suite: every RPC of every service, called over the wire with a token of
// every role, for a resource of the caller's own unit and, with a token of
// another unit of the same role, for that same resource; and with the
// SERVICE token of each service. Each answer must be what the table says:
//   any, filtered:  allowed for both units
//   own:            allowed for the own unit, PERMISSION_DENIED for the other
//   none of them:   PERMISSION_DENIED
//   services:       a listed service's SERVICE token allowed, others denied
// "Allowed" means the call got past the access checks: OK, or an answer
// about the request or the resource's state, never PERMISSION_DENIED,
// UNAUTHENTICATED or an internal error. Each call gets fresh resources
// (an enterprise, a problem on the right rung, a notification...) of the
// own unit, so what one call changes never decides another's answer.
#include <gtest/gtest.h>

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/text_format.h>
#include <grpcpp/impl/codegen/client_unary_call.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/auth/access_table.h"
#include "common/sql/query.h"
#include "common/time_util.h"
#include "tests/support/indicators_fixture.h"
#include "uplift/auth/v1/revocation.grpc.pb.h"

namespace uplift::testing {
namespace {

namespace av1 = uplift::auth::v1;
namespace tv1 = uplift::tasks::v1;
using google::protobuf::Message;

// The units a role acts for in this test: its own, and another of the same
// kind. Roles without a unit (ADMIN, VIEWER) are called once.
struct RoleUnits {
  Role role;
  std::string own, other;
};

const std::vector<RoleUnits>& Roles() {
  static const std::vector<RoleUnits> roles = {
      {av1::ROLE_ADMIN, "", ""},
      {av1::ROLE_PLAN_OWNER, "dept-kgx", "dept-fgj"},
      {av1::ROLE_DEPARTMENT, "dept-zrj", "dept-rsj"},
      {av1::ROLE_TOWNSHIP, "town-chengan", "town-huapi"},
      {av1::ROLE_LEADER, "leader-equipment", "leader-food"},
      {av1::ROLE_PROVINCE, "prov-support", "prov-other"},
      {av1::ROLE_VIEWER, "", ""},
  };
  return roles;
}

const std::vector<std::string> kServices = {"uplift-registry", "uplift-tasks", "uplift-indicators",
                                            "uplift-notify"};

// One RPC's request, in protobuf text with placeholders for resources of
// the own unit (see AccessWireTest::Resolve), and the units a role acts for
// where they differ from Roles().
struct Case {
  std::string rpc;
  std::string request;
  std::map<Role, std::pair<std::string, std::string>> units = {};
};

// The listing pool is managed by 市地方金融监管局 (--listing-pool-departments).
const std::map<Role, std::pair<std::string, std::string>> kPoolDepartments = {
    {av1::ROLE_DEPARTMENT, {"dept-jrj", "dept-zrj"}}};

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      // uplift-registry
      {"uplift.registry.v1.EnterpriseRegistry/CreateUnit",
       R"(unit { unit_id: "unit-{n}" name: "测试单位{n}" kind: UNIT_KIND_DEPARTMENT })"},
      {"uplift.registry.v1.EnterpriseRegistry/UpdateUnit",
       R"(unit { unit_id: "dept-sthj" name: "市生态环境局" } update_mask { paths: "name" })"},
      {"uplift.registry.v1.EnterpriseRegistry/GetUnit", R"(unit_id: "dept-zrj")"},
      {"uplift.registry.v1.EnterpriseRegistry/ListUnits", ""},
      {"uplift.registry.v1.EnterpriseRegistry/CreateCluster",
       R"(cluster { cluster_id: "cluster-{n}" name: "测试集群{n}"
          liaison_leader_unit_id: "leader-food" lead_department_unit_id: "dept-kgx" })"},
      {"uplift.registry.v1.EnterpriseRegistry/UpdateCluster",
       R"(cluster { cluster_id: "food" name: "食品加工产业集群" } update_mask { paths: "name" })"},
      {"uplift.registry.v1.EnterpriseRegistry/GetCluster", R"(cluster_id: "equipment")"},
      {"uplift.registry.v1.EnterpriseRegistry/ListClusters", ""},
      {"uplift.registry.v1.EnterpriseRegistry/CreateEnterprise",
       R"(enterprise { credit_code: "{new_code}" name: "接入测试企业{n}" cluster_id: "equipment"
          township_id: "{township}" })"},
      {"uplift.registry.v1.EnterpriseRegistry/UpdateEnterprise",
       R"(enterprise { credit_code: "{enterprise}" industry: "机械{n}" }
          update_mask { paths: "industry" })"},
      {"uplift.registry.v1.EnterpriseRegistry/ImportEnterprises",
       R"(line: 2 enterprise { credit_code: "{new_code}" name: "导入测试企业{n}"
          cluster_id: "equipment" township_id: "{township}" })"},
      {"uplift.registry.v1.EnterpriseRegistry/GetEnterprise", R"(credit_code: "{enterprise}")"},
      {"uplift.registry.v1.EnterpriseRegistry/ListEnterprises", ""},
      {"uplift.registry.v1.EnterpriseRegistry/AwardTier",
       R"(credit_code: "{enterprise}" award { tier: TIER_INNOVATIVE_SME level: LEVEL_PROVINCE
          awarded_on: "2023-05-01" evidence: "冀工信〔2023〕12号" })"},
      {"uplift.registry.v1.EnterpriseRegistry/RevokeTier",
       R"({award} revoked_on: "2023-06-01" reason: "复核未通过")"},
      {"uplift.registry.v1.EnterpriseRegistry/ListTierAwards", R"(credit_code: "{enterprise}")"},
      {"uplift.registry.v1.EnterpriseRegistry/EnterListingPool",
       R"(credit_code: "{enterprise}" date: "2023-06-01")", kPoolDepartments},
      {"uplift.registry.v1.EnterpriseRegistry/AdvanceListingStage",
       R"(credit_code: "{listing_enterprise}" stage: LISTING_STAGE_TUTORING date: "2023-07-01")",
       kPoolDepartments},
      {"uplift.registry.v1.EnterpriseRegistry/LeaveListingPool",
       R"(credit_code: "{listing_enterprise}" date: "2023-07-01" reason: "企业放弃上市计划")",
       kPoolDepartments},
      {"uplift.registry.v1.EnterpriseRegistry/EnterAboveSizePool",
       R"(credit_code: "{enterprise}" date: "2023-06-01")"},
      {"uplift.registry.v1.EnterpriseRegistry/LeaveAboveSizePool",
       R"(credit_code: "{above_size_enterprise}" date: "2023-07-01" reason: "不再培育")"},
      {"uplift.registry.v1.EnterpriseRegistry/MarkAboveSize",
       R"(credit_code: "{enterprise}" since: "2023-06-01")"},
      {"uplift.registry.v1.EnterpriseRegistry/ListPoolHistory", R"(credit_code: "{enterprise}")"},
      {"uplift.registry.v1.EnterpriseRegistry/ListAuditRecords", ""},
      {"uplift.auth.v1.TokenRevocations/RevokeToken",
       R"(token_id: "tok-{n}" expire_time { seconds: 1900000000 } reason: "遗失")"},
      {"uplift.auth.v1.TokenRevocations/ListRevokedTokens", ""},
      // uplift-tasks
      {"uplift.tasks.v1.TaskAssignment/ApplyPlan", "{xinle_plan}"},
      {"uplift.tasks.v1.TaskAssignment/GetPlan", R"(plan_id: "xinle-2023")"},
      {"uplift.tasks.v1.TaskAssignment/ListPlans", ""},
      {"uplift.tasks.v1.TaskAssignment/GetTask", R"(plan_id: "xinle-2023" task_id: "2.1.1")"},
      {"uplift.tasks.v1.TaskAssignment/ListTasks", R"(plan_id: "xinle-2023")"},
      {"uplift.tasks.v1.TaskAssignment/AssignTask",
       R"(plan_id: "xinle-2023" task_id: "2.1.2" responsible_unit_ids: "dept-fgj"
          responsible_unit_ids: "dept-kgx" due_on: "2023-12-31")"},
      {"uplift.tasks.v1.TaskAssignment/SubmitTaskCompletion",
       R"(plan_id: "xinle-2023" task_id: "{led_task}" summary: "全年工作已完成{n}"
          evidence: "工作台账.pdf")"},
      {"uplift.tasks.v1.TaskAssignment/DecideTaskCompletion",
       R"(plan_id: "xinle-2023" task_id: "{submitted_task}" confirm: false reason: "佐证材料不全")"},
      {"uplift.tasks.v1.TaskAssignment/ReportProgress",
       R"(report { plan_id: "xinle-2023" task_id: "{task}" unit_id: "{unit}" period: "2023-09"
          text: "按计划推进{n}" })"},
      {"uplift.tasks.v1.TaskAssignment/ListProgress", R"(plan_id: "xinle-2023")"},
      {"uplift.tasks.v1.TaskAssignment/ListOverdueReports",
       R"(plan_id: "xinle-2023" period: "2023-09")"},
      {"uplift.tasks.v1.TaskAssignment/RaiseProblem",
       R"(problem { credit_code: "{enterprise}" category: "land" title: "用地指标不足"
          description: "扩建二期厂房缺少用地指标约20亩。" })"},
      {"uplift.tasks.v1.TaskAssignment/GetProblem", R"(problem_id: "{problem}")"},
      {"uplift.tasks.v1.TaskAssignment/ListProblems", ""},
      {"uplift.tasks.v1.TaskAssignment/AcceptProblem", R"(problem_id: "{problem}")"},
      {"uplift.tasks.v1.TaskAssignment/ResolveProblem",
       R"(problem_id: "{problem}" resolution: "已协调解决")"},
      {"uplift.tasks.v1.TaskAssignment/ReturnProblem",
       R"(problem_id: "{problem}" reason: "请补充材料")"},
      {"uplift.tasks.v1.TaskAssignment/EscalateProblem",
       R"(problem_id: "{problem}" reason: "本级无法解决")"},
      {"uplift.tasks.v1.TaskAssignment/RecordSatisfaction",
       R"(problem_id: "{resolved_problem}" satisfaction: SATISFACTION_SATISFIED)"},
      {"uplift.tasks.v1.TaskAssignment/ReopenProblem",
       R"(problem_id: "{resolved_problem}" reason: "问题反复")"},
      {"uplift.tasks.v1.TaskAssignment/RequestExtension",
       R"(problem_id: "{problem}" due_on: "2023-12-29" reason: "需等待规划调整")"},
      {"uplift.tasks.v1.TaskAssignment/DecideExtension",
       R"(problem_id: "{extension_problem}" approve: true)"},
      {"uplift.tasks.v1.TaskAssignment/RuleOnProblem",
       R"(problem_id: "{problem}" rung: RUNG_DEPARTMENT reason: "由市直部门办理")"},
      {"uplift.tasks.v1.TaskAssignment/AddCoHandlers",
       R"(problem_id: "{problem}" co_handlers { unit_id: "dept-jrj" } reason: "请提出融资意见")"},
      {"uplift.tasks.v1.TaskAssignment/AnswerCoHandling",
       R"(problem_id: "{co_handled_problem}" answer: "同意按程序办理")"},
      {"uplift.tasks.v1.TaskAssignment/GetProblemStatistics",
       R"(plan_id: "xinle-2023" from: "2023-01-01" until: "2023-12-31")"},
      {"uplift.tasks.v1.TaskAssignment/ListAuditRecords", ""},
      // uplift-tasks' project ledger
      {"uplift.tasks.v1.ProjectLedger/CreateProject",
       R"(project { name: "技改项目{n}" investor: "新乐投资{n}" cluster_id: "equipment"
          township_id: "town-chengan" department_unit_id: "{unit}" kind: PROJECT_KIND_RENOVATION
          source: PROJECT_SOURCE_LOCAL_EXPANSION total_investment_fen: 100000000000 })"},
      {"uplift.tasks.v1.ProjectLedger/GetProject", R"(project_id: "{project}")"},
      {"uplift.tasks.v1.ProjectLedger/ListProjects", ""},
      {"uplift.tasks.v1.ProjectLedger/AdvanceProject",
       R"(project_id: "{project}" phase: PROJECT_PHASE_SIGNED)"},
      {"uplift.tasks.v1.ProjectLedger/RecordMilestone",
       R"(project_id: "{project}" milestone: MILESTONE_KIND_LANDED actual_on: "2023-05-30")"},
      {"uplift.tasks.v1.ProjectLedger/ReportProjectProgress",
       R"(progress { project_id: "{project}" period: "2023-05" investment_fen: 100000000
          image_progress: "场地平整" })"},
      {"uplift.tasks.v1.ProjectLedger/ListProjectProgress", R"(project_id: "{project}")"},
      // uplift-indicators
      {"uplift.indicators.v1.IndicatorAggregation/SubmitReport",
       R"(report { credit_code: "{enterprise}" period: "2023-08"
          figures { revenue_fen: 100000000 output_value_fen: 100000000 employees: 50 } })"},
      {"uplift.indicators.v1.IndicatorAggregation/ImportReports",
       R"(rows { line: 2 report { credit_code: "{enterprise}" period: "2023-07"
          figures { revenue_fen: 100000000 output_value_fen: 100000000 employees: 50 } } })"},
      {"uplift.indicators.v1.IndicatorAggregation/GetReport",
       R"(credit_code: "{reported_enterprise}" period: "2023-09")"},
      {"uplift.indicators.v1.IndicatorAggregation/ListReports",
       R"(credit_code: "{reported_enterprise}" from_period: "2023-01" to_period: "2023-12")"},
      {"uplift.indicators.v1.IndicatorAggregation/GetAggregates",
       R"(period: "2023-09" group_by: GROUP_BY_CLUSTER_TOWNSHIP)"},
      {"uplift.indicators.v1.IndicatorAggregation/GetTargetProgress",
       R"(plan_id: "xinle-2023" period: "2023-09")"},
      {"uplift.indicators.v1.IndicatorAggregation/GetEfficiency", R"(period: "2023-09")"},
      {"uplift.indicators.v1.IndicatorAggregation/GetTownshipRanking", R"(quarter: "2023-Q3")"},
      {"uplift.indicators.v1.IndicatorAggregation/GenerateDispatchReport",
       R"(plan_id: "xinle-2023" period: "2023-09")"},
      {"uplift.indicators.v1.IndicatorAggregation/GenerateBulletin",
       R"(plan_id: "xinle-2023" quarter: "2023-Q3")"},
      {"uplift.indicators.v1.IndicatorAggregation/ClosePeriod",
       R"(plan_id: "xinle-2023" period: "2023-08")"},
      {"uplift.indicators.v1.IndicatorAggregation/RecordActivity",
       R"(activity { held_on: "2023-06-10" kind: ACTIVITY_KIND_SERVICE_EVENT
          title: "访问测试活动{n}" organiser_unit_id: "{unit}" credit_codes: "{enterprise}" })"},
      {"uplift.indicators.v1.IndicatorAggregation/ListActivities", R"(year: 2023)"},
      {"uplift.indicators.v1.IndicatorAggregation/ListAuditRecords", ""},
      // uplift-notify
      {"uplift.notify.v1.Notification/ListInbox", R"(unit_id: "{unit}")"},
      {"uplift.notify.v1.Notification/Subscribe", R"(unit_id: "{unit}")"},
      {"uplift.notify.v1.Notification/GetNotification", R"(notification_id: "{notification}")"},
      {"uplift.notify.v1.Notification/Acknowledge", R"(notification_id: "{notification}")"},
      {"uplift.notify.v1.Notification/AcknowledgeByLink", R"(token: "{ack_link}")"},
      {"uplift.notify.v1.Notification/AddChannel",
       R"(channel { unit_id: "{unit}" url: "http://127.0.0.1:9/hooks/{n}"
          secret: "a-shared-secret-of-the-unit" })"},
      {"uplift.notify.v1.Notification/ListChannels", R"(unit_id: "{unit}")"},
      {"uplift.notify.v1.Notification/RemoveChannel", R"(channel_id: "{channel}")"},
      {"uplift.notify.v1.Notification/ListDeliveries", R"(unit_id: "{unit}")"},
      {"uplift.notify.v1.Notification/ListDeadLetters", ""},
      {"uplift.notify.v1.Notification/RetryDeadLetter",
       R"(dead_letter_id: "uplift:escalations/0-1")"},
      {"uplift.notify.v1.Notification/SetPolicy",
       R"(policy { message_type: "uplift.tasks.v1.ProblemEscalated" ack_within { seconds: 86400 }
          resends: 1 })"},
      {"uplift.notify.v1.Notification/ListPolicies", ""},
      {"uplift.notify.v1.Notification/ListAuditRecords", ""},
      // A person's own: the login is the subject of the unit's token (no
      // such person in uplift-notify: NOT_FOUND once access is granted).
      {"uplift.notify.v1.Notification/GetPreferences", R"(login: "{unit}-person")"},
      {"uplift.notify.v1.Notification/SetPreferences",
       R"(login: "{unit}-person"
          preferences { routes { kind: KIND_ALERT channel_types: CHANNEL_TYPE_EMAIL } })"},
  };
  return cases;
}

// The category each department answers for in the Xinle plan.
const std::map<std::string, std::string> kCategoryOf = {
    {"dept-zrj", "land"},      {"dept-jrj", "financing"},    {"dept-rsj", "labour"},
    {"dept-fgj", "energy"},    {"dept-sthj", "environment"}, {"dept-scj", "market"},
    {"dept-kgx", "technology"}};

bool Denied(grpc::StatusCode code) { return code == grpc::StatusCode::PERMISSION_DENIED; }
bool Allowed(grpc::StatusCode code) {
  return code != grpc::StatusCode::PERMISSION_DENIED && code != grpc::StatusCode::UNAUTHENTICATED &&
         code != grpc::StatusCode::INTERNAL && code != grpc::StatusCode::UNKNOWN &&
         code != grpc::StatusCode::UNIMPLEMENTED;
}

std::string ServiceOf(const std::string& rpc) {
  if (rpc.rfind("uplift.registry.", 0) == 0 || rpc.rfind("uplift.auth.", 0) == 0) {
    return "uplift-registry";
  }
  if (rpc.rfind("uplift.tasks.", 0) == 0) return "uplift-tasks";
  if (rpc.rfind("uplift.indicators.", 0) == 0) return "uplift-indicators";
  return "uplift-notify";
}

class AccessWireTest : public ::testing::Test, public IndicatorsFixture {
 protected:
  AccessWireTest() {
    // The revocation contract is served by the registry; link its descriptor.
    (void)uplift::auth::v1::RevokeTokenRequest::descriptor();
    StartIndicators();
    // Webhooks to loopback allowed, as in every notify test; messages to
    // people carry links (to a gateway nobody runs: a link exists once its
    // notification does).
    StartNotify(0, {"--ack-link-base", "https://uplift.example", "--sms-url",
                    "http://127.0.0.1:9/sms?to={phone}&text={text}"});
    int code = 0;
    const std::string out = ApplyXinlePlan(&code);
    EXPECT_EQ(code, 0) << out;
    rv1::CreateUnitRequest unit;
    unit.mutable_unit()->set_unit_id("prov-other");
    unit.mutable_unit()->set_name("其他省级部门");
    unit.mutable_unit()->set_kind(rv1::UNIT_KIND_PROVINCE_PREFECTURE);
    rv1::CreateUnitResponse created;
    EXPECT_TRUE(stub().CreateUnit(Ctx(admin_token).get(), unit, &created).ok());
    for (const std::string& service : kServices) {
      channels_[service] =
          grpc::CreateChannel(AddressOf(service), grpc::InsecureChannelCredentials());
    }
    std::ifstream in(std::string(UPLIFT_SOURCE_DIR) + "/plans/xinle-2023.textproto");
    std::stringstream plan;
    plan << in.rdbuf();
    xinle_plan_ = "plan { " + plan.str() + " }";
  }

  std::string AddressOf(const std::string& service) {
    if (service == "uplift-registry") return address();
    if (service == "uplift-tasks") return tasks_address();
    if (service == "uplift-indicators") return indicators_address();
    return notify_address();
  }

  std::string AdminFor(const std::string& /*service*/) { return admin_token; }

  // ---- resources of the own unit, fresh for each call ----

  std::string NewCode() { return TestCreditCode(500000 + ++codes_); }

  // The township and cluster an enterprise of `unit` (acting as `role`)
  // belongs to.
  std::pair<std::string, std::string> HomeOf(Role role, const std::string& unit) {
    if (role == av1::ROLE_TOWNSHIP) return {unit, "equipment"};
    if (role == av1::ROLE_LEADER) {
      return {"town-chengan", unit == "leader-food" ? "food" : "equipment"};
    }
    return {"town-chengan", "equipment"};
  }

  std::string Enterprise(Role role, const std::string& unit) {
    const auto [township, cluster] = HomeOf(role, unit);
    rv1::CreateEnterpriseRequest req;
    rv1::Enterprise* e = req.mutable_enterprise();
    e->set_credit_code(NewCode());
    e->set_name(absl::StrCat("访问测试企业", codes_));
    e->set_cluster_id(cluster);
    e->set_township_id(township);
    rv1::CreateEnterpriseResponse resp;
    grpc::Status s = stub().CreateEnterprise(Ctx(admin_token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return e->credit_code();
  }

  template <typename Request, typename Response, typename Stub>
  void Must(Stub& stub,
            grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
            const Request& req, const std::string& token, Response* resp = nullptr) {
    Response ignored;
    grpc::Status s = (stub.*method)(Ctx(token).get(), req, resp ? resp : &ignored);
    ASSERT_TRUE(s.ok()) << req.GetDescriptor()->name() << ": " << s.error_message();
  }

  // People's tokens name every service (a call may be made on their behalf
  // onwards, e.g. uplift-tasks asks the registry about an enterprise).
  std::string Token(Role role, const std::string& unit, const std::string& /*service*/) {
    return keys().Token(role, unit, unit + "-person", absl::Hours(1));
  }

  // An enterprise of a unit that is in the listing pool (entered by 金融办).
  std::string ListingEnterprise(Role role, const std::string& unit) {
    const std::string code = Enterprise(role, unit);
    rv1::EnterListingPoolRequest req;
    req.set_credit_code(code);
    req.set_date("2023-06-01");
    Must(stub(), &rv1::EnterpriseRegistry::Stub::EnterListingPool, req, admin_token);
    return code;
  }

  std::string AboveSizeEnterprise(Role role, const std::string& unit) {
    const std::string code = Enterprise(role, unit);
    rv1::EnterAboveSizePoolRequest req;
    req.set_credit_code(code);
    req.set_date("2023-06-01");
    Must(stub(), &rv1::EnterpriseRegistry::Stub::EnterAboveSizePool, req, admin_token);
    return code;
  }

  // "credit_code: ... award_id: ..." of a standing award of the unit's enterprise.
  std::string Award(Role role, const std::string& unit) {
    const std::string code = Enterprise(role, unit);
    rv1::AwardTierRequest req;
    req.set_credit_code(code);
    req.mutable_award()->set_tier(rv1::TIER_INNOVATIVE_SME);
    req.mutable_award()->set_level(rv1::LEVEL_PROVINCE);
    req.mutable_award()->set_awarded_on("2023-05-01");
    req.mutable_award()->set_evidence("冀工信〔2023〕12号");
    rv1::AwardTierResponse resp;
    Must(stub(), &rv1::EnterpriseRegistry::Stub::AwardTier, req, admin_token, &resp);
    return absl::StrCat("credit_code: \"", code, "\" award_id: \"", resp.award().award_id(), "\"");
  }

  // An enterprise of the unit with figures for 2023-09.
  std::string ReportedEnterprise(Role role, const std::string& unit) {
    const std::string code = Enterprise(role, unit);
    iv1::SubmitReportRequest req;
    req.mutable_report()->set_credit_code(code);
    req.mutable_report()->set_period("2023-09");
    req.mutable_report()->mutable_figures()->set_revenue_fen(100000000);
    req.mutable_report()->mutable_figures()->set_output_value_fen(100000000);
    req.mutable_report()->mutable_figures()->set_employees(40);
    const std::string token = AdminFor("uplift-indicators");
    for (int attempt = 0; attempt < 200; ++attempt) {  // until the registry's event arrives
      iv1::SubmitReportResponse resp;
      grpc::Status s = indicators().SubmitReport(Ctx(token).get(), req, &resp);
      if (s.ok()) return code;
      if (s.error_code() != grpc::StatusCode::NOT_FOUND) {
        ADD_FAILURE() << "report: " << s.error_message();
        break;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return code;
  }

  // A problem whose current rung `unit` owns in `role` (a township: raised
  // there; a department: its category's; a leader: its cluster's, escalated
  // twice; the province: escalated three times).
  std::string Problem(Role role, const std::string& unit) {
    const auto [township, cluster] = HomeOf(role, unit);
    const std::string code = Enterprise(role, unit);
    std::string category = "land";
    if (role == av1::ROLE_DEPARTMENT || role == av1::ROLE_PLAN_OWNER)
      category = kCategoryOf.at(unit);
    tv1::RaiseProblemRequest raise;
    raise.mutable_problem()->set_credit_code(code);
    raise.mutable_problem()->set_category(category);
    raise.mutable_problem()->set_title("用地指标不足");
    raise.mutable_problem()->set_description("扩建二期厂房缺少用地指标约20亩。");
    tv1::RaiseProblemResponse raised;
    const std::string town = Token(av1::ROLE_TOWNSHIP, township, "uplift-tasks");
    Must(tasks(), &tv1::TaskAssignment::Stub::RaiseProblem, raise, town, &raised);
    const std::string id = raised.problem().problem_id();
    auto escalate = [&](const std::string& token) {
      tv1::EscalateProblemRequest req;
      req.set_problem_id(id);
      req.set_reason("本级无法解决");
      Must(tasks(), &tv1::TaskAssignment::Stub::EscalateProblem, req, token);
    };
    if (role == av1::ROLE_TOWNSHIP || role == av1::ROLE_ADMIN || role == av1::ROLE_VIEWER) {
      return id;
    }
    escalate(town);
    if (role == av1::ROLE_DEPARTMENT || role == av1::ROLE_PLAN_OWNER) return id;
    escalate(Token(av1::ROLE_DEPARTMENT, "dept-zrj", "uplift-tasks"));
    if (role == av1::ROLE_LEADER) return id;
    escalate(Token(av1::ROLE_LEADER, cluster == "food" ? "leader-food" : "leader-equipment",
                   "uplift-tasks"));
    return id;
  }

  // A problem with an extension pending that `unit` approves in `role`: the
  // plan owner approves them for 科技创新 (a problem at the township rung);
  // for 用地 the rung above the one asking does, so a department approves
  // its township's request, a leader the department's, the province the
  // leader's. Other roles get one the plan owner approves.
  std::string ExtensionProblem(Role role, const std::string& unit) {
    std::string id;
    std::string asker_role_unit;
    Role asker = av1::ROLE_TOWNSHIP;
    if (role == av1::ROLE_LEADER) {
      id = Problem(av1::ROLE_DEPARTMENT, "dept-zrj");  // land, at dept-zrj's rung
      asker = av1::ROLE_DEPARTMENT;
      asker_role_unit = "dept-zrj";
    } else if (role == av1::ROLE_PROVINCE) {
      id = Problem(av1::ROLE_LEADER, "leader-equipment");  // land, at the leader's rung
      asker = av1::ROLE_LEADER;
      asker_role_unit = "leader-equipment";
    } else {
      // A township's problem: land (approved by dept-zrj) for a department,
      // 科技创新 (approved by the plan owner) for anyone else.
      const std::string code = Enterprise(av1::ROLE_TOWNSHIP, "town-chengan");
      tv1::RaiseProblemRequest raise;
      raise.mutable_problem()->set_credit_code(code);
      raise.mutable_problem()->set_category(role == av1::ROLE_DEPARTMENT ? "land" : "technology");
      raise.mutable_problem()->set_title("研发平台建设受阻");
      raise.mutable_problem()->set_description("省级研发平台申报材料需要延期准备。");
      tv1::RaiseProblemResponse raised;
      Must(tasks(), &tv1::TaskAssignment::Stub::RaiseProblem, raise,
           Token(av1::ROLE_TOWNSHIP, "town-chengan", "uplift-tasks"), &raised);
      id = raised.problem().problem_id();
      asker_role_unit = "town-chengan";
    }
    tv1::RequestExtensionRequest ask;
    ask.set_problem_id(id);
    tv1::GetProblemRequest get;
    get.set_problem_id(id);
    tv1::GetProblemResponse got;
    Must(tasks(), &tv1::TaskAssignment::Stub::GetProblem, get, admin_token, &got);
    const absl::CivilDay last =
        absl::ToCivilDay(absl::FromUnixSeconds(got.problem().deadline().seconds()), ShanghaiTime());
    ask.set_due_on(FormatDate(last + 10));
    ask.set_reason("需延期办理");
    Must(tasks(), &tv1::TaskAssignment::Stub::RequestExtension, ask,
         Token(asker, asker_role_unit, "uplift-tasks"));
    return id;
  }

  // A problem at a department rung, which the plan owner asked `unit` to
  // co-handle (会商) where its role may (a department, the plan owner), and
  // 市人力资源和社会保障局 otherwise.
  std::string CoHandledProblem(Role role, const std::string& unit) {
    const bool may = role == av1::ROLE_DEPARTMENT || role == av1::ROLE_PLAN_OWNER;
    const std::string co_handler = may ? unit : "dept-rsj";
    const std::string lead = co_handler == "dept-zrj" ? "dept-kgx" : "dept-zrj";
    const std::string id = Problem(av1::ROLE_DEPARTMENT, lead);
    tv1::AddCoHandlersRequest add;
    add.set_problem_id(id);
    add.add_co_handlers()->set_unit_id(co_handler);
    add.set_reason("请提出意见");
    Must(tasks(), &tv1::TaskAssignment::Stub::AddCoHandlers, add,
         Token(av1::ROLE_PLAN_OWNER, "dept-kgx", "uplift-tasks"));
    return id;
  }

  // A problem of the unit's enterprise that its township has resolved.
  std::string ResolvedProblem(Role role, const std::string& unit) {
    const std::string id = Problem(av1::ROLE_TOWNSHIP, HomeOf(role, unit).first);
    tv1::ResolveProblemRequest req;
    req.set_problem_id(id);
    req.set_resolution("已协调解决");
    Must(tasks(), &tv1::TaskAssignment::Stub::ResolveProblem, req,
         Token(av1::ROLE_TOWNSHIP, HomeOf(role, unit).first, "uplift-tasks"));
    return id;
  }

  // A notification in the unit's inbox (an escalation to it).
  std::string Notification(const std::string& unit) {
    const std::string problem = absl::StrCat("pb-access-", ++notices_);
    const std::string event_id = PublishEscalation(problem, unit);
    nv1::ListInboxRequest req;
    req.set_unit_id(unit);
    req.set_page_size(1000);
    const std::string token = AdminFor("uplift-notify");
    for (int attempt = 0; attempt < 400; ++attempt) {
      nv1::ListInboxResponse resp;
      if (notify().ListInbox(Ctx(token).get(), req, &resp).ok()) {
        for (const nv1::Notice& n : resp.notifications()) {
          if (n.source_event_id() == event_id) return n.notification_id();
        }
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    ADD_FAILURE() << "no notification about " << problem << " reached " << unit;
    return "";
  }

  std::string Channel(const std::string& unit) {
    nv1::AddChannelRequest req;
    req.mutable_channel()->set_unit_id(unit);
    req.mutable_channel()->set_url(absl::StrCat("http://127.0.0.1:9/hooks/", ++channels_made_));
    req.mutable_channel()->set_secret("a-shared-secret-of-the-unit");
    nv1::AddChannelResponse resp;
    Must(notify(), &nv1::Notification::Stub::AddChannel, req, AdminFor("uplift-notify"), &resp);
    return resp.channel().channel_id();
  }

  // The token of the link that acknowledges a fresh notification of the
  // unit (which gets an SMS channel first), read from uplift-notify's
  // database: no API tells it.
  std::string AckLink(const std::string& unit) {
    if (sms_units_.insert(unit).second) {
      nv1::AddChannelRequest req;
      req.mutable_channel()->set_unit_id(unit);
      req.mutable_channel()->set_type(nv1::CHANNEL_TYPE_SMS);
      req.mutable_channel()->set_address("13912345678");
      Must(notify(), &nv1::Notification::Stub::AddChannel, req, AdminFor("uplift-notify"));
    }
    const std::string notification = Notification(unit);
    std::string token;
    std::unique_ptr<sql::Store> db = ServiceDatabase("notify-data", "notify.db");
    EXPECT_TRUE(db->Read([&](sql::Connection& c) {
                    sql::Query q(c, "SELECT token FROM ack_links WHERE notification_id=?");
                    q.Bind(1, notification);
                    if (q.Step()) token = q.Text(0);
                    return absl::OkStatus();
                  }).ok());
    EXPECT_NE(token, "") << "no link for " << notification << " of " << unit;
    return token;
  }

  // The first task `unit` reports on.
  std::string TaskOf(const std::string& unit) {
    tv1::ListTasksRequest req;
    req.set_plan_id("xinle-2023");
    req.set_unit_id(unit);
    tv1::ListTasksResponse resp;
    Must(tasks(), &tv1::TaskAssignment::Stub::ListTasks, req, AdminFor("uplift-tasks"), &resp);
    return resp.tasks_size() > 0 ? resp.tasks(0).task().task_id() : "2.1.1";
  }

  // 2.3.4 (no counted targets), led by `unit` where its role may lead a
  // task; as it is (led by 科工信局) for the other roles.
  std::string LedTask(Role role, const std::string& unit) {
    if (role == av1::ROLE_PLAN_OWNER || role == av1::ROLE_DEPARTMENT ||
        role == av1::ROLE_TOWNSHIP) {
      tv1::AssignTaskRequest req;
      req.set_plan_id("xinle-2023");
      req.set_task_id("2.3.4");
      req.add_responsible_unit_ids(unit);
      if (unit != "dept-kgx") req.add_responsible_unit_ids("dept-kgx");
      Must(tasks(), &tv1::TaskAssignment::Stub::AssignTask, req, AdminFor("uplift-tasks"));
    }
    return "2.3.4";
  }

  // A project in 谋划 followed by `unit`: its responsible department for a
  // department, its township for a township (else 发改局 and 承安镇).
  std::string Project(Role role, const std::string& unit) {
    tv1::CreateProjectRequest req;
    tv1::Project* p = req.mutable_project();
    p->set_name(absl::StrCat("扩建项目", ++counter_));
    p->set_investor("新乐投资有限公司");
    p->set_cluster_id("equipment");
    p->set_township_id(role == av1::ROLE_TOWNSHIP ? unit : "town-chengan");
    p->set_department_unit_id(role == av1::ROLE_DEPARTMENT ? unit : "dept-fgj");
    p->set_kind(tv1::PROJECT_KIND_EXPANSION);
    p->set_source(tv1::PROJECT_SOURCE_LOCAL_EXPANSION);
    p->set_total_investment_fen(100000000000);
    tv1::CreateProjectResponse created;
    Must(projects(), &tv1::ProjectLedger::Stub::CreateProject, req, AdminFor("uplift-tasks"),
         &created);
    return created.project().project_id();
  }

  // 2.2.4 with its completion waiting for the plan owner: submitted by its
  // lead, 科工信局, unless it already waits (the cases return it).
  std::string SubmittedTask() {
    tv1::SubmitTaskCompletionRequest req;
    req.set_plan_id("xinle-2023");
    req.set_task_id("2.2.4");
    req.set_summary("组建产业技术创新联盟2个");
    req.add_evidence("联盟备案文件");
    tv1::SubmitTaskCompletionResponse resp;
    const grpc::Status s = tasks().SubmitTaskCompletion(
        Ctx(Token(av1::ROLE_PLAN_OWNER, "dept-kgx", "uplift-tasks")).get(), req, &resp);
    EXPECT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
        << s.error_message();
    return "2.2.4";
  }

  // The request text with every placeholder replaced by a fresh resource of
  // `unit` (acting as `role`).
  std::string Resolve(const std::string& text, Role role, const std::string& unit_or_empty) {
    const std::string unit = unit_or_empty.empty() ? "dept-zrj" : unit_or_empty;
    std::string out = absl::StrReplaceAll(text, {{"{n}", absl::StrCat(++counter_)},
                                                 {"{unit}", unit},
                                                 {"{township}", HomeOf(role, unit).first},
                                                 {"{xinle_plan}", xinle_plan_}});
    const std::vector<std::pair<std::string, std::function<std::string()>>> resources = {
        {"{new_code}", [&] { return NewCode(); }},
        {"{enterprise}", [&] { return Enterprise(role, unit); }},
        {"{listing_enterprise}", [&] { return ListingEnterprise(role, unit); }},
        {"{above_size_enterprise}", [&] { return AboveSizeEnterprise(role, unit); }},
        {"{reported_enterprise}", [&] { return ReportedEnterprise(role, unit); }},
        {"{award}", [&] { return Award(role, unit); }},
        {"{problem}", [&] { return Problem(role, unit); }},
        {"{resolved_problem}", [&] { return ResolvedProblem(role, unit); }},
        {"{extension_problem}", [&] { return ExtensionProblem(role, unit); }},
        {"{co_handled_problem}", [&] { return CoHandledProblem(role, unit); }},
        {"{notification}", [&] { return Notification(unit); }},
        {"{channel}", [&] { return Channel(unit); }},
        {"{ack_link}", [&] { return AckLink(unit); }},
        {"{task}", [&] { return TaskOf(unit); }},
        {"{led_task}", [&] { return LedTask(role, unit); }},
        {"{submitted_task}", [&] { return SubmittedTask(); }},
        {"{project}", [&] { return Project(role, unit); }},
    };
    for (const auto& [name, make] : resources) {
      if (out.find(name) != std::string::npos) out = absl::StrReplaceAll(out, {{name, make()}});
    }
    return out;
  }

  // ---- calls ----

  // The code an RPC answered `request` with; for the imports, the first
  // row's code when the call itself succeeded.
  grpc::StatusCode Call(const std::string& rpc, const std::string& request_text,
                        const std::string& token, std::string* message) {
    const std::string service_name = rpc.substr(0, rpc.find('/'));
    const std::string method_name = rpc.substr(rpc.find('/') + 1);
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    const auto* method = service ? service->FindMethodByName(method_name) : nullptr;
    if (method == nullptr) {
      *message = "no such method in the contracts";
      return grpc::StatusCode::UNIMPLEMENTED;
    }
    auto* factory = google::protobuf::MessageFactory::generated_factory();
    std::unique_ptr<Message> request(factory->GetPrototype(method->input_type())->New());
    if (!google::protobuf::TextFormat::ParseFromString(request_text, request.get())) {
      *message = "the test's request does not parse: " + request_text;
      return grpc::StatusCode::UNIMPLEMENTED;
    }
    auto context = Ctx(token);
    grpc::Status status;
    if (method_name == "ImportEnterprises") {
      rv1::ImportEnterprisesResponse resp;
      auto writer = stub().ImportEnterprises(context.get(), &resp);
      writer->Write(static_cast<const rv1::ImportEnterprisesRequest&>(*request));
      writer->WritesDone();
      status = writer->Finish();
      if (status.ok() && resp.errors_size() > 0) return RowCode(resp.errors(0), message);
    } else if (method_name == "ImportReports") {
      iv1::ImportReportsResponse resp;
      auto writer = indicators().ImportReports(context.get(), &resp);
      writer->Write(static_cast<const iv1::ImportReportsRequest&>(*request));
      writer->WritesDone();
      status = writer->Finish();
      if (status.ok() && resp.errors_size() > 0) return RowCode(resp.errors(0), message);
    } else if (method_name == "Subscribe") {
      context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1500));
      auto reader =
          notify().Subscribe(context.get(), static_cast<const nv1::SubscribeRequest&>(*request));
      nv1::SubscribeResponse first;
      if (reader->Read(&first)) {
        context->TryCancel();
        reader->Finish();
        return grpc::StatusCode::OK;
      }
      status = reader->Finish();
      if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) return grpc::StatusCode::OK;
    } else {
      std::unique_ptr<Message> response(factory->GetPrototype(method->output_type())->New());
      const std::string path = "/" + rpc;
      status = grpc::internal::BlockingUnaryCall<Message, Message>(
          channels_.at(ServiceOf(rpc)).get(),
          grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC),
          context.get(), *request, response.get());
    }
    *message = status.error_message();
    return status.error_code();
  }

  template <typename RowError>
  static grpc::StatusCode RowCode(const RowError& error, std::string* message) {
    *message = "row: " + error.message();
    if (error.code() == "PERMISSION_DENIED") return grpc::StatusCode::PERMISSION_DENIED;
    if (error.code() == "INTERNAL") return grpc::StatusCode::INTERNAL;
    return grpc::StatusCode::FAILED_PRECONDITION;  // about the row itself
  }

  // Records a mismatch: what was called, by whom, what came back, what the
  // table says.
  void Expect(bool ok, const std::string& rpc, const std::string& who, grpc::StatusCode code,
              const std::string& message, const char* expected) {
    ++calls_;
    if (ok) return;
    mismatches_.push_back(absl::StrCat(rpc, " as ", who, ": code ", static_cast<int>(code), " (",
                                       message.substr(0, 200), "); the table says ", expected));
  }

  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
  std::string xinle_plan_;
  int codes_ = 0, counter_ = 0, notices_ = 0, channels_made_ = 0;
  std::set<std::string> sms_units_;  // units given an SMS channel
  int calls_ = 0;
  std::vector<std::string> mismatches_;
};

bool Has(const google::protobuf::RepeatedField<int>& roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

TEST_F(AccessWireTest, EveryRpcOfEveryServiceAnswersEveryRoleAsTheTableSays) {
  const AccessTable& table = AccessTable::Builtin();
  // The cases cover the table, and the table every RPC (access_table_test).
  std::set<std::string> covered;
  for (const Case& c : Cases()) covered.insert(c.rpc);
  // uplift-web's Accounts are proved by tests/web_accounts_test.
  for (const auto& rule : table.table().rules()) {
    if (absl::StartsWith(rule.rpc(), "uplift.accounts.")) continue;
    EXPECT_TRUE(covered.count(rule.rpc())) << "no wire case for " << rule.rpc();
  }

  for (const Case& c : Cases()) {
    const access::v1::Rule* rule = table.Find(c.rpc);
    ASSERT_NE(rule, nullptr) << c.rpc << " is not in the access table";
    const std::string service = ServiceOf(c.rpc);
    for (RoleUnits r : Roles()) {
      if (auto it = c.units.find(r.role); it != c.units.end()) {
        r.own = it->second.first;
        r.other = it->second.second;
      }
      const bool any = Has(rule->any(), r.role) || Has(rule->filtered(), r.role);
      const bool own = Has(rule->own(), r.role);
      const std::string request = Resolve(c.request, r.role, r.own);
      std::string message;
      // Another unit of the role first: a refused call changes nothing.
      if (!r.other.empty()) {
        const std::string who = absl::StrCat(RoleName(r.role), " of ", r.other, " (not its unit)");
        const grpc::StatusCode code =
            Call(c.rpc, request, Token(r.role, r.other, service), &message);
        if (any) {
          Expect(Allowed(code), c.rpc, who, code, message, "allowed (any unit)");
        } else {
          Expect(Denied(code), c.rpc, who, code, message, "PERMISSION_DENIED");
        }
      }
      const std::string who = absl::StrCat(RoleName(r.role), r.own.empty() ? "" : " of " + r.own);
      const grpc::StatusCode code = Call(c.rpc, request, Token(r.role, r.own, service), &message);
      if (any || own) {
        Expect(Allowed(code), c.rpc, who, code, message, "allowed");
      } else {
        Expect(Denied(code), c.rpc, who, code, message, "PERMISSION_DENIED");
      }
    }
    for (const std::string& caller : kServices) {
      const bool listed = std::find(rule->services().begin(), rule->services().end(), caller) !=
                          rule->services().end();
      const std::string token =
          keys().Token(av1::ROLE_SERVICE, "", caller, absl::Hours(1), {service});
      std::string message;
      const grpc::StatusCode code =
          Call(c.rpc, Resolve(c.request, av1::ROLE_ADMIN, ""), token, &message);
      const std::string who = "SERVICE " + caller;
      if (listed) {
        Expect(Allowed(code), c.rpc, who, code, message, "allowed (a listed service)");
      } else {
        Expect(Denied(code), c.rpc, who, code, message, "PERMISSION_DENIED");
      }
    }
  }
  std::cout << calls_ << " calls of " << Cases().size() << " RPCs\n";
  EXPECT_TRUE(mismatches_.empty()) << mismatches_.size() << " answers differ from the table:\n"
                                   << absl::StrJoin(mismatches_, "\n");
}

}  // namespace
}  // namespace uplift::testing

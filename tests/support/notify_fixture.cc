// NotifyFixture.
#include "tests/support/notify_fixture.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/client_channel.h"
#include "common/ids.h"
#include "common/redis_client.h"
#include "common/stream_event.h"
#include "common/time_util.h"
#include "services/notify/secret_box.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::testing {

const std::vector<std::string>& NotifyFixture::Units() {
  static const std::vector<std::string> units = {"dept-kgx", "dept-zrj", "town-chengan", "leader-equipment"};
  return units;
}

NotifyFixture::NotifyFixture(absl::CivilSecond start, RedisSetup redis_setup)
    : SuiteFixture(start, redis_setup) {
  auto unit = [&](const std::string& id, rv1::UnitKind kind, const std::string& supervisor) {
    rv1::CreateUnitRequest req;
    req.mutable_unit()->set_unit_id(id);
    req.mutable_unit()->set_name(id);
    req.mutable_unit()->set_kind(kind);
    req.mutable_unit()->set_supervisor_unit_id(supervisor);
    rv1::CreateUnitResponse resp;
    grpc::Status s = stub().CreateUnit(Ctx(admin_token).get(), req, &resp);
    if (!s.ok()) throw std::runtime_error("unit: " + s.error_message());
  };
  unit("dept-kgx", rv1::UNIT_KIND_DEPARTMENT, "");
  unit("dept-zrj", rv1::UNIT_KIND_DEPARTMENT, "dept-kgx");
  unit("town-chengan", rv1::UNIT_KIND_TOWNSHIP, "dept-kgx");
  unit("leader-equipment", rv1::UNIT_KIND_CITY_LEADER, "");
}

NotifyFixture::~NotifyFixture() {
  for (auto& r : replicas_) {
    if (r != nullptr) r->Kill();
  }
}

void NotifyFixture::StartNotify(int i, const std::vector<std::string>& extra,
                                const std::map<std::string, std::string>& env) {
  if (static_cast<int>(replicas_.size()) <= i) {
    replicas_.resize(i + 1);
    ports_.resize(i + 1);
    stubs_.resize(i + 1);
  }
  const std::string port_file = dir().File(absl::StrCat("notify", i, ".port"));
  std::filesystem::remove(port_file);
  std::vector<std::string> args = ServiceArgs("uplift-notify", port_file, "notify-data");
  // Webhook receivers in tests listen on loopback: allow it (the suite's
  // own ports stay denied).
  args.insert(args.end(),
              {"--registry-addr", address(), "--consumer-name", absl::StrCat("replica-", i),
               "--sweep-interval", "200ms", "--claim-idle", "1s", "--max-deliveries", "3",
               "--webhook-timeout", "1s", "--webhook-retry-first", "100ms", "--webhook-retry-cap",
               "1s", "--delivery-lease", "3s", "--quiet-hours", "off", "--webhook-allow",
               "127.0.0.1/32"});
  args.insert(args.end(), extra.begin(), extra.end());
  replicas_[i] = std::make_unique<Process>(UPLIFT_NOTIFY_BIN, args,
                                           dir().File(absl::StrCat("notify", i, ".log")), env);
  replicas_[i]->Start();
  // A sanitizer build on a loaded machine may take a while after a kill -9.
  ports_[i] = WaitForPortFile(port_file, absl::Seconds(60));
  stubs_[i] = nv1::Notification::NewStub(*MakeChannel(notify_address(i), {}));
}

void NotifyFixture::KillNotify(int i) { replicas_[i]->Kill(); }

int NotifyFixture::StopNotify(int i) {
  stubs_[i].reset();
  return replicas_[i]->Terminate();
}

std::string NotifyFixture::NotifyLog(int i) const { return replicas_[i]->Log(); }

std::string NotifyFixture::notify_address(int i) const { return absl::StrCat("127.0.0.1:", ports_[i]); }

nv1::Notification::Stub& NotifyFixture::notify(int i) { return *stubs_[i]; }

std::string NotifyFixture::TokenFor(const std::string& unit) {
  using namespace uplift::auth::v1;
  const Role role = unit.rfind("dept-", 0) == 0   ? ROLE_DEPARTMENT
                    : unit.rfind("town-", 0) == 0 ? ROLE_TOWNSHIP
                    : unit.rfind("leader-", 0) == 0 ? ROLE_LEADER
                                                    : ROLE_PROVINCE;
  return keys().Token(role, unit, unit + "-person");
}

grpc::Status NotifyFixture::AddChannel(const nv1::Channel& channel) {
  nv1::AddChannelRequest req;
  *req.mutable_channel() = channel;
  req.set_request_id(absl::StrCat("add-channel-", ++channels_added_));
  nv1::AddChannelResponse resp;
  return notify().AddChannel(Ctx(admin_token).get(), req, &resp);
}

void NotifyFixture::AddWebhook(const std::string& unit, const std::string& url) {
  nv1::AddChannelRequest req;
  req.mutable_channel()->set_unit_id(unit);
  req.mutable_channel()->set_url(url);
  req.mutable_channel()->set_secret("shared-secret-of-" + unit);
  nv1::AddChannelResponse resp;
  grpc::Status s = notify().AddChannel(Ctx(admin_token).get(), req, &resp);
  if (!s.ok()) throw std::runtime_error("channel: " + s.error_message());
}

void NotifyFixture::CreateChenganEnterprise(int n, const std::string& name) {
  rv1::CreateEnterpriseRequest req;
  req.mutable_enterprise()->set_credit_code(TestCreditCode(n));
  req.mutable_enterprise()->set_name(name);
  req.mutable_enterprise()->set_cluster_id("equipment");
  req.mutable_enterprise()->set_township_id("town-chengan");
  rv1::CreateEnterpriseResponse resp;
  grpc::Status s = stub().CreateEnterprise(Ctx(admin_token).get(), req, &resp);
  if (!s.ok()) throw std::runtime_error("enterprise: " + s.error_message());
}

std::string NotifyFixture::RaiseLandProblemAtDepartment(int n) {
  namespace tv1 = uplift::tasks::v1;
  const std::string town =
      keys().Token(uplift::auth::v1::ROLE_TOWNSHIP, "town-chengan", "承安镇工作专班");
  tv1::RaiseProblemRequest raise;
  raise.set_plan_id("xinle-2023");
  raise.mutable_problem()->set_credit_code(TestCreditCode(n));
  raise.mutable_problem()->set_category("land");
  raise.mutable_problem()->set_title("二期厂房用地指标不足");
  raise.mutable_problem()->set_description("缺少建设用地指标约20亩");
  tv1::RaiseProblemResponse raised;
  grpc::Status s = tasks().RaiseProblem(Ctx(town).get(), raise, &raised);
  if (!s.ok()) throw std::runtime_error("raise: " + s.error_message());
  tv1::EscalateProblemRequest up;
  up.set_problem_id(raised.problem().problem_id());
  up.set_reason("乡镇无用地指标调剂权限");
  tv1::EscalateProblemResponse moved;
  s = tasks().EscalateProblem(Ctx(town).get(), up, &moved);
  if (!s.ok()) throw std::runtime_error("escalate: " + s.error_message());
  return raised.problem().problem_id();
}

uplift::tasks::v1::Problem NotifyFixture::EscalateToLeader(const std::string& problem_id) {
  const std::string land =
      keys().Token(uplift::auth::v1::ROLE_DEPARTMENT, "dept-zrj", "自然资源和规划局");
  uplift::tasks::v1::EscalateProblemRequest up;
  up.set_problem_id(problem_id);
  up.set_reason("年度指标已用完，需全市统筹");
  uplift::tasks::v1::EscalateProblemResponse moved;
  grpc::Status s = tasks().EscalateProblem(Ctx(land).get(), up, &moved);
  if (!s.ok()) throw std::runtime_error("escalate: " + s.error_message());
  return moved.problem();
}

std::string NotifyFixture::PublishEscalation(const std::string& problem_id, const std::string& owner) {
  uplift::tasks::v1::ProblemEscalated e;
  e.set_problem_id(problem_id);
  e.set_credit_code(TestCreditCode(1));
  e.set_enterprise_name("新乐市华信机械制造有限公司");
  e.set_title("用地指标不足");
  e.set_from_rung(uplift::tasks::v1::RUNG_TOWNSHIP);
  e.set_from_unit_id("town-chengan");
  e.set_to_rung(uplift::tasks::v1::RUNG_DEPARTMENT);
  e.set_new_owner_unit_id(owner);
  e.set_reason("乡镇无法解决");
  *e.mutable_deadline() = ToProtoTimestamp(absl::Now() + absl::Hours(24 * 7));
  // Each escalation a new version of its problem, as the outbox numbers them.
  return Publish("uplift-tasks", "problem/" + problem_id, ++escalations_[problem_id], e);
}

std::map<std::string, int> NotifyFixture::InboxEvents(const std::string& unit) {
  std::map<std::string, int> out;
  nv1::ListInboxRequest req;
  req.set_unit_id(unit);
  req.set_page_size(1000);
  for (;;) {
    nv1::ListInboxResponse resp;
    for (int attempt = 0;; ++attempt) {
      grpc::Status s = notify().ListInbox(Ctx(admin_token).get(), req, &resp);
      if (s.ok()) break;
      if (attempt > 50) throw std::runtime_error("inbox: " + s.error_message());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (const auto& n : resp.notifications()) ++out[n.source_event_id()];
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return out;
}

}  // namespace uplift::testing

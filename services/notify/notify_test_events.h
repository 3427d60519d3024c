// For tests of NotifyService: the service on an in-memory database, a
// webhook sender that records requests and answers as told, principals, and
// the stream events the service consumes.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/common_schema.h"
#include "common/event_router.h"
#include "common/ids.h"
#include "common/stream_event.h"
#include "common/time_util.h"
#include "services/notify/fake_units.h"
#include "services/notify/notify_schema.h"
#include "services/notify/notify_service.h"
#include "services/notify/webhook_sender.h"
#include "tests/support/test_store.h"
#include "uplift/indicators/v1/indicator_events.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::notify {

namespace av1 = uplift::auth::v1;
namespace tv1 = uplift::tasks::v1;

class FakeSender : public WebhookSender {
 public:
  WebhookResult Post(const WebhookRequest& r) override {
    requests.push_back({r.url, r.headers, r.body});
    if (during) during();
    if (answer) return answer(r);
    if (next.empty()) return {200, ""};
    WebhookResult result = next.front();
    next.erase(next.begin());
    return result;
  }
  struct Request {
    std::string url;
    std::map<std::string, std::string> headers;
    std::string body;
  };
  std::vector<Request> requests;
  std::vector<WebhookResult> next;
  std::function<void()> during;  // called while a request is being sent
  std::function<WebhookResult(const WebhookRequest&)> answer;  // instead of `next`
};

inline Principal Who(av1::Role role, const std::string& unit) {
  Principal p;
  p.role = role;
  p.unit_id = unit;
  p.subject = unit.empty() ? "admin" : unit + "-person";
  return p;
}

inline StreamEvent Escalation(const std::string& problem, const std::string& owner,
                              const std::string& event_id = "") {
  tv1::ProblemEscalated e;
  e.set_problem_id(problem);
  e.set_enterprise_name("新乐市华信机械制造有限公司");
  e.set_title("用地指标不足");
  e.set_from_rung(tv1::RUNG_TOWNSHIP);
  e.set_from_unit_id("town-chengan");
  e.set_to_rung(tv1::RUNG_DEPARTMENT);
  e.set_new_owner_unit_id(owner);
  e.set_reason("乡镇无法解决");
  static int64_t version = 0;  // each escalation newer than the last, as the outbox numbers them
  StreamEvent ev;
  ev.event_id = event_id.empty() ? NewUuid() : event_id;
  ev.type = e.GetDescriptor()->full_name();
  ev.subject = "problem/" + problem;
  ev.version = ++version;
  e.SerializeToString(&ev.payload);
  return ev;
}

inline StreamEvent Reminder(const std::string& unit, const std::string& task) {
  tv1::ProgressReminder r;
  r.set_plan_id("xinle-2023");
  r.set_task_id(task);
  r.set_task_number("二(五)" + task);
  r.set_task_title("提升服务能力");
  r.set_unit_id(unit);
  r.set_period("2023-05");
  r.set_due_on("2023-06-05");
  StreamEvent ev;
  ev.event_id = NewUuid();
  ev.type = r.GetDescriptor()->full_name();
  ev.subject = "reminder/" + unit + "/" + task;
  ev.version = 1;
  r.SerializeToString(&ev.payload);
  return ev;
}

// 科工信局 asked to confirm the 销号 of task 2.1.3, submitted by 发改局.
// The entry that carries `r` on uplift:requests.
// `version`: the subject's outbox sequence (the router keeps only newer).
inline StreamEvent RequestEvent(const tv1::ActionRequested& r, const std::string& event_id = "",
                                int64_t version = 1) {
  StreamEvent ev;
  ev.event_id = event_id.empty() ? NewUuid() : event_id;
  ev.type = r.GetDescriptor()->full_name();
  ev.subject = r.subject();
  ev.version = version;
  r.SerializeToString(&ev.payload);
  return ev;
}

inline StreamEvent ClosureRequest(const std::string& event_id = "") {
  tv1::ActionRequested r;
  r.set_action(tv1::ActionRequested::ACTION_CONFIRM_CLOSURE);
  r.set_unit_id("dept-kgx");
  r.set_unit_name("市科技和工业信息化局");
  r.set_from_unit_id("dept-fgj");
  r.set_from_unit_name("市发展改革局");
  r.set_plan_id("xinle-2023");
  r.set_subject("task/xinle-2023/2.1.3");
  r.set_task_id("2.1.3");
  r.set_title("二(一)3 推进固链强链");
  r.set_text("推动3个链主项目落地。");
  return RequestEvent(r, event_id);
}

// An indicator behind its target in `period`, to `recipients`.
inline StreamEvent Alert(const std::vector<std::string>& recipients,
                         const std::string& period = "2023-09") {
  uplift::indicators::v1::IndicatorAlert alert;
  alert.set_plan_id("xinle-2023");
  alert.set_target_id("cluster-revenue-growth");
  alert.set_period(period);
  alert.set_title("指标预警：集群营业收入增速低于目标");
  alert.set_message("1-9月集群营业收入同比增长9.5%，低于12%的目标。");
  for (const std::string& unit : recipients) alert.add_recipient_unit_ids(unit);
  StreamEvent e;
  e.event_id = NewUuid();
  e.type = alert.GetDescriptor()->full_name();
  e.subject = "alert/xinle-2023/cluster-revenue-growth/" + period;
  e.version = 1;
  alert.SerializeToString(&e.payload);
  return e;
}

// The service on an in-memory database at 2023-06-01 10:00 in Xinle (a
// ManualClock), with fake units, a fake sender and its event router.
struct NotifyHarness {
  explicit NotifyHarness(NotifyOptions options = {}, sql::Engine engine = sql::Engine::kSqlite)
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime())),
        db_(testing::OpenTestStore(engine, {CommonMigrations(), NotifyMigrations()})),
        box_(*SecretBox::FromKey(std::string(32, 'k'))),
        service_(db_.get(), &clock_, &box_, &units_, nullptr, std::move(options)),
        router_(db_.get(), &clock_, nullptr) {
    service_.RegisterEventHandlers(&router_);
  }

  ManualClock clock_;
  std::unique_ptr<sql::Store> db_;
  SecretBox box_;
  FakeUnits units_;
  FakeSender sender_;
  NotifyService service_;
  EventRouter router_;
};

}  // namespace uplift::notify

// What a person reads: the notification a unit receives for each kind of
// event, in Chinese, with the attributes a receiving system can act on.
// Pure functions; the service fills in ids, times and policies.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/working_calendar.h"
#include "uplift/indicators/v1/indicator_events.pb.h"
#include "uplift/notify/v1/notify.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::notify {

// "由市自然资源和规划局上报至装备制造产业集群包联市领导，理由：……，办理时限：12月16日
// （还有10个工作日）。": names, never ids; the working days left as of `now`
// on `calendar`.
v1::Notice FromEscalation(const uplift::tasks::v1::ProblemEscalated& e, absl::Time now,
                          const WorkingCalendar& calendar);

// "12月16日（还有10个工作日）", "12月16日（今日到期）", "12月16日（已超期）".
std::string DeadlineWords(absl::Time deadline, absl::Time now, const WorkingCalendar& calendar);
v1::Notice FromReminder(const uplift::tasks::v1::ProgressReminder& r);
// "延期审批：「扩建用地指标不足」", "销号确认：二(一)3 推进固链强链" ...: what the
// unit must decide, who asked and why.
v1::Notice FromRequest(const uplift::tasks::v1::ActionRequested& r, absl::Time now,
                       const WorkingCalendar& calendar);
// One notification per recipient unit of the alert.
std::vector<v1::Notice> FromAlert(const uplift::indicators::v1::IndicatorAlert& a);
// "2小时", "30分钟", "1天", "1小时30分钟".
std::string DurationWords(absl::Duration d);

// The notice to `supervisor` that `unacked` went unacknowledged for `waited`.
v1::Notice SupervisorNotice(const v1::Notice& unacked, const std::string& supervisor,
                            const std::string& unit_name,
                                  absl::Duration waited);
// The reminders of one unit in one message.
// To the plan owner: an escalation reached nobody of `unacked`'s unit
// within its policy's time (no channel but the inbox took it; `tried` are
// its deliveries). Requires acknowledgement.
v1::Notice UndeliverableAlert(const v1::Notice& unacked, const std::string& owner,
                              const std::string& unit_name, const std::vector<v1::Delivery>& tried);

v1::Notice Digest(const std::string& unit_id, const std::vector<v1::Notice>& reminders);

}  // namespace uplift::notify

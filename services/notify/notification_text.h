// What a person reads: the notification a unit receives for each kind of
// event, in Chinese, with the attributes a receiving system can act on.
// Pure functions; the service fills in ids, times and policies.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "uplift/indicators/v1/indicator_events.pb.h"
#include "uplift/notify/v1/notify.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::notify {

v1::Notice FromEscalation(const uplift::tasks::v1::ProblemEscalated& e);
v1::Notice FromReminder(const uplift::tasks::v1::ProgressReminder& r);
// One notification per recipient unit of the alert.
std::vector<v1::Notice> FromAlert(const uplift::indicators::v1::IndicatorAlert& a);
// The notice to `supervisor` that `unacked` went unacknowledged for `waited`.
v1::Notice SupervisorNotice(const v1::Notice& unacked, const std::string& supervisor,
                            const std::string& unit_name,
                                  absl::Duration waited);
// The reminders of one unit in one message.
v1::Notice Digest(const std::string& unit_id, const std::vector<v1::Notice>& reminders);

}  // namespace uplift::notify

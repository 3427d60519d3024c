// How a person wants each kind of notification: which of their channels
// (SMS, e-mail, their own 企业微信/钉钉 robots) it goes to, and their quiet
// hours, which hold alerts and digests but never an escalation.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/notify/quiet_hours.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {

// The kinds pushed to people: escalations, supervisor notices, alerts, digests.
bool IsPersonalKind(v1::Kind kind);
// The channel types a person's preferences name: SMS, EMAIL, WECOM, DINGTALK.
bool IsPersonalChannelType(v1::ChannelType type);
// Kinds an escalation's urgency carries through quiet hours.
bool IgnoresQuietHours(v1::Kind kind);

// Checks `p` and puts it in its one form (routes by kind, channel types
// sorted, unique); an error names the field ("preferences.routes[1].kind").
absl::Status CheckPreferences(v1::Preferences* p);

// Where `kind` goes under `p`: its route, or the default (escalations and
// supervisor notices by SMS and robots, alerts and digests by e-mail).
std::vector<v1::ChannelType> ChannelTypesFor(const v1::Preferences& p, v1::Kind kind);

// When a notification of `kind` may go to the person at `now`: now, or the
// end of their quiet hours.
absl::Time PersonalSendTime(const v1::Preferences& p, v1::Kind kind, absl::Time now);

}  // namespace uplift::notify

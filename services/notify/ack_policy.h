// What the escalation policy says about one notification that requires an
// acknowledgement: nothing yet, send it again, or also tell the unit's
// supervisor; after that the policy has nothing more to do.
#pragma once

#include "absl/time/time.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {

enum class AckAction { kWait, kResend, kNotifySupervisor, kExhausted };

AckAction NextAckAction(const uplift::notify::v1::Notice& n,
                        const uplift::notify::v1::EscalationPolicy& policy, absl::Time now);

// The policy used when none was set for a message type: acknowledge within
// 2 hours, one resend, then the supervisor.
uplift::notify::v1::EscalationPolicy DefaultPolicy(const std::string& message_type);

}  // namespace uplift::notify

// Acknowledgement policy decisions.
#include "services/notify/ack_policy.h"

#include "common/time_util.h"

namespace uplift::notify {

AckAction NextAckAction(const uplift::notify::v1::Notice& n,
                        const uplift::notify::v1::EscalationPolicy& p, absl::Time now) {
  if (!n.requires_ack() || n.acknowledged()) return AckAction::kWait;
  if (now < FromProtoTimestamp(n.ack_deadline())) return AckAction::kWait;
  if (n.resend_count() < p.resends()) return AckAction::kResend;
  if (p.notify_supervisor() && n.supervisor_unit_id().empty()) return AckAction::kNotifySupervisor;
  return AckAction::kExhausted;
}

uplift::notify::v1::EscalationPolicy DefaultPolicy(const std::string& message_type) {
  uplift::notify::v1::EscalationPolicy p;
  p.set_message_type(message_type);
  p.set_version(1);
  p.mutable_ack_within()->set_seconds(2 * 3600);
  p.set_resends(1);
  p.set_notify_supervisor(true);
  return p;
}

}  // namespace uplift::notify

// NotifyService: escalation policies (resend, then the supervisor) and
// reminder digests.
#include <spdlog/spdlog.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "services/notify/ack_policy.h"
#include "services/notify/notification_text.h"
#include "services/notify/notify_service.h"
#include "services/notify/notify_store.h"

namespace uplift::notify {
namespace {

constexpr int kSweepBatch = 200;

// The latest digest time at or before `now` (today's or yesterday's).
std::optional<absl::Time> LastDigestSlot(const std::vector<int>& minutes, absl::Time now) {
  const absl::CivilDay today = ShanghaiDay(now);
  std::optional<absl::Time> best;
  for (absl::CivilDay day : {today - 1, today}) {
    for (int m : minutes) {
      const absl::Time slot = absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), m / 60, m % 60),
                                              ShanghaiTime());
      if (slot <= now && (!best.has_value() || slot > *best)) best = slot;
    }
  }
  return best;
}

}  // namespace

absl::StatusOr<SweepCounts> NotifyService::Sweep() {
  SweepCounts counts;
  std::vector<v1::Notice> due;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    due = store::PolicyDue(db, clock_->Now(), kSweepBatch);
    return absl::OkStatus();
  }));
  for (const v1::Notice& n : due) {
    absl::Status s = ApplyPolicy(n, &counts);
    if (!s.ok()) {
      spdlog::warn("policy of {} not applied this round: {}", n.notification_id(), s.ToString());
      ++counts.skipped;
    }
  }
  ASSIGN_OR_RETURN(counts.digests, RunDigests());
  if (counts.resent + counts.supervisors + counts.digests > 0) NotificationsPushed();
  return counts;
}

absl::Status NotifyService::ApplyPolicy(const v1::Notice& loaded, SweepCounts* counts) {
  v1::EscalationPolicy policy;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::optional<v1::EscalationPolicy> p = store::PolicyVersion(db, loaded.source_type(), loaded.policy_version());
    policy = p.has_value() ? *p : DefaultPolicy(loaded.source_type());
    return absl::OkStatus();
  }));
  const absl::Time now = clock_->Now();
  const AckAction action = NextAckAction(loaded, policy, now);
  // The supervisor comes from the registry, outside any transaction.
  std::string supervisor, unit_name;
  if (action == AckAction::kNotifySupervisor) {
    ASSIGN_OR_RETURN(const uplift::registry::v1::Unit unit, units_->GetUnit(loaded.unit_id()));
    supervisor = unit.supervisor_unit_id();
    unit_name = unit.name();
  }
  // An escalation whose time ran out is checked once for having reached
  // anybody (the unit's name for the plan owner's alert).
  const bool check_reached = action != AckAction::kWait && loaded.kind() == v1::KIND_ESCALATION &&
                             loaded.attributes().count(kReachedChecked) == 0 &&
                             !options_.undeliverable_alert_unit.empty();
  if (check_reached && unit_name.empty()) {
    absl::StatusOr<uplift::registry::v1::Unit> unit = units_->GetUnit(loaded.unit_id());
    if (unit.ok()) unit_name = unit->name();
  }
  const absl::Duration ack_within = absl::Seconds(policy.ack_within().seconds());
  int resent = 0, supervisors = 0;  // this run's, the write may run again
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    resent = supervisors = 0;
    std::optional<v1::Notice> n = store::FindNotification(tx, loaded.notification_id());
    // Acknowledged or handled by another replica meanwhile.
    if (!n.has_value() || n->acknowledged() || n->resend_count() != loaded.resend_count() ||
        n->supervisor_unit_id() != loaded.supervisor_unit_id()) {
      return absl::OkStatus();
    }
    if (check_reached) {
      (*n->mutable_attributes())[kReachedChecked] = "1";
      RETURN_IF_ERROR(AlertIfReachedNobody(tx, *n, unit_name));
    }
    switch (action) {
      case AckAction::kWait:
        return absl::OkStatus();
      case AckAction::kResend: {
        n->set_resend_count(n->resend_count() + 1);
        *n->mutable_ack_deadline() = ToProtoTimestamp(now + ack_within);
        store::SaveNotification(tx, *n, now + ack_within);
        Push(tx, *n, n->resend_count());
        ++resent;
        return absl::OkStatus();
      }
      case AckAction::kNotifySupervisor: {
        if (supervisor.empty()) {
          // Nobody above in the registry: the policy is done.
          (*n->mutable_attributes())["supervisor"] = "none in the registry";
          n->set_supervisor_unit_id("-");
          store::SaveNotification(tx, *n, std::nullopt);
          spdlog::warn("{} unacknowledged by {}, which has no supervisor in the registry",
                       n->notification_id(), n->unit_id());
          return absl::OkStatus();
        }
        const absl::Duration waited = now - FromProtoTimestamp(n->create_time());
        v1::Notice notice = SupervisorNotice(*n, supervisor, unit_name, waited);
        notice.set_policy_version(n->policy_version());
        *notice.mutable_ack_deadline() = ToProtoTimestamp(now + ack_within);
        StreamEvent source;
        source.event_id = n->notification_id();  // one notice per notification
        source.type = n->source_type();
        RETURN_IF_ERROR(Create(tx, notice, source, /*pushed=*/true, std::nullopt).status());
        n->set_supervisor_unit_id(supervisor);
        store::SaveNotification(tx, *n, std::nullopt);
        ++supervisors;
        return absl::OkStatus();
      }
      case AckAction::kExhausted:
        store::SaveNotification(tx, *n, std::nullopt);
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }));
  counts->resent += resent;
  counts->supervisors += supervisors;
  return absl::OkStatus();
}

absl::Status NotifyService::AlertIfReachedNobody(sql::Connection& tx, const v1::Notice& n,
                                                 const std::string& unit_name) {
  const std::vector<v1::Delivery> tried = store::DeliveriesOf(tx, n.notification_id());
  for (const v1::Delivery& d : tried) {
    if (d.channel_type() != v1::CHANNEL_TYPE_INBOX &&
        (d.state() == v1::DELIVERY_STATE_SENT || d.state() == v1::DELIVERY_STATE_DELIVERED)) {
      return absl::OkStatus();
    }
  }
  spdlog::warn("{} reached nobody of {} in its policy's time: {} told", n.notification_id(),
               n.unit_id(), options_.undeliverable_alert_unit);
  StreamEvent source;
  source.event_id = absl::StrCat("undeliverable/", n.notification_id());  // one alert each
  source.type = "uplift.notify.v1.Undeliverable";
  return Create(tx, UndeliverableAlert(n, options_.undeliverable_alert_unit, unit_name, tried),
                source, /*pushed=*/true, std::nullopt)
      .status();
}

absl::StatusOr<int> NotifyService::RunDigests() {
  const absl::Time now = clock_->Now();
  if (options_.quiet.Contains(now)) return 0;
  const std::optional<absl::Time> slot = LastDigestSlot(options_.digest_minutes, now);
  if (!slot.has_value()) return 0;
  int digests = 0;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    digests = 0;
    const std::string last = store::GetMeta(tx, "last_digest");
    if (!last.empty() && last >= FormatRfc3339(*slot)) return absl::OkStatus();
    std::map<std::string, std::vector<v1::Notice>> by_unit;
    for (v1::Notice& r : store::Undigested(tx, 10000)) by_unit[r.unit_id()].push_back(std::move(r));
    for (auto& [unit, reminders] : by_unit) {
      // A digest still queued for a channel is overtaken by this one: it
      // stays in the inbox, but no phone gets yesterday's list after today's.
      const int stale = store::MarkQueuedDeliveriesStale(tx, unit, v1::KIND_REMINDER_DIGEST,
                                                         "已被新的汇总取代，不再发送");
      if (stale > 0)
        spdlog::info("digest of {}: {} queued deliveries of older digests stale", unit, stale);
      StreamEvent source;
      source.event_id = absl::StrCat("digest/", unit, "/", FormatRfc3339(*slot));
      source.type = "uplift.notify.v1.Digest";
      ASSIGN_OR_RETURN(const std::string digest_id,
                       Create(tx, Digest(unit, reminders), source, /*pushed=*/true, std::nullopt));
      if (digest_id.empty()) continue;
      for (v1::Notice& r : reminders) {
        r.set_digest_id(digest_id);
        store::SaveNotification(tx, r, std::nullopt);
        store::MarkDigested(tx, r.notification_id());
      }
      ++digests;
    }
    store::SetMeta(tx, "last_digest", FormatRfc3339(now));
    return absl::OkStatus();
  }));
  return digests;
}

}  // namespace uplift::notify

// NotifyService: stream events into notifications, and pushing them.
#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/stream_consumer.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/notify/ack_links.h"
#include "services/notify/notification_text.h"
#include "services/notify/notify_service.h"
#include "services/notify/notify_store.h"
#include "services/notify/people_store.h"
#include "services/notify/person_preferences.h"

namespace uplift::notify {

absl::StatusOr<std::string> NotifyService::Create(sql::Connection& tx, v1::Notice n,
                                                  const StreamEvent& source, bool pushed,
                                                  std::optional<absl::Time> policy_due) {
  n.set_notification_id(absl::StrCat("nt-", RandomHex(8)));
  n.set_source_event_id(source.event_id);
  n.set_source_type(source.type);
  *n.mutable_create_time() = ToProtoTimestamp(clock_->Now());
  if (!store::InsertNotification(tx, n, pushed, policy_due)) return std::string();  // already there
  if (pushed) Push(tx, n, 0);
  return n.notification_id();
}

namespace {

// What one message goes to: a channel type and its address (a phone, an
// e-mail address, a robot's URL): a person whose mobile is also the unit's
// SMS channel gets one SMS.
std::string Destination(const v1::Channel& c) {
  return absl::StrCat(c.type(), "|", c.address().empty() ? c.url_fingerprint() : c.address());
}

}  // namespace

int NotifyService::Push(sql::Connection& tx, const v1::Notice& n, int resend) {
  const absl::Time now = clock_->Now();
  auto delivery = [&](const v1::Channel& c, v1::DeliveryState state, absl::Time due) {
    v1::Delivery d;
    d.set_delivery_id(absl::StrCat("dl-", RandomHex(8)));
    d.set_notification_id(n.notification_id());
    d.set_channel_id(c.channel_id());
    d.set_channel_type(c.type());
    d.set_unit_id(n.unit_id());
    d.set_login(c.owner_login());
    d.set_state(state);
    d.set_resend(resend);
    *d.mutable_create_time() = ToProtoTimestamp(now);
    if (state == v1::DELIVERY_STATE_DELIVERED) {
      *d.mutable_delivered_time() = ToProtoTimestamp(now);
    } else {
      *d.mutable_next_attempt_time() = ToProtoTimestamp(due);
    }
    store::InsertDelivery(tx, d);
    // A person reads it: the message carries a link that acknowledges it.
    if (n.requires_ack() && !options_.ack_link_base.empty() &&
        c.type() != v1::CHANNEL_TYPE_WEBHOOK && state == v1::DELIVERY_STATE_PENDING) {
      InsertAckLink(
          tx, NewAckLink(n.notification_id(), n.unit_id(), d.delivery_id(), now, c.owner_login()));
    }
  };
  if (resend == 0) {
    v1::Channel inbox;
    inbox.set_channel_id("inbox");
    inbox.set_type(v1::CHANNEL_TYPE_INBOX);
    delivery(inbox, v1::DELIVERY_STATE_DELIVERED, now);
  }
  int queued = 0;
  std::set<std::string> destinations;
  for (const v1::Channel& c : store::ListChannels(tx, n.unit_id())) {
    destinations.insert(Destination(c));
    delivery(c, v1::DELIVERY_STATE_PENDING, now);
    ++queued;
  }
  // Each active person of the unit, on the channels their preferences name.
  for (const v1::Person& person : store::ActivePeople(tx, n.unit_id())) {
    const std::vector<v1::ChannelType> types = ChannelTypesFor(person.preferences(), n.kind());
    const absl::Time due = PersonalSendTime(person.preferences(), n.kind(), now);
    for (const v1::Channel& c : person.channels()) {
      if (std::find(types.begin(), types.end(), c.type()) == types.end()) continue;
      if (!destinations.insert(Destination(c)).second) continue;
      delivery(c, v1::DELIVERY_STATE_PENDING, due);
      ++queued;
    }
  }
  store::AppendFeed(tx, n.unit_id(), n.notification_id(), resend > 0, now);
  return queued;
}

void NotifyService::RegisterEventHandlers(EventRouter* router) {
  router_ = router;
  using uplift::indicators::v1::IndicatorAlert;
  using uplift::tasks::v1::ActionRequested;
  using uplift::tasks::v1::ProblemEscalated;
  using uplift::tasks::v1::ProgressReminder;
  router->On<ProblemEscalated>([this](sql::Connection& tx, const ProblemEscalated& escalation,
                                      const StreamEvent& event) -> absl::Status {
    if (escalation.new_owner_unit_id().empty() || escalation.problem_id().empty()) {
      return PoisonError(absl::StrCat("event ", QuoteInput(event.event_id),
                                      ": escalation names no owner or problem"));
    }
    // A problem keeps the policy version it started under.
    ASSIGN_OR_RETURN(const v1::EscalationPolicy current, PolicyFor(tx, event.type));
    const int version = store::PinPolicy(tx, escalation.problem_id(), event.type, current.version());
    std::optional<v1::EscalationPolicy> policy = store::PolicyVersion(tx, event.type, version);
    if (!policy.has_value()) return absl::InternalError("pinned policy version is missing");
    v1::Notice n = FromEscalation(escalation, clock_->Now(), calendar_);
    n.set_policy_version(version);
    const absl::Time due = clock_->Now() + absl::Seconds(policy->ack_within().seconds());
    *n.mutable_ack_deadline() = ToProtoTimestamp(due);
    return Create(tx, n, event, /*pushed=*/true, due).status();
  });
  router->On<ProgressReminder>(
      [this](sql::Connection& tx, const ProgressReminder& reminder, const StreamEvent& event) {
        // Held for the next digest outside quiet hours.
        return Create(tx, FromReminder(reminder), event, /*pushed=*/false, std::nullopt).status();
      });
  router->On<ActionRequested>([this](sql::Connection& tx, const ActionRequested& request,
                                     const StreamEvent& event) -> absl::Status {
    if (request.unit_id().empty()) {
      return PoisonError(
          absl::StrCat("event ", QuoteInput(event.event_id), ": the request names no unit"));
    }
    return Create(tx, FromRequest(request, clock_->Now(), calendar_), event, /*pushed=*/true,
                  std::nullopt)
        .status();
  });
  router->On<IndicatorAlert>([this](sql::Connection& tx, const IndicatorAlert& alert,
                                    const StreamEvent& event) -> absl::Status {
    for (const v1::Notice& n : FromAlert(alert)) {
      RETURN_IF_ERROR(Create(tx, n, event, /*pushed=*/true, std::nullopt).status());
    }
    return absl::OkStatus();
  });
  router->AfterCommit([this] { NotificationsPushed(); });
}

}  // namespace uplift::notify

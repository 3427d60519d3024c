// NotifyService: inboxes, acknowledgements, channels, deliveries, dead
// letters, policies. Events, the sweep and webhook delivery live in the
// other notify_service_*.cc files.
#include "services/notify/notify_service.h"

#include "common/sql/store.h"
#include "services/notify/ack_links.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/page.h"
#include "common/status_macros.h"
#include "common/suite_catalog.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/notify/ack_policy.h"
#include "services/notify/channel_checks.h"
#include "services/notify/notify_store.h"
#include "services/notify/webhook_address_policy.h"
#include "services/notify/webhook_signature.h"

namespace uplift::notify {
namespace {

constexpr int kMaxList = 1000;

absl::Status NotFound(const std::string& what) { return absl::NotFoundError(what + " does not exist"); }

absl::Status CheckNotificationId(const std::string& id) {
  if (id.rfind("nt-", 0) != 0 || id.size() != 19) {
    return FieldError("notification_id", absl::StrCat(QuoteInput(id), " is not a notification id such as nt-0123456789abcdef"));
  }
  return absl::OkStatus();
}

}  // namespace

NotifyService::NotifyService(sql::Store* db, const Clock* clock, const SecretBox* secrets,
                             UnitDirectory* units, RedisClient* redis, NotifyOptions options)
    : db_(db),
      clock_(clock),
      secrets_(secrets),
      units_(units),
      redis_(redis),
      options_(std::move(options)),
      audit_(clock),
      idempotency_(clock),
      destinations_(options_.in_flight_per_destination),
      robots_(options_.robot_sends_per_window, options_.robot_window),
      calendar_(WorkingCalendar::Builtin().value_or(WorkingCalendar())),
      rng_(std::random_device{}()) {}

absl::Status NotifyService::SealLegacyChannelUrls() {
  return db_->Write([&](sql::Connection& tx) {
    for (v1::Channel c : store::ChannelsWithClearUrls(tx)) {
      const std::string sealed = secrets_->Seal(c.url());
      c.set_url_fingerprint(Fingerprint(c.url()));
      c.set_url(RedactedUrl(c.url()));
      store::SealChannelUrl(tx, c, sealed);
    }
    return absl::OkStatus();
  });
}

absl::Status NotifyService::CanRead(const Principal& who, absl::string_view method,
                                    const std::string& unit_id) const {
  RETURN_IF_ERROR(access_.Gate(who, method));
  RETURN_IF_ERROR(CheckId("unit_id", unit_id));
  if (access_.CheckUnit(who, method, unit_id).ok()) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "the notifications of ", unit_id, " are for that unit; you act for ",
      who.unit_id.empty() ? RoleName(who.role) : who.unit_id));
}

absl::StatusOr<std::vector<v1::Notice>> NotifyService::Backlog(const std::string& unit_id) {
  std::vector<v1::Notice> out;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    out = store::Backlog(db, unit_id, kMaxList);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::ListInboxResponse> NotifyService::ListInbox(const Principal& who,
                                                                const v1::ListInboxRequest& req) {
  RETURN_IF_ERROR(CanRead(who, "ListInbox", req.unit_id()));
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  const std::string filter = absl::StrCat(req.unit_id(), "|", req.unread_only());
  ASSIGN_OR_RETURN(const std::string after, DecodePageToken(req.page_token(), filter));
  v1::ListInboxResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    std::vector<v1::Notice> page = store::ListInbox(db, req.unit_id(), req.unread_only(), after, page_size + 1);
    if (static_cast<int>(page.size()) > page_size) {
      page.pop_back();
      response.set_next_page_token(EncodePageToken(store::InboxCursor(db, page.back()), filter));
    }
    for (v1::Notice& n : page) *response.add_notifications() = std::move(n);
    response.set_unread(store::CountUnread(db, req.unit_id()));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetNotificationResponse> NotifyService::GetNotification(
    const Principal& who, const v1::GetNotificationRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "GetNotification"));
  RETURN_IF_ERROR(CheckNotificationId(req.notification_id()));
  v1::GetNotificationResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::optional<v1::Notice> n = store::FindNotification(db, req.notification_id());
    if (!n.has_value()) return NotFound("notification " + req.notification_id());
    RETURN_IF_ERROR(CanRead(who, "GetNotification", n->unit_id()));
    for (v1::Delivery& d : store::DeliveriesOf(db, n->notification_id()))
      *n->add_deliveries() = std::move(d);
    *response.mutable_notification() = std::move(*n);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::AcknowledgeResponse> NotifyService::Acknowledge(const Principal& who,
                                                                    const v1::AcknowledgeRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "Acknowledge"));
  RETURN_IF_ERROR(CheckNotificationId(req.notification_id()));
  v1::AcknowledgeResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Notice> n = store::FindNotification(tx, req.notification_id());
    if (!n.has_value()) return NotFound("notification " + req.notification_id());
    if (!access_.CheckUnit(who, "Acknowledge", n->unit_id()).ok()) {
      return absl::PermissionDeniedError(absl::StrCat("only ", n->unit_id(), " acknowledges its notifications"));
    }
    MarkAcknowledged(tx, who, &*n);
    *response.mutable_notification() = std::move(*n);
    return absl::OkStatus();
  }));
  return response;
}

void NotifyService::MarkAcknowledged(sql::Connection& tx, const Principal& who, v1::Notice* n) {
  if (n->acknowledged()) return;
  const v1::Notice before = *n;
  n->set_acknowledged(true);
  *n->mutable_ack_time() = ToProtoTimestamp(clock_->Now());
  n->set_acknowledged_by(who.subject);
  n->set_acknowledged_by_name(who.subject_name);
  store::SaveNotification(tx, *n, std::nullopt);
  audit_.Record(tx, who, "Acknowledge", "notification/" + n->notification_id(), &before, n, "");
}

absl::StatusOr<v1::AcknowledgeByLinkResponse> NotifyService::AcknowledgeByLink(
    const Principal& who, const v1::AcknowledgeByLinkRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "AcknowledgeByLink"));
  if (!IsAckLinkToken(req.token())) return FieldError("token", "is not a link of ours");
  v1::AcknowledgeByLinkResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<AckLink> link = FindAckLink(tx, req.token());
    // One answer for unknown and expired: a link reveals nothing.
    if (!link.has_value() || clock_->Now() >= link->expires) {
      return absl::NotFoundError("token: 链接不存在或已过期（72小时内有效），请登录后在消息页确认");
    }
    if (!access_.CheckUnit(who, "AcknowledgeByLink", link->unit_id).ok()) {
      return absl::PermissionDeniedError(
          "token: 此链接是发给另一单位的，不能代为确认；转发的链接对他人无效");
    }
    if (!link->login.empty() && link->login != who.subject) {
      return absl::PermissionDeniedError(
          "token: 此链接是发给本单位另一人的，不能代为确认；转发的链接对他人无效");
    }
    if (link->used) return absl::FailedPreconditionError("token: 此链接已使用过");
    std::optional<v1::Notice> n = store::FindNotification(tx, link->notification_id);
    if (!n.has_value()) return NotFound("notification " + link->notification_id);
    MarkAcknowledged(tx, who, &*n);
    MarkAckLinkUsed(tx, link->token, clock_->Now());
    *response.mutable_notification() = std::move(*n);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::AddChannelResponse> NotifyService::AddChannel(const Principal& who,
                                                                  const v1::AddChannelRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "AddChannel"));
  v1::Channel c = req.channel();
  if (!c.owner_login().empty()) {
    RETURN_IF_ERROR(CheckPersonalChannel(who, &c));
  } else {
    RETURN_IF_ERROR(CheckId("channel.unit_id", c.unit_id()));
    if (!access_.CheckUnit(who, "AddChannel", c.unit_id()).ok()) {
      return absl::PermissionDeniedError(
          absl::StrCat("only ", c.unit_id(), " or ADMIN adds its channels"));
    }
  }
  RETURN_IF_ERROR(CheckRequestId("request_id", req.request_id()));
  RETURN_IF_ERROR(CheckChannelInput(&c));
  if (c.type() == v1::CHANNEL_TYPE_SMS && !SmsConfigured(options_.sms)) {
    return absl::FailedPreconditionError(
        "channel.type: this deployment has no SMS gateway (uplift-notify --sms-url)");
  }
  const std::string url = c.url();
  if (options_.addresses != nullptr && c.type() != v1::CHANNEL_TYPE_SMS) {
    absl::StatusOr<WebhookTarget> target = options_.addresses->Resolve(url);
    if (!target.ok() && target.status().code() != absl::StatusCode::kUnavailable) {
      return FieldError("channel.url", target.status().message());
    }
  }
  // The URL may carry an access key (企业微信 and 钉钉 robots do): it is a
  // secret, sealed at rest and shown redacted, in answers and the audit log.
  // An SMS channel has none (the deployment's gateway sends it).
  const std::string url_sealed = secrets_->Seal(url);
  if (!url.empty()) {
    c.set_url(RedactedUrl(url));
    c.set_url_fingerprint(Fingerprint(url));
  }
  c.set_description(TrimText(c.description()));
  RETURN_IF_ERROR(CheckText("channel.description", c.description(), 200, false));
  absl::StatusOr<uplift::registry::v1::Unit> unit = units_->GetUnit(c.unit_id());
  if (unit.status().code() == absl::StatusCode::kNotFound) {
    return FieldError("channel.unit_id", absl::StrCat("no unit ", QuoteInput(c.unit_id()), " in the registry"));
  }
  if (!unit.ok()) return unit.status();
  const std::string sealed = secrets_->Seal(c.secret());
  if (!c.secret().empty()) c.set_secret_fingerprint(Fingerprint(c.secret()));
  c.clear_secret();
  v1::AddChannelResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed,
                     idempotency_.Lookup(tx, who, "AddChannel", req.request_id(), req, &response));
    if (replayed) return absl::OkStatus();
    const bool personal = !c.owner_login().empty();
    const int channels =
        static_cast<int>(personal ? store::PersonChannels(tx, c.owner_login()).size()
                                  : store::ListChannels(tx, c.unit_id()).size());
    if (channels >= options_.max_channels_per_unit) {
      return absl::FailedPreconditionError(
          absl::StrCat(personal ? "channel.owner_login: " : "channel.unit_id: ",
                       personal ? c.owner_login() : c.unit_id(), " has ", channels,
                       " channels, the most one may have (", options_.max_channels_per_unit,
                       "); remove one first"));
    }
    c.set_channel_id(absl::StrCat("ch-", RandomHex(6)));
    *c.mutable_create_time() = ToProtoTimestamp(clock_->Now());
    store::InsertChannel(tx, c, sealed, url_sealed);
    audit_.Record(tx, who, "AddChannel", "channel/" + c.channel_id(), nullptr, &c, req.request_id());
    *response.mutable_channel() = c;
    idempotency_.Remember(tx, who, "AddChannel", req.request_id(), req, response);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListChannelsResponse> NotifyService::ListChannels(const Principal& who,
                                                                      const v1::ListChannelsRequest& req) {
  RETURN_IF_ERROR(CanRead(who, "ListChannels", req.unit_id()));
  v1::ListChannelsResponse response;
  v1::Channel inbox;
  inbox.set_channel_id("inbox");
  inbox.set_unit_id(req.unit_id());
  inbox.set_type(v1::CHANNEL_TYPE_INBOX);
  *response.add_channels() = inbox;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    for (v1::Channel& c : store::ListChannels(db, req.unit_id()))
      *response.add_channels() = std::move(c);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::RemoveChannelResponse> NotifyService::RemoveChannel(const Principal& who,
                                                                        const v1::RemoveChannelRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "RemoveChannel"));
  if (req.channel_id().rfind("ch-", 0) != 0) {
    return FieldError("channel_id", absl::StrCat(QuoteInput(req.channel_id()), " is not a webhook channel id"));
  }
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Channel> c = store::FindChannel(tx, req.channel_id());
    if (!c.has_value()) return NotFound("channel " + req.channel_id());
    if (!c->owner_login().empty()) {
      if (!access_.Check(who, "RemoveChannel", c->owner_login() == who.subject).ok()) {
        return absl::PermissionDeniedError(
            absl::StrCat("only ", c->owner_login(), " or ADMIN removes their channels"));
      }
      if (c->type() == v1::CHANNEL_TYPE_SMS || c->type() == v1::CHANNEL_TYPE_EMAIL) {
        return FieldError("channel_id",
                          "a person's SMS and e-mail channels come from their account (mobile, "
                          "email): change the account, or the preferences");
      }
    } else if (!access_.CheckUnit(who, "RemoveChannel", c->unit_id()).ok()) {
      return absl::PermissionDeniedError(absl::StrCat("only ", c->unit_id(), " or ADMIN removes its channels"));
    }
    store::RemoveChannel(tx, req.channel_id());
    audit_.Record(tx, who, "RemoveChannel", "channel/" + c->channel_id(), &*c, nullptr, "");
    return absl::OkStatus();
  }));
  return v1::RemoveChannelResponse();
}

absl::StatusOr<v1::ListDeliveriesResponse> NotifyService::ListDeliveries(
    const Principal& who, const v1::ListDeliveriesRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListDeliveries"));
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  v1::ListDeliveriesResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::vector<v1::Delivery> found;
    if (!req.notification_id().empty()) {
      RETURN_IF_ERROR(CheckNotificationId(req.notification_id()));
      std::optional<v1::Notice> n = store::FindNotification(db, req.notification_id());
      if (!n.has_value()) return NotFound("notification " + req.notification_id());
      RETURN_IF_ERROR(CanRead(who, "ListDeliveries", n->unit_id()));
      found = store::DeliveriesOf(db, req.notification_id());
    } else {
      RETURN_IF_ERROR(CanRead(who, "ListDeliveries", req.unit_id()));
      found = store::DeliveriesOfUnit(db, req.unit_id(), page_size);
    }
    for (v1::Delivery& d : found) *response.add_deliveries() = std::move(d);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListDeadLettersResponse> NotifyService::ListDeadLetters(
    const Principal& who, const v1::ListDeadLettersRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListDeadLetters"));
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  v1::ListDeadLettersResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    for (v1::Delivery& d : store::DeadDeliveries(db, page_size)) {
      v1::DeadLetter* l = response.add_dead_letters();
      l->set_dead_letter_id(d.delivery_id());
      l->set_source(v1::DeadLetter::SOURCE_DELIVERY);
      l->set_reason(d.last_error());
      *l->mutable_time() = d.next_attempt_time();
      *l->mutable_delivery() = std::move(d);
    }
    return absl::OkStatus();
  }));
  if (redis_ == nullptr) return response;
  for (const suite::v1::Stream* s : StreamsConsumedBy("uplift-notify")) {
    const std::string& stream = s->name();
    const std::string dlq = DeadLetterStream(stream);
    absl::StatusOr<RedisReply> entries = redis_->Command({"XRANGE", dlq, "-", "+", "COUNT", std::to_string(page_size)});
    if (!entries.ok()) return absl::UnavailableError(absl::StrCat("redis: ", entries.status().message()));
    for (const RedisReply& e : entries->elements) {
      if (e.elements.size() != 2) continue;
      std::map<std::string, std::string> fields;
      for (size_t i = 0; i + 1 < e.elements[1].elements.size(); i += 2) {
        fields[e.elements[1].elements[i].str] = e.elements[1].elements[i + 1].str;
      }
      if (fields["dlq_group"] != "uplift-notify") continue;  // another service's
      v1::DeadLetter* l = response.add_dead_letters();
      l->set_dead_letter_id(absl::StrCat(dlq, "/", e.elements[0].str));
      l->set_source(v1::DeadLetter::SOURCE_STREAM);
      l->set_stream(stream);
      l->set_entry_id(fields["dlq_entry_id"]);
      l->set_event_type(fields["type"]);
      l->set_reason(fields["dlq_reason"]);
    }
  }
  return response;
}

absl::StatusOr<v1::RetryDeadLetterResponse> NotifyService::RetryDeadLetter(
    const Principal& who, const v1::RetryDeadLetterRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "RetryDeadLetter"));
  v1::RetryDeadLetterResponse response;
  const std::string& id = req.dead_letter_id();
  if (absl::StartsWith(id, "uplift:dlq:")) {
    // A stream entry: handled again here, through the same router as the
    // consumer (signature, versions and all), then dropped from the dead
    // letters. It is not written back to its stream: only its publisher
    // writes there.
    if (redis_ == nullptr || router_ == nullptr) return absl::UnavailableError("no redis configured");
    const size_t slash = id.rfind('/');
    if (slash == std::string::npos) return FieldError("dead_letter_id", "is not <dlq stream>/<entry id>");
    const std::string dlq = id.substr(0, slash), entry = id.substr(slash + 1);
    const std::string stream = dlq.substr(std::string("uplift:dlq:").size());
    bool consumed = false;
    for (const suite::v1::Stream* s : StreamsConsumedBy("uplift-notify")) consumed |= s->name() == stream;
    if (!consumed) return FieldError("dead_letter_id", "names a stream this service does not consume");
    ASSIGN_OR_RETURN(RedisReply found, redis_->Command({"XRANGE", dlq, entry, entry}));
    if (found.elements.empty()) return NotFound("dead letter " + id);
    ASSIGN_OR_RETURN(const StreamEvent event, ParseStreamEntry(found.elements[0]));
    absl::Status handled = router_->Handle(stream, event);
    if (!handled.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("dead letter ", id, " still cannot be handled: ", handled.message()));
    }
    RETURN_IF_ERROR(redis_->Command({"XDEL", dlq, entry}).status());
    response.mutable_dead_letter()->set_dead_letter_id(id);
    response.mutable_dead_letter()->set_source(v1::DeadLetter::SOURCE_STREAM);
    response.mutable_dead_letter()->set_stream(stream);
    return response;
  }
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Delivery> d = store::FindDelivery(tx, id);
    if (!d.has_value() || d->state() != v1::DELIVERY_STATE_DEAD)
      return NotFound("dead letter " + id);
    const v1::Delivery before = *d;
    d->set_state(v1::DELIVERY_STATE_PENDING);
    d->set_attempts(0);
    // The give-up clock starts again.
    *d->mutable_create_time() = ToProtoTimestamp(clock_->Now());
    *d->mutable_next_attempt_time() = ToProtoTimestamp(clock_->Now());
    store::SaveDelivery(tx, *d, "");
    audit_.Record(tx, who, "RetryDeadLetter", "delivery/" + id, &before, &*d, "");
    response.mutable_dead_letter()->set_dead_letter_id(id);
    response.mutable_dead_letter()->set_source(v1::DeadLetter::SOURCE_DELIVERY);
    *response.mutable_dead_letter()->mutable_delivery() = *d;
    return absl::OkStatus();
  }));
  NotificationsPushed();
  return response;
}

absl::StatusOr<v1::SetPolicyResponse> NotifyService::SetPolicy(const Principal& who,
                                                                const v1::SetPolicyRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "SetPolicy"));
  v1::EscalationPolicy p = req.policy();
  if (p.message_type().empty() || p.message_type().find('.') == std::string::npos) {
    return FieldError("policy.message_type", "must be a message type such as uplift.tasks.v1.ProblemEscalated");
  }
  const int64_t seconds = p.ack_within().seconds();
  if (seconds < 60 || seconds > 30 * 24 * 3600) {
    return FieldError("policy.ack_within", "must be between 1 minute and 30 days");
  }
  if (p.resends() < 0 || p.resends() > 10) return FieldError("policy.resends", "must be 0 to 10");
  v1::SetPolicyResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::EscalationPolicy current, PolicyFor(tx, p.message_type()));
    p.set_version(current.version() + 1);
    *p.mutable_create_time() = ToProtoTimestamp(clock_->Now());
    store::InsertPolicy(tx, p);
    audit_.Record(tx, who, "SetPolicy", "policy/" + p.message_type(), &current, &p, "");
    *response.mutable_policy() = p;
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListPoliciesResponse> NotifyService::ListPolicies(const Principal& who,
                                                                      const v1::ListPoliciesRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListPolicies"));
  v1::ListPoliciesResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    for (v1::EscalationPolicy& p : store::CurrentPolicies(db))
      *response.add_policies() = std::move(p);
    return absl::OkStatus();
  }));
  // The escalation default applies even before its first use stores it.
  const std::string escalated = "uplift.tasks.v1.ProblemEscalated";
  bool listed = false;
  for (const auto& p : response.policies()) listed = listed || p.message_type() == escalated;
  if (!listed) *response.add_policies() = DefaultPolicy(escalated);
  return response;
}

absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> NotifyService::ListAuditRecords(
    const Principal& who, const uplift::audit::v1::ListAuditRecordsRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListAuditRecords"));
  return audit_.List(*db_, req);
}

absl::StatusOr<v1::EscalationPolicy> NotifyService::PolicyFor(sql::Connection& tx,
                                                              const std::string& type) {
  if (std::optional<v1::EscalationPolicy> p = store::CurrentPolicy(tx, type)) return *p;
  v1::EscalationPolicy p = DefaultPolicy(type);
  *p.mutable_create_time() = ToProtoTimestamp(clock_->Now());
  store::InsertPolicy(tx, p);
  return p;
}

}  // namespace uplift::notify

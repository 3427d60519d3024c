// NotifyService: delivery to webhooks, group robots and e-mail with leases,
// signatures, robots' rate limits and retries.
#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/sql/store.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "services/notify/ack_links.h"
#include "services/notify/mail_message.h"
#include "services/notify/notification_text.h"
#include "services/notify/notify_service.h"
#include "services/notify/notify_store.h"
#include "services/notify/robot_answer.h"
#include "services/notify/robot_messages.h"
#include "services/notify/sms_text.h"
#include "services/notify/webhook_signature.h"

namespace uplift::notify {
namespace {

struct Prepared {
  v1::Delivery delivery;
  v1::ChannelType type = v1::CHANNEL_TYPE_WEBHOOK;
  v1::Notice notice;
  std::string url;
  std::string secret;
  std::string to;  // an e-mail channel's recipient, an SMS channel's phone
  std::string sms_text;
  std::string problem;  // why it cannot be sent at all
  // The per-phone SMS limit: held back until then, or joined to another
  // delivery's message (`joined`), or carrying others in its own (`bundled`).
  std::optional<absl::Time> held_until;
  bool joined = false;
  std::vector<v1::Delivery> bundled;
  int64_t sms_send_row = 0;  // its place under the limit, given back if not taken
};

// What a delivery held back by the per-phone SMS limit says while it waits.
constexpr char kHeldBySmsLimit[] = "短信限频：稍后合并发送";

// A busy destination's delivery comes back this much later, uncounted.
constexpr absl::Duration kBusyDestinationDelay = absl::Milliseconds(500);

// An e-mail through the channel's mail server, as its account, connected to
// the address the policy checked (`pinned`).
WebhookResult SendMail(MailSender* mail, const Prepared& p, const WebhookRequest& pinned,
                       const std::string& from_name, absl::Time now) {
  absl::StatusOr<WebhookTarget> server = ParseUrlTarget(p.url);
  if (mail == nullptr || !server.ok()) {
    WebhookResult r;
    r.http_status = 400;
    r.error = mail == nullptr ? "本服务未配置邮件发送" : "邮件服务器地址无效";
    return r;
  }
  MailRequest m;
  m.scheme = server->scheme;
  m.host = server->host;
  m.port = server->port;
  m.address = pinned.address;
  m.username = server->user;
  m.password = p.secret;
  m.from = server->user;
  m.to = p.to;
  m.timeout = pinned.timeout;
  m.message = MailMessage(p.notice, {from_name, server->user, p.to, now, p.delivery.resend()});
  return mail->Send(m);
}

bool IsRobot(v1::ChannelType type) {
  return type == v1::CHANNEL_TYPE_WECOM || type == v1::CHANNEL_TYPE_DINGTALK;
}

// The gateway's de-duplication key: the notification, its resend and the
// phone ("nt-….0.13912345678"): the same for a message sent again after a
// crash, different for each person of a unit.
std::string SmsId(const v1::Delivery& d, const std::string& phone) {
  return absl::StrCat(d.notification_id(), ".", d.resend(), ".", phone);
}

// What goes to the channel: the notification as signed JSON to a unit's
// system, as markdown to a group robot (钉钉's URL signed).
void FillRequest(const Prepared& p, absl::Time now, const SmsGateway& sms,
                 WebhookRequest* request) {
  switch (p.type) {
    case v1::CHANNEL_TYPE_SMS: {
      WebhookRequest r = SmsRequest(sms, p.to, p.sms_text, SmsId(p.delivery, p.to), now);
      request->method = r.method;
      request->url = r.url;
      request->headers = std::move(r.headers);
      request->body = std::move(r.body);
      return;
    }
    case v1::CHANNEL_TYPE_WECOM: {
      RobotRequest r = WeComRequest(p.notice, p.url);
      request->url = r.url;
      request->body = std::move(r.body);
      request->headers = {{"Content-Type", "application/json; charset=utf-8"}};
      return;
    }
    case v1::CHANNEL_TYPE_DINGTALK: {
      RobotRequest r = DingTalkRequest(p.notice, p.url, p.secret, absl::ToUnixMillis(now));
      request->url = r.url;
      request->body = std::move(r.body);
      request->headers = {{"Content-Type", "application/json; charset=utf-8"}};
      return;
    }
    default: {
      google::protobuf::util::JsonPrintOptions json;
      json.preserve_proto_field_names = true;
      (void)google::protobuf::util::MessageToJsonString(p.notice, &request->body, json);
      const int64_t ts = absl::ToUnixSeconds(now);
      request->url = p.url;
      request->headers = {
          {"Content-Type", "application/json; charset=utf-8"},
          {"X-Uplift-Notification-Id", p.delivery.notification_id()},
          {"X-Uplift-Delivery-Id", p.delivery.delivery_id()},
          {"X-Uplift-Resend", absl::StrCat(p.delivery.resend())},
          {"X-Uplift-Timestamp", absl::StrCat(ts)},
          {"X-Uplift-Signature", SignWebhook(p.secret, ts, request->body)},
      };
    }
  }
}

// An SMS's text (with the working days left now) and the gateway URL it
// goes to; a problem when the deployment has no gateway.
void PrepareSms(Prepared* p, absl::Time now, const SmsGateway& sms,
                const WorkingCalendar& calendar) {
  if (!SmsConfigured(sms)) {
    p->problem = "本服务未配置短信网关";
    return;
  }
  std::string deadline_words;
  const auto deadline = p->notice.attributes().find("deadline");
  if (deadline != p->notice.attributes().end()) {
    if (absl::StatusOr<absl::Time> t = ParseRfc3339(deadline->second); t.ok()) {
      deadline_words = DeadlineWords(*t, now, calendar);
    }
  }
  p->sms_text = SmsText(SmsTextSignature(sms), p->notice, deadline_words);
  // The filled-in URL is where the address policy looks.
  p->url = SmsRequest(sms, p->to, p->sms_text, SmsId(p->delivery, p->to), now).url;
}

// The per-phone limit over one claimed batch, in its transaction: an SMS
// the limit allows reserves its place (other replicas see it) and carries
// the phone's held deliveries (in the batch or not) in one message; one it
// does not allow joins the last message this batch sends to that phone, or
// is held until the limit allows one again.
void ApplySmsLimit(sql::Connection& tx, absl::Time now, const SmsGateway& sms,
                   std::vector<Prepared>* work) {
  const SmsLimits& limits = sms.limits;
  std::map<std::string, size_t> carrier_of;  // phone -> this batch's last message to it
  for (size_t i = 0; i < work->size(); ++i) {
    Prepared& p = (*work)[i];
    if (p.type != v1::CHANNEL_TYPE_SMS || !p.problem.empty()) continue;
    const auto carrier = carrier_of.find(p.to);
    const auto join = [&] {
      (*work)[carrier->second].bundled.push_back(p.delivery);
      p.joined = true;
    };
    // What was held goes with the first message the limit allows.
    if (p.delivery.last_error() == kHeldBySmsLimit && carrier != carrier_of.end()) {
      join();
      continue;
    }
    const std::optional<absl::Time> next =
        NextSmsAllowed(store::SmsSendsSince(tx, p.to, now - limits.long_window), now, limits);
    if (next.has_value()) {
      if (carrier != carrier_of.end()) {
        join();
      } else {
        p.held_until = *next;
      }
      continue;
    }
    p.sms_send_row = store::RecordSmsSend(tx, p.to, now, now - limits.long_window);
    const bool first_for_phone = carrier_of.count(p.to) == 0;
    carrier_of[p.to] = i;
    if (first_for_phone) {
      for (v1::Delivery& held : store::HeldSmsDeliveries(tx, p.to, kHeldBySmsLimit)) {
        if (held.delivery_id() != p.delivery.delivery_id()) p.bundled.push_back(std::move(held));
      }
    }
  }
  for (Prepared& p : *work) {
    if (!p.bundled.empty()) {
      p.sms_text = SmsBundleText(SmsTextSignature(sms), p.notice, 1 + p.bundled.size());
    }
  }
}

// An SMS not taken (not sent, or refused) reached no phone: its place under
// the per-phone limit goes back.
void GiveBackSmsPlace(sql::Store* db, const Prepared& p) {
  if (p.sms_send_row == 0) return;
  absl::Status given = db->Write([&](sql::Connection& tx) {
    store::ForgetSmsSend(tx, p.sms_send_row);
    return absl::OkStatus();
  });
  if (!given.ok()) spdlog::warn("delivery {}: {}", p.delivery.delivery_id(), given.ToString());
}

}  // namespace

absl::StatusOr<int> NotifyService::DeliverDue(WebhookSender* sender, int max) {
  const absl::Time now = clock_->Now();
  std::vector<Prepared> work;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    // A run again after a conflict claims afresh: what an undone run
    // claimed must not be sent (twice).
    work.clear();
    for (v1::Delivery& d : store::ClaimDue(tx, now, now + options_.lease, max)) {
      Prepared p;
      p.delivery = std::move(d);
      std::optional<v1::Channel> channel = store::FindChannel(tx, p.delivery.channel_id());
      std::optional<store::SealedChannel> sealed = store::SealedChannelOf(tx, p.delivery.channel_id());
      std::optional<v1::Notice> n = store::FindNotification(tx, p.delivery.notification_id());
      if (!channel.has_value() || !sealed.has_value() || !n.has_value()) {
        p.problem = "the channel was removed";
      } else if (absl::StatusOr<std::string> secret = secrets_->Open(sealed->secret); !secret.ok()) {
        p.problem = std::string(secret.status().message());
      } else {
        absl::StatusOr<std::string> url =
            sealed->url.empty() ? channel->url() : secrets_->Open(sealed->url);
        if (!url.ok()) {
          p.problem = std::string(url.status().message());
        } else {
          p.type = channel->type();
          p.to = channel->address();
          p.notice = std::move(*n);
          p.url = *url;
          p.secret = *secret;
          // A person's e-mail goes through the deployment's mail server.
          if (p.type == v1::CHANNEL_TYPE_EMAIL && !channel->owner_login().empty()) {
            p.url = options_.person_mail_url;
            p.secret = options_.person_mail_password;
            if (p.url.empty()) p.problem = "本服务未配置个人邮件发送（--person-mail-url）";
          }
          if (std::optional<AckLink> link = AckLinkOfDelivery(tx, p.delivery.delivery_id())) {
            (*p.notice.mutable_attributes())[kAckLinkAttribute] =
                AckLinkUrl(options_.ack_link_base, link->token);
          }
          if (p.type == v1::CHANNEL_TYPE_SMS) PrepareSms(&p, now, options_.sms, calendar_);
        }
      }
      work.push_back(std::move(p));
    }
    ApplySmsLimit(tx, now, options_.sms, &work);
    return absl::OkStatus();
  }));
  for (Prepared& p : work) {
    if (p.joined) continue;  // settled with the message that carries it
    if (p.held_until.has_value()) {
      absl::Status held = Defer(p.delivery, *p.held_until - now, kHeldBySmsLimit);
      if (!held.ok()) spdlog::warn("delivery {}: {}", p.delivery.delivery_id(), held.ToString());
      continue;
    }
    WebhookResult result;
    std::optional<Decision> forced;
    if (!p.problem.empty()) {
      forced = Decision{Outcome::kDead, now, p.problem};
    } else {
      WebhookRequest request;
      request.timeout = options_.webhook_timeout;
      if (options_.addresses != nullptr) {
        absl::StatusOr<WebhookTarget> target = options_.addresses->Resolve(p.url);
        if (!target.ok() && target.status().code() == absl::StatusCode::kUnavailable) {
          result.error = "接收方主机名无法解析";
          result.detail = std::string(target.status().message());
        } else if (!target.ok()) {
          forced = Decision{Outcome::kDead, now,
                            absl::StrCat("地址不被允许：", target.status().message())};
        } else {
          PinTo(*target, &request);
        }
      }
      const std::string destination = absl::StrCat(request.address.empty() ? p.url : request.address,
                                                   ":", request.port);
      if (!forced.has_value() && result.error.empty()) {
        if (!destinations_.TryAcquire(destination)) {
          GiveBackSmsPlace(db_, p);
          absl::Status deferred = Defer(p.delivery, kBusyDestinationDelay);
          if (!deferred.ok()) spdlog::warn("delivery {}: {}", p.delivery.delivery_id(), deferred.ToString());
          continue;
        }
        if (IsRobot(p.type)) {
          // A robot takes 20 a minute: the rest wait their turn, uncounted.
          if (std::optional<absl::Time> turn =
                  robots_.TryTake(p.delivery.channel_id(), clock_->Now())) {
            destinations_.Release(destination);
            absl::Status deferred = Defer(p.delivery, *turn - clock_->Now());
            if (!deferred.ok())
              spdlog::warn("delivery {}: {}", p.delivery.delivery_id(), deferred.ToString());
            continue;
          }
        }
        if (p.type == v1::CHANNEL_TYPE_EMAIL) {
          result = SendMail(mail_, p, request, options_.mail_from_name, absl::Now());
        } else {
          FillRequest(p, absl::Now(), options_.sms, &request);
          result = sender->Post(request);
        }
        destinations_.Release(destination);
        if (IsRobot(p.type)) result = InterpretRobotAnswer(p.type, std::move(result));
        if (p.type == v1::CHANNEL_TYPE_SMS)
          result = InterpretSmsAnswer(options_.sms, std::move(result));
      }
    }
    if (!result.detail.empty()) {
      spdlog::info("delivery {} to channel {}: {} ({})", p.delivery.delivery_id(),
                   p.delivery.channel_id(), result.error, result.detail);
    }
    if (result.http_status < 200 || result.http_status >= 300) GiveBackSmsPlace(db_, p);
    absl::Status recorded = RecordAttempt(p.delivery, result, forced);
    if (!recorded.ok()) spdlog::warn("delivery {}: {}", p.delivery.delivery_id(), recorded.ToString());
    if (!p.bundled.empty()) {
      absl::Status settled = SettleBundle(p.delivery.delivery_id(), p.bundled);
      if (!settled.ok())
        spdlog::warn("delivery {}: {}", p.delivery.delivery_id(), settled.ToString());
    }
    if (p.type == v1::CHANNEL_TYPE_SMS && !forced.has_value() && UsesAliyun(options_.sms)) {
      if (const std::string biz_id = AliyunBizId(result.answer); !biz_id.empty()) {
        absl::Status awaited = AwaitSmsReceipt(p.delivery.delivery_id(), p.bundled, p.to, biz_id);
        if (!awaited.ok())
          spdlog::warn("delivery {}: {}", p.delivery.delivery_id(), awaited.ToString());
      }
    }
  }
  return static_cast<int>(work.size());
}

absl::Status NotifyService::SettleBundle(const std::string& carrier_id,
                                         const std::vector<v1::Delivery>& bundled) {
  return db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Delivery> carrier = store::FindDelivery(tx, carrier_id);
    const bool sent = carrier.has_value() && carrier->state() == v1::DELIVERY_STATE_SENT;
    for (v1::Delivery d : bundled) {
      std::optional<v1::Delivery> now = store::FindDelivery(tx, d.delivery_id());
      if (!now.has_value() || (now->state() != v1::DELIVERY_STATE_PENDING &&
                               now->state() != v1::DELIVERY_STATE_SENDING)) {
        continue;  // settled meanwhile
      }
      d = *now;
      if (sent) {
        d.set_state(v1::DELIVERY_STATE_SENT);
        d.clear_next_attempt_time();
        *d.mutable_sent_time() = carrier->sent_time();
        d.set_last_error(absl::StrCat("已合并在短信 ", carrier_id, " 中发出"));
      } else {
        // Held again, to go with the next message the limit allows.
        d.set_state(v1::DELIVERY_STATE_PENDING);
        d.set_last_error(kHeldBySmsLimit);
        *d.mutable_next_attempt_time() =
            carrier.has_value() && carrier->state() == v1::DELIVERY_STATE_PENDING
                ? carrier->next_attempt_time()
                : ToProtoTimestamp(clock_->Now() + absl::Minutes(1));
      }
      store::SaveDelivery(tx, d, "");
    }
    return absl::OkStatus();
  });
}

absl::Status NotifyService::Defer(const v1::Delivery& claimed, absl::Duration delay,
                                  const std::string& why) {
  return db_->Write([&](sql::Connection& tx) {
    v1::Delivery d = claimed;
    d.set_state(v1::DELIVERY_STATE_PENDING);
    if (!why.empty()) d.set_last_error(why);
    *d.mutable_next_attempt_time() = ToProtoTimestamp(clock_->Now() + delay);
    store::SaveDelivery(tx, d, "");
    return absl::OkStatus();
  });
}

absl::Status NotifyService::RecordAttempt(const v1::Delivery& claimed, const WebhookResult& result,
                                          std::optional<Decision> forced) {
  const absl::Time now = clock_->Now();
  Decision decision;
  if (forced.has_value()) {
    decision = *forced;
  } else {
    std::lock_guard<std::mutex> lock(rng_mu_);
    decision = Decide(result, claimed.attempts() + 1, FromProtoTimestamp(claimed.create_time()), now,
                      options_.retry, rng_);
  }
  return db_->Write([&](sql::Connection& tx) -> absl::Status {
    v1::Delivery d = claimed;
    d.set_attempts(d.attempts() + 1);
    d.set_last_http_status(result.http_status);
    d.set_last_error(decision.reason);
    switch (decision.outcome) {
      case Outcome::kDelivered:
        // A unit's system that answered 2xx has it; a provider (a mail
        // server, a robot, an SMS gateway) has only taken it.
        d.set_state(d.channel_type() == v1::CHANNEL_TYPE_WEBHOOK ? v1::DELIVERY_STATE_DELIVERED
                                                                 : v1::DELIVERY_STATE_SENT);
        d.clear_next_attempt_time();
        *d.mutable_sent_time() = ToProtoTimestamp(now);
        if (d.state() == v1::DELIVERY_STATE_DELIVERED)
          *d.mutable_delivered_time() = ToProtoTimestamp(now);
        break;
      case Outcome::kRetry:
        d.set_state(v1::DELIVERY_STATE_PENDING);
        *d.mutable_next_attempt_time() = ToProtoTimestamp(decision.next_attempt);
        break;
      case Outcome::kDead:
        d.set_state(v1::DELIVERY_STATE_DEAD);
        *d.mutable_next_attempt_time() = ToProtoTimestamp(now);
        spdlog::warn("delivery {} of {} to {} given up: {}", d.delivery_id(), d.notification_id(),
                     d.channel_id(), decision.reason);
        break;
    }
    store::SaveDelivery(tx, d, "");
    return absl::OkStatus();
  });
}

}  // namespace uplift::notify

// NotifyService: webhook delivery with leases, signatures and retries.
#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "services/notify/notify_service.h"
#include "services/notify/notify_store.h"
#include "services/notify/webhook_signature.h"

namespace uplift::notify {
namespace {

struct Prepared {
  v1::Delivery delivery;
  std::string url;
  std::string secret;
  std::string body;
  std::string problem;  // why it cannot be sent at all
};

// A busy destination's delivery comes back this much later, uncounted.
constexpr absl::Duration kBusyDestinationDelay = absl::Milliseconds(500);

}  // namespace

absl::StatusOr<int> NotifyService::DeliverDue(WebhookSender* sender, int max) {
  const absl::Time now = clock_->Now();
  std::vector<Prepared> work;
  RETURN_IF_ERROR(db_->Write([&](SQLite::Database& tx) -> absl::Status {
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
          p.url = *url;
          p.secret = *secret;
          google::protobuf::util::JsonPrintOptions json;
          json.preserve_proto_field_names = true;
          (void)google::protobuf::util::MessageToJsonString(*n, &p.body, json);
        }
      }
      work.push_back(std::move(p));
    }
    return absl::OkStatus();
  }));
  for (Prepared& p : work) {
    WebhookResult result;
    std::optional<Decision> forced;
    if (!p.problem.empty()) {
      forced = Decision{Outcome::kDead, now, p.problem};
    } else {
      WebhookRequest request;
      request.url = p.url;
      request.body = p.body;
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
          request.host = target->host;
          request.port = target->port;
          request.address = target->address;
        }
      }
      const std::string destination = absl::StrCat(request.address.empty() ? p.url : request.address,
                                                   ":", request.port);
      if (!forced.has_value() && result.error.empty()) {
        if (!destinations_.TryAcquire(destination)) {
          absl::Status deferred = Defer(p.delivery, kBusyDestinationDelay);
          if (!deferred.ok()) spdlog::warn("delivery {}: {}", p.delivery.delivery_id(), deferred.ToString());
          continue;
        }
        const int64_t ts = absl::ToUnixSeconds(absl::Now());
        request.headers = {
            {"Content-Type", "application/json; charset=utf-8"},
            {"X-Uplift-Notification-Id", p.delivery.notification_id()},
            {"X-Uplift-Delivery-Id", p.delivery.delivery_id()},
            {"X-Uplift-Resend", absl::StrCat(p.delivery.resend())},
            {"X-Uplift-Timestamp", absl::StrCat(ts)},
            {"X-Uplift-Signature", SignWebhook(p.secret, ts, p.body)},
        };
        result = sender->Post(request);
        destinations_.Release(destination);
      }
    }
    if (!result.detail.empty()) {
      spdlog::info("delivery {} to channel {}: {} ({})", p.delivery.delivery_id(),
                   p.delivery.channel_id(), result.error, result.detail);
    }
    absl::Status recorded = RecordAttempt(p.delivery, result, forced);
    if (!recorded.ok()) spdlog::warn("delivery {}: {}", p.delivery.delivery_id(), recorded.ToString());
  }
  return static_cast<int>(work.size());
}

absl::Status NotifyService::Defer(const v1::Delivery& claimed, absl::Duration delay) {
  return db_->Write([&](SQLite::Database& tx) {
    v1::Delivery d = claimed;
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
  return db_->Write([&](SQLite::Database& tx) -> absl::Status {
    v1::Delivery d = claimed;
    d.set_attempts(d.attempts() + 1);
    d.set_last_http_status(result.http_status);
    d.set_last_error(decision.reason);
    switch (decision.outcome) {
      case Outcome::kDelivered:
        d.set_state(v1::DELIVERY_STATE_DELIVERED);
        d.clear_next_attempt_time();
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

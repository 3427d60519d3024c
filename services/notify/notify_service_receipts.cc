// NotifyService: SMS receipts from 阿里云. A message SendSms took is SENT;
// its receipt, asked for with QuerySendDetails from --aliyun-sms-receipt-after
// on (then doubling, at most 30 minutes apart, for 24 hours), makes it
// DELIVERED (the phone has it) or DEAD (the carrier could not deliver it,
// e.g. the number is out of service).
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "services/notify/notify_service.h"
#include "services/notify/notify_store.h"

namespace uplift::notify {

absl::Status NotifyService::AwaitSmsReceipt(const std::string& carrier_id,
                                            const std::vector<v1::Delivery>& bundled,
                                            const std::string& phone, const std::string& biz_id) {
  const absl::Time now = clock_->Now();
  return db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::vector<std::string> ids = {carrier_id};
    for (const v1::Delivery& d : bundled) ids.push_back(d.delivery_id());
    for (const std::string& id : ids) {
      std::optional<v1::Delivery> d = store::FindDelivery(tx, id);
      if (!d.has_value() || d->state() != v1::DELIVERY_STATE_SENT) continue;
      store::AwaitReceipt(tx, {id, biz_id, phone, now}, now + options_.sms.aliyun.receipt_after);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<int> NotifyService::PollSmsReceipts(WebhookSender* sender, int max) {
  if (!UsesAliyun(options_.sms)) return 0;
  const absl::Time now = clock_->Now();
  // The pump asks several times a second: a read says whether to claim.
  bool any = false;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    any = store::AnyReceiptDue(db, now);
    return absl::OkStatus();
  }));
  if (!any) return 0;
  std::vector<store::PendingReceipt> due;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) {
    due = store::ClaimDueReceipts(tx, now, now + options_.lease, max);
    return absl::OkStatus();
  }));
  for (const store::PendingReceipt& r : due) {
    WebhookRequest request = AliyunReceiptRequest(options_.sms.aliyun, {r.phone, r.biz_id, r.sent},
                                                  absl::Now(), RandomHex(16));
    request.timeout = options_.webhook_timeout;
    SmsReceipt receipt;
    if (options_.addresses != nullptr) {
      absl::StatusOr<WebhookTarget> target = options_.addresses->Resolve(request.url);
      if (!target.ok()) {
        receipt.error = absl::StrCat("阿里云短信回执：", target.status().message());
      } else {
        PinTo(*target, &request);
      }
    }
    if (receipt.error.empty()) receipt = InterpretAliyunReceipt(sender->Post(request), r.biz_id);
    absl::Status recorded = RecordReceipt(r, receipt);
    if (!recorded.ok()) spdlog::warn("receipt of {}: {}", r.delivery_id, recorded.ToString());
  }
  return static_cast<int>(due.size());
}

absl::Status NotifyService::RecordReceipt(const store::PendingReceipt& r,
                                          const SmsReceipt& receipt) {
  const absl::Time now = clock_->Now();
  return db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Delivery> d = store::FindDelivery(tx, r.delivery_id);
    if (!d.has_value() || d->state() != v1::DELIVERY_STATE_SENT) {
      store::ForgetReceipt(tx, r.delivery_id);  // settled otherwise meanwhile
      return absl::OkStatus();
    }
    switch (receipt.state) {
      case SmsReceipt::State::kDelivered:
        d->set_state(v1::DELIVERY_STATE_DELIVERED);
        *d->mutable_delivered_time() =
            ToProtoTimestamp(receipt.received == absl::InfinitePast() ? now : receipt.received);
        store::SaveDelivery(tx, *d, "");
        store::ForgetReceipt(tx, r.delivery_id);
        return absl::OkStatus();
      case SmsReceipt::State::kFailed:
        d->set_state(v1::DELIVERY_STATE_DEAD);
        d->set_last_error(receipt.error);
        store::SaveDelivery(tx, *d, "");
        store::ForgetReceipt(tx, r.delivery_id);
        spdlog::warn("delivery {} of {}: {}", d->delivery_id(), d->notification_id(),
                     receipt.error);
        return absl::OkStatus();
      case SmsReceipt::State::kWaiting:
      case SmsReceipt::State::kUnknown:
        break;
    }
    if (!receipt.error.empty()) {
      spdlog::info("receipt of {} not read: {}", r.delivery_id, receipt.error);
    }
    if (now - r.sent >= kReceiptPatience) {
      d->set_last_error("阿里云短信 24 小时内未给出回执");
      store::SaveDelivery(tx, *d, "");
      store::ForgetReceipt(tx, r.delivery_id);
      return absl::OkStatus();
    }
    store::AskReceiptAgain(tx, r.delivery_id,
                           now + NextReceiptQuery(options_.sms.aliyun.receipt_after, r.queries + 1),
                           r.queries + 1);
    return absl::OkStatus();
  });
}

}  // namespace uplift::notify

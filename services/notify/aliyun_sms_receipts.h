// 阿里云短信 receipts: whether a message SendSms took reached the phone,
// asked with QuerySendDetails (dysmsapi 2017-05-25, from its public
// documentation) by the phone, the day it was sent (yyyyMMdd, China time)
// and the BizId SendSms answered. SendStatus 3 is delivered (with the
// carrier's ReceiveDate), 2 failed (ErrCode says why, e.g. the number is out
// of service), 1 still waiting for the carrier's report.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "services/notify/aliyun_sms.h"
#include "services/notify/webhook_sender.h"

namespace uplift::notify {

struct SmsReceiptQuery {
  std::string phone;
  std::string biz_id;
  absl::Time sent;  // when SendSms took it: its SendDate
};

WebhookRequest AliyunReceiptRequest(const AliyunSms& config, const SmsReceiptQuery& query,
                                    absl::Time now, const std::string& nonce);

struct SmsReceipt {
  enum class State {
    kWaiting,    // no report yet: ask again later
    kDelivered,  // the phone has it
    kFailed,     // the carrier could not deliver it
    kUnknown,    // no usable answer (an error, a refusal): ask again later
  };
  State state = State::kUnknown;
  absl::Time received = absl::InfinitePast();  // kDelivered: the carrier's time, if given
  std::string error;                           // kFailed and kUnknown: why, for people
};

// Reads QuerySendDetails' answer for the message `biz_id`.
SmsReceipt InterpretAliyunReceipt(const WebhookResult& raw, const std::string& biz_id);

// When to ask next after `queries` answers without a verdict: `first`,
// doubling, at most 30 minutes apart.
absl::Duration NextReceiptQuery(absl::Duration first, int queries);

// How long a message's receipt is waited for; after it the delivery stays
// SENT.
inline constexpr absl::Duration kReceiptPatience = absl::Hours(24);

}  // namespace uplift::notify

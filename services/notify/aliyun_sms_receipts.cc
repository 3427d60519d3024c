// QuerySendDetails: request and answer.
#include "services/notify/aliyun_sms_receipts.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"

namespace uplift::notify {
namespace {

const google::protobuf::Value* Field(const google::protobuf::Struct& s, const char* name) {
  const auto it = s.fields().find(name);
  return it == s.fields().end() ? nullptr : &it->second;
}

// The carrier's "2019-01-08 16:44:13", China time.
absl::Time ParseChinaTime(const std::string& text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%S", text, ShanghaiTime(), &t, &error)) {
    return absl::InfinitePast();
  }
  return t;
}

}  // namespace

WebhookRequest AliyunReceiptRequest(const AliyunSms& c, const SmsReceiptQuery& q, absl::Time now,
                                    const std::string& nonce) {
  return AliyunRpcRequest(c,
                          {{"Action", "QuerySendDetails"},
                           {"BizId", q.biz_id},
                           {"CurrentPage", "1"},
                           {"PageSize", "10"},
                           {"PhoneNumber", q.phone},
                           {"SendDate", absl::FormatTime("%Y%m%d", q.sent, ShanghaiTime())}},
                          now, nonce);
}

SmsReceipt InterpretAliyunReceipt(const WebhookResult& raw, const std::string& biz_id) {
  SmsReceipt r;
  google::protobuf::Struct answer;
  if (!google::protobuf::util::JsonStringToMessage(raw.answer, &answer).ok()) {
    r.error = raw.error.empty() ? "阿里云短信回执的回答无法识别" : raw.error;
    return r;
  }
  const google::protobuf::Value* code = Field(answer, "Code");
  if (code == nullptr || code->string_value() != "OK") {
    const google::protobuf::Value* message = Field(answer, "Message");
    r.error = absl::StrCat("阿里云短信回执：", code == nullptr ? "无 Code" : code->string_value(),
                           message == nullptr ? "" : " ",
                           message == nullptr ? "" : message->string_value());
    return r;
  }
  // {"SmsSendDetailDTOs": {"SmsSendDetailDTO": [{...}]}}: the one of this
  // BizId (the same phone may have had other messages that day).
  const google::protobuf::Value* outer = Field(answer, "SmsSendDetailDTOs");
  const google::protobuf::Value* list =
      outer == nullptr ? nullptr : Field(outer->struct_value(), "SmsSendDetailDTO");
  if (list == nullptr || list->list_value().values().empty()) {
    r.state = SmsReceipt::State::kWaiting;  // not listed yet
    return r;
  }
  for (const google::protobuf::Value& item : list->list_value().values()) {
    const google::protobuf::Struct& detail = item.struct_value();
    const google::protobuf::Value* biz = Field(detail, "BizId");
    if (biz != nullptr && !biz->string_value().empty() && biz->string_value() != biz_id) continue;
    const google::protobuf::Value* status = Field(detail, "SendStatus");
    const int send_status = status == nullptr ? 0 : static_cast<int>(status->number_value());
    const google::protobuf::Value* err = Field(detail, "ErrCode");
    const std::string err_code = err == nullptr ? "" : err->string_value();
    if (send_status == 3) {
      r.state = SmsReceipt::State::kDelivered;
      if (const google::protobuf::Value* at = Field(detail, "ReceiveDate")) {
        r.received = ParseChinaTime(at->string_value());
      }
    } else if (send_status == 2) {
      r.state = SmsReceipt::State::kFailed;
      r.error =
          absl::StrCat("阿里云短信回执：未送达（", err_code.empty() ? "无原因" : err_code, "）");
    } else {
      r.state = SmsReceipt::State::kWaiting;
    }
    return r;
  }
  r.state = SmsReceipt::State::kWaiting;
  return r;
}

absl::Duration NextReceiptQuery(absl::Duration first, int queries) {
  absl::Duration next = first;
  for (int i = 0; i < queries && next < absl::Minutes(30); ++i) next *= 2;
  return std::min(next, absl::Minutes(30));
}

}  // namespace uplift::notify

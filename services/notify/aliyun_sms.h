// 阿里云短信服务 (Alibaba Cloud SMS, dysmsapi 2017-05-25) SendSms, built from
// its public documentation: an RPC-style POST whose form parameters are
// signed with signature version 1.0 — the parameters sorted by name,
// percent-encoded (RFC 3986), joined, and signed as
//   Base64(HMAC-SHA1(AccessKeySecret + "&", "POST&%2F&" + encode(query))).
// The text goes as one template parameter (the approved template holds
// only it, e.g. "${text}"); the sign name is added by the provider, so the
// text carries no 【signature】 of its own. OutId carries our notification
// id and resend, for the provider's receipts and a receiver's de-duplication.
#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/notify/webhook_sender.h"

namespace uplift::notify {

struct AliyunSms {
  std::string endpoint = "https://dysmsapi.aliyuncs.com/";
  std::string access_key_id;  // empty: not used
  std::string access_key_secret;
  std::string sign_name;
  std::string template_code;
  std::string template_param = "text";  // the template's one variable
  std::string region = "cn-hangzhou";
  // The first QuerySendDetails after SendSms took a message (then doubling,
  // at most 30 minutes apart, for 24 hours): aliyun_sms_receipts.h.
  absl::Duration receipt_after = absl::Minutes(1);
};

// Errors name the flag.
absl::Status CheckAliyunSms(const AliyunSms& config);

// "POST&%2F&" + the encoded canonical query of `params`; its signature.
std::string AliyunStringToSign(const std::string& method,
                               const std::map<std::string, std::string>& params);
std::string AliyunSignature(const std::string& access_key_secret, const std::string& method,
                            const std::map<std::string, std::string>& params);

// A signed POST of `action_params` (Action and its own parameters) with the
// common parameters added (AccessKeyId, RegionId, Version, Timestamp, the
// signature's); `nonce` unique a request.
WebhookRequest AliyunRpcRequest(const AliyunSms& config, std::map<std::string, std::string> params,
                                absl::Time now, const std::string& nonce);

// The SendSms request for one message; `nonce` unique a request.
WebhookRequest AliyunSmsRequest(const AliyunSms& config, const std::string& phone,
                                const std::string& text, const std::string& out_id, absl::Time now,
                                const std::string& nonce);

// The answer as the retry policy reads it: Code "OK" is sent; the
// provider's throttles (Throttling.*, isv.BUSINESS_LIMIT_CONTROL) are 429;
// a refusal that will not change (a bad number, template, sign name or
// key) is 400; anything else is 503, tried again.
WebhookResult InterpretAliyunAnswer(WebhookResult raw);

// The BizId of a SendSms answer that took the message ("" if none): the
// key of its receipt.
std::string AliyunBizId(const std::string& answer);

}  // namespace uplift::notify

// uplift-notify's SMS flags.
#include "services/notify/sms_flags.h"

#include <cstdlib>

#include "common/service_flags.h"
#include "common/validation.h"

namespace uplift::notify {

SmsFlags::SmsFlags(CLI::App& app, SmsGateway* sms) : gateway_(sms) {
  app.add_option("--sms-url", sms->url,
                 "the SMS gateway's URL ({phone}, {text}, {id} filled in); none: no SMS channels")
      ->envname("UPLIFT_NOTIFY_SMS_URL");
  app.add_option("--sms-method", sms->method, "GET or POST")->capture_default_str();
  app.add_option("--sms-header", headers_, "a header of the gateway's requests, \"Name: value\"")
      ->envname("UPLIFT_NOTIFY_SMS_HEADERS")
      ->delimiter('\n');
  app.add_option("--sms-body", sms->body, "the request body, with {phone}, {text} and {id}");
  app.add_option("--sms-body-encoding", sms->body_encoding,
                 "how the body's placeholders are encoded: json, form or raw")
      ->capture_default_str();
  app.add_option("--sms-success-status", sms->success_status,
                 "the gateway's status for a message it took")
      ->capture_default_str();
  app.add_option("--sms-success-contains", sms->success_contains,
                 "text the gateway's answer holds when it took the message, e.g. \"code\":0");
  app.add_option("--sms-signature", sms->signature, "an SMS's first words (the carriers' 签名)")
      ->capture_default_str();
  app.add_option("--sms-per-phone-15m", sms->limits.short_limit,
                 "SMS to one phone in 15 minutes at most (the rest bundled into one later)")
      ->capture_default_str();
  app.add_option("--sms-per-phone-3h", sms->limits.long_limit,
                 "SMS to one phone in 3 hours at most")
      ->capture_default_str();
  AliyunSms& a = sms->aliyun;
  app.add_option("--aliyun-access-key-id", a.access_key_id,
                 "send SMS through 阿里云短信 with this AccessKey (its secret from "
                 "UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_SECRET)")
      ->envname("UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_ID");
  app.add_option("--aliyun-sms-endpoint", a.endpoint, "the SendSms endpoint")
      ->capture_default_str();
  app.add_option("--aliyun-sms-region", a.region, "RegionId")->capture_default_str();
  app.add_option("--aliyun-sms-sign-name", a.sign_name, "SignName, the approved 签名");
  app.add_option("--aliyun-sms-template-code", a.template_code,
                 "TemplateCode of an approved template holding one variable");
  app.add_option("--aliyun-sms-template-param", a.template_param, "that variable's name")
      ->capture_default_str();
  app.add_option("--aliyun-sms-receipt-after", receipt_after_,
                 "the first QuerySendDetails for a message's receipt after it was sent (then "
                 "doubling, at most 30 minutes apart, for 24 hours)")
      ->capture_default_str();
}

absl::Status SmsFlags::Finish() {
  for (const std::string& h : headers_) {
    if (absl::Status s = AddSmsHeader(h, &gateway_->headers); !s.ok()) return s;
  }
  absl::StatusOr<absl::Duration> after =
      ParseDurationFlag("--aliyun-sms-receipt-after", receipt_after_);
  if (!after.ok()) return after.status();
  if (*after <= absl::ZeroDuration()) {
    return FieldError("--aliyun-sms-receipt-after", "must be positive");
  }
  gateway_->aliyun.receipt_after = *after;
  if (const char* secret = std::getenv("UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_SECRET")) {
    gateway_->aliyun.access_key_secret = secret;
  }
  return CheckSmsGateway(*gateway_);
}

}  // namespace uplift::notify

// An HTTP SMS gateway described by a request template, as a county's
// government SMS platform (政务短信平台) is configured: the URL, the method,
// headers, a body with placeholders, and what a successful answer looks
// like. Placeholders: {phone}, {text} and {id} (the notification id,
// resend number and phone, for the gateway's de-duplication), encoded for where they
// stand: URL-encoded in the URL, and in the body as --sms-body-encoding says
// (json: a JSON string's contents; form: URL-encoded; raw). Or, instead of
// a template, 阿里云短信 (services/notify/aliyun_sms.h).
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/notify/aliyun_sms.h"
#include "services/notify/sms_throttle.h"
#include "services/notify/webhook_sender.h"

namespace uplift::notify {

struct SmsGateway {
  std::string url;  // empty: no SMS
  std::string method = "POST";
  std::map<std::string, std::string> headers;
  std::string body;
  std::string body_encoding = "json";
  int success_status = 200;
  std::string success_contains;                    // the answer's body must contain it ("" : any)
  std::string signature = "【产业集群提质跃升】";  // the text's first words
  AliyunSms aliyun;  // used instead of the template when its access key id is set
  SmsLimits limits;  // to one phone
};

// Whether SMS go through 阿里云 (its access key id is set), not a template.
bool UsesAliyun(const SmsGateway& gateway);
// Whether SMS can be sent at all.
bool SmsConfigured(const SmsGateway& gateway);
// What the text starts with: the template's signature; nothing for 阿里云
// (the provider puts its sign name first).
std::string SmsTextSignature(const SmsGateway& gateway);

// Checks a gateway from the flags: an http(s) URL, GET or POST, "Name:
// value" headers, a known encoding, not both a template and 阿里云; errors
// name the flag.
absl::Status CheckSmsGateway(const SmsGateway& gateway);
// Parses "Name: value" into `headers`.
absl::Status AddSmsHeader(const std::string& line, std::map<std::string, std::string>* headers);

// The request for one message at `now`.
WebhookRequest SmsRequest(const SmsGateway& gateway, const std::string& phone,
                          const std::string& text, const std::string& id, absl::Time now);

// `raw` as the retry policy reads it: a 2xx that is not the configured
// success becomes 503 (tried again) with the gateway's words.
WebhookResult InterpretSmsAnswer(const SmsGateway& gateway, WebhookResult raw);

}  // namespace uplift::notify

// The SMS gateway template.
#include "services/notify/sms_gateway.h"

#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/json_escape.h"
#include "common/validation.h"
#include "services/notify/percent_encoding.h"
#include "services/notify/sms_text.h"

namespace uplift::notify {
namespace {

std::string Fill(const std::string& pattern, const std::string& phone, const std::string& text,
                 const std::string& id, std::string (*encode)(const std::string&)) {
  return absl::StrReplaceAll(
      pattern, {{"{phone}", encode(phone)}, {"{text}", encode(text)}, {"{id}", encode(id)}});
}

std::string Raw(const std::string& text) { return text; }

// A request's SignatureNonce: 128 random bits.
std::string Nonce() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return absl::StrCat(absl::ToUnixNanos(absl::Now()));
  return absl::BytesToHexString(std::string(reinterpret_cast<char*>(bytes), sizeof bytes));
}

}  // namespace

bool UsesAliyun(const SmsGateway& g) { return !g.aliyun.access_key_id.empty(); }

absl::Status AddSmsHeader(const std::string& line, std::map<std::string, std::string>* headers) {
  const size_t colon = line.find(':');
  if (colon == std::string::npos || colon == 0 || line.find_first_of("\r\n") != std::string::npos) {
    return FieldError("--sms-header", absl::StrCat(QuoteInput(line), " is not \"Name: value\""));
  }
  (*headers)[std::string(absl::StripAsciiWhitespace(line.substr(0, colon)))] =
      std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  return absl::OkStatus();
}

bool SmsConfigured(const SmsGateway& g) { return !g.url.empty() || UsesAliyun(g); }

std::string SmsTextSignature(const SmsGateway& g) { return UsesAliyun(g) ? "" : g.signature; }

absl::Status CheckSmsGateway(const SmsGateway& g) {
  if (!g.url.empty() && UsesAliyun(g)) {
    return FieldError("--aliyun-access-key-id", "cannot be used with --sms-url: choose one");
  }
  if (g.limits.short_limit < 1 || g.limits.long_limit < g.limits.short_limit) {
    return FieldError("--sms-per-phone-3h",
                      "must be at least --sms-per-phone-15m, which is at least 1");
  }
  if (UsesAliyun(g)) return CheckAliyunSms(g.aliyun);
  if (g.url.empty()) return absl::OkStatus();
  if (!absl::StartsWith(g.url, "http://") && !absl::StartsWith(g.url, "https://")) {
    return FieldError("--sms-url", "must be an http:// or https:// URL");
  }
  if (g.method != "GET" && g.method != "POST")
    return FieldError("--sms-method", "must be GET or POST");
  if (g.body_encoding != "json" && g.body_encoding != "form" && g.body_encoding != "raw") {
    return FieldError("--sms-body-encoding", "must be json, form or raw");
  }
  if (g.success_status < 100 || g.success_status > 599) {
    return FieldError("--sms-success-status", "must be an HTTP status");
  }
  if (!absl::StrContains(g.url + g.body, "{phone}") ||
      !absl::StrContains(g.url + g.body, "{text}")) {
    return FieldError("--sms-body", "the URL or the body must hold {phone} and {text}");
  }
  return absl::OkStatus();
}

WebhookRequest SmsRequest(const SmsGateway& g, const std::string& phone, const std::string& text,
                          const std::string& id, absl::Time now) {
  if (UsesAliyun(g)) return AliyunSmsRequest(g.aliyun, phone, text, id, now, Nonce());
  WebhookRequest r;
  r.method = g.method;
  r.url = Fill(g.url, phone, text, id, PercentEncode);
  r.headers = g.headers;
  auto encode = g.body_encoding == "json"   ? JsonEscape
                : g.body_encoding == "form" ? PercentEncode
                                            : Raw;
  r.body = Fill(g.body, phone, text, id, encode);
  return r;
}

WebhookResult InterpretSmsAnswer(const SmsGateway& g, WebhookResult raw) {
  if (UsesAliyun(g)) return InterpretAliyunAnswer(std::move(raw));
  if (raw.http_status < 200 || raw.http_status >= 300) return raw;
  if (raw.http_status == g.success_status &&
      (g.success_contains.empty() || absl::StrContains(raw.answer, g.success_contains))) {
    return raw;
  }
  raw.error = absl::StrCat("短信网关未确认发送：", absl::StrReplaceAll(Utf8Prefix(raw.answer, 100),
                                                                       {{"\r", " "}, {"\n", " "}}));
  raw.http_status = 503;
  return raw;
}

}  // namespace uplift::notify

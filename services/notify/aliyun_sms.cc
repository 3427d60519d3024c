// 阿里云 SendSms: request, signature and answer.
#include "services/notify/aliyun_sms.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/validation.h"
#include "services/notify/percent_encoding.h"

namespace uplift::notify {
namespace {

std::string CanonicalQuery(const std::map<std::string, std::string>& params) {
  return absl::StrJoin(params, "&", [](std::string* out, const auto& kv) {
    absl::StrAppend(out, PercentEncode(kv.first), "=", PercentEncode(kv.second));
  });
}

// {"<name>":"<text>"} with JSON escaping done by protobuf's printer.
std::string TemplateParam(const std::string& name, const std::string& text) {
  google::protobuf::Struct s;
  (*s.mutable_fields())[name].set_string_value(text);
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(s, &json);
  return json;
}

bool IsPermanentRefusal(const std::string& code) {
  static const char* const kPermanent[] = {
      "isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT", "isv.TEMPLATE_MISSING_PARAMETERS",
      "isv.SMS_TEMPLATE_ILLEGAL",  "isv.SMS_SIGNATURE_ILLEGAL",   "isv.INVALID_PARAMETERS",
      "isv.PARAM_LENGTH_LIMIT",    "isv.BLACK_KEY_CONTROL_LIMIT", "isv.ACCOUNT_NOT_EXISTS",
      "isv.ACCOUNT_ABNORMAL",      "isv.AMOUNT_NOT_ENOUGH",       "InvalidAccessKeyId.NotFound",
      "SignatureDoesNotMatch",     "isv.OUT_OF_SERVICE",          "isv.PRODUCT_UN_SUBSCRIPT",
  };
  for (const char* c : kPermanent) {
    if (code == c) return true;
  }
  return false;
}

}  // namespace

absl::Status CheckAliyunSms(const AliyunSms& c) {
  if (c.access_key_id.empty()) return absl::OkStatus();
  if (!absl::StartsWith(c.endpoint, "https://") && !absl::StartsWith(c.endpoint, "http://")) {
    return FieldError("--aliyun-sms-endpoint", "must be an http:// or https:// URL");
  }
  if (c.access_key_secret.empty()) {
    return FieldError("UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_SECRET",
                      "is required with --aliyun-access-key-id");
  }
  if (c.sign_name.empty()) return FieldError("--aliyun-sms-sign-name", "is required");
  if (c.template_code.empty()) return FieldError("--aliyun-sms-template-code", "is required");
  if (c.template_param.empty()) return FieldError("--aliyun-sms-template-param", "is required");
  return absl::OkStatus();
}

std::string AliyunStringToSign(const std::string& method,
                               const std::map<std::string, std::string>& params) {
  return absl::StrCat(method, "&", PercentEncode("/"), "&", PercentEncode(CanonicalQuery(params)));
}

std::string AliyunSignature(const std::string& secret, const std::string& method,
                            const std::map<std::string, std::string>& params) {
  const std::string key = secret + "&";
  const std::string message = AliyunStringToSign(method, params);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return absl::Base64Escape(std::string(reinterpret_cast<char*>(mac), len));
}

WebhookRequest AliyunRpcRequest(const AliyunSms& c, std::map<std::string, std::string> params,
                                absl::Time now, const std::string& nonce) {
  params.insert({
      {"AccessKeyId", c.access_key_id},
      {"Format", "JSON"},
      {"RegionId", c.region},
      {"SignatureMethod", "HMAC-SHA1"},
      {"SignatureNonce", nonce},
      {"SignatureVersion", "1.0"},
      {"Timestamp", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", now, absl::UTCTimeZone())},
      {"Version", "2017-05-25"},
  });
  const std::string signature = AliyunSignature(c.access_key_secret, "POST", params);
  WebhookRequest r;
  r.method = "POST";
  r.url = c.endpoint;
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = absl::StrCat("Signature=", PercentEncode(signature), "&", CanonicalQuery(params));
  return r;
}

WebhookRequest AliyunSmsRequest(const AliyunSms& c, const std::string& phone,
                                const std::string& text, const std::string& out_id, absl::Time now,
                                const std::string& nonce) {
  return AliyunRpcRequest(c,
                          {{"Action", "SendSms"},
                           {"OutId", out_id},
                           {"PhoneNumbers", phone},
                           {"SignName", c.sign_name},
                           {"TemplateCode", c.template_code},
                           {"TemplateParam", TemplateParam(c.template_param, text)}},
                          now, nonce);
}

std::string AliyunBizId(const std::string& answer) {
  google::protobuf::Struct parsed;
  if (!google::protobuf::util::JsonStringToMessage(answer, &parsed).ok()) return "";
  const auto code = parsed.fields().find("Code");
  const auto biz = parsed.fields().find("BizId");
  if (code == parsed.fields().end() || code->second.string_value() != "OK" ||
      biz == parsed.fields().end()) {
    return "";
  }
  return biz->second.string_value();
}

WebhookResult InterpretAliyunAnswer(WebhookResult raw) {
  google::protobuf::Struct answer;
  std::string code;
  if (google::protobuf::util::JsonStringToMessage(raw.answer, &answer).ok()) {
    const auto it = answer.fields().find("Code");
    if (it != answer.fields().end()) code = it->second.string_value();
  }
  if (code == "OK" && raw.http_status >= 200 && raw.http_status < 300) return raw;
  if (code.empty()) {
    if (raw.http_status >= 200 && raw.http_status < 300) {
      raw.http_status = 503;
      raw.error = "阿里云短信的回答无法识别";
    }
    return raw;
  }
  const auto message = answer.fields().find("Message");
  raw.error = absl::StrCat("阿里云短信：", code, message == answer.fields().end() ? "" : " ",
                           message == answer.fields().end() ? "" : message->second.string_value());
  if (absl::StartsWith(code, "Throttling") || code == "isv.BUSINESS_LIMIT_CONTROL" ||
      code == "isv.DAY_LIMIT_CONTROL") {
    raw.http_status = 429;
  } else if (IsPermanentRefusal(code)) {
    raw.http_status = 400;
  } else {
    raw.http_status = 503;
  }
  return raw;
}

}  // namespace uplift::notify

// Per-type checks of a channel's input.
#include "services/notify/channel_checks.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"
#include "services/notify/mail_message.h"
#include "services/notify/sms_text.h"
#include "services/notify/webhook_address_policy.h"

namespace uplift::notify {
namespace {

bool HasScheme(const std::string& url, std::initializer_list<const char*> schemes) {
  for (const char* s : schemes) {
    if (absl::StartsWith(url, absl::StrCat(s, "://"))) return true;
  }
  return false;
}

}  // namespace

absl::Status CheckChannelInput(v1::Channel* c) {
  if (c->type() == v1::CHANNEL_TYPE_UNSPECIFIED) c->set_type(v1::CHANNEL_TYPE_WEBHOOK);
  const v1::ChannelType type = c->type();
  if (type != v1::CHANNEL_TYPE_WEBHOOK && type != v1::CHANNEL_TYPE_WECOM &&
      type != v1::CHANNEL_TYPE_DINGTALK && type != v1::CHANNEL_TYPE_EMAIL &&
      type != v1::CHANNEL_TYPE_SMS) {
    return FieldError("channel.type",
                      "must be CHANNEL_TYPE_WEBHOOK, CHANNEL_TYPE_WECOM, CHANNEL_TYPE_DINGTALK, "
                      "CHANNEL_TYPE_EMAIL or CHANNEL_TYPE_SMS");
  }
  if (type == v1::CHANNEL_TYPE_SMS) {
    c->set_address(TrimText(c->address()));
    if (!IsMobileNumber(c->address())) {
      return FieldError("channel.address", "must be a mobile number (11 digits, 1[3-9]…)");
    }
    if (!c->url().empty() || !c->secret().empty()) {
      return FieldError("channel.url",
                        "an SMS channel goes through the service's gateway: no url or secret");
    }
    return absl::OkStatus();
  }
  c->set_url(TrimText(c->url()));
  const std::string& url = c->url();
  if (url.size() > 2000 || url.find_first_of(" \t\r\n") != std::string::npos) {
    return FieldError("channel.url", "must be one URL of at most 2000 characters");
  }
  if (type == v1::CHANNEL_TYPE_EMAIL) {
    if (!HasScheme(url, {"smtp", "smtps"})) {
      return FieldError("channel.url",
                        "must be the mail server as smtps://account@host:465 or "
                        "smtp://account@host:587 (STARTTLS)");
    }
    absl::StatusOr<WebhookTarget> server = ParseUrlTarget(url);
    if (!server.ok() || !IsMailAddress(server->user)) {
      return FieldError("channel.url",
                        "must name the sending account, its @ written %40 "
                        "(smtps://uplift%40xinle.gov.cn@mail.xinle.gov.cn)");
    }
    c->set_address(TrimText(c->address()));
    if (!IsMailAddress(c->address())) {
      return FieldError("channel.address", "must be the recipient's e-mail address");
    }
    if (c->secret().empty() || c->secret().size() > 256) {
      return FieldError("channel.secret",
                        "must be the sending account's password (1 to 256 characters)");
    }
    return absl::OkStatus();
  }
  if (!HasScheme(url, {"http", "https"})) {
    return FieldError("channel.url", "must be an http:// or https:// URL");
  }
  if (!c->address().empty()) {
    return FieldError("channel.address", "only an e-mail channel has an address");
  }
  if (type == v1::CHANNEL_TYPE_WECOM) {
    if (!c->secret().empty()) {
      return FieldError("channel.secret",
                        "a 企业微信 robot has no signing secret: its key is in the URL");
    }
  } else if (c->secret().size() < 16 || c->secret().size() > 256) {
    return FieldError(
        "channel.secret",
        type == v1::CHANNEL_TYPE_DINGTALK
            ? "must be the robot's 加签 secret (SEC…, 16 to 256 characters)"
            : "must be 16 to 256 characters (the receiver verifies signatures with it)");
  }
  return absl::OkStatus();
}

}  // namespace uplift::notify

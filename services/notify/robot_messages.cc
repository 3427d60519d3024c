// Markdown messages for 企业微信 and 钉钉 group robots.
#include "services/notify/robot_messages.h"

#include "services/notify/ack_links.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/notify/percent_encoding.h"
#include "services/notify/webhook_signature.h"

namespace uplift::notify {
namespace {

// The longest prefix of `text` of at most `max` bytes that ends on a UTF-8
// character boundary.
std::string CutUtf8(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string Json(const google::protobuf::Struct& s) {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(s, &out);
  return out;
}

}  // namespace

std::string RobotMarkdown(const v1::Notice& n, size_t max_bytes) {
  const auto link = n.attributes().find(kAckLinkAttribute);
  const std::string tail = absl::StrCat(
      link == n.attributes().end() ? "" : absl::StrCat("\n\n[确认收到](", link->second, ")"),
      "\n\n> 通知编号：", n.notification_id());
  const std::string head = absl::StrCat("### ", n.title(), "\n\n");
  const size_t room =
      max_bytes > head.size() + tail.size() ? max_bytes - head.size() - tail.size() : 0;
  std::string body = n.body();
  if (body.size() > room) body = CutUtf8(body, room >= 3 ? room - 3 : 0) + "…";
  return CutUtf8(absl::StrCat(head, body, tail), max_bytes);
}

RobotRequest WeComRequest(const v1::Notice& n, const std::string& webhook_url) {
  google::protobuf::Struct message;
  (*message.mutable_fields())["msgtype"].set_string_value("markdown");
  google::protobuf::Struct markdown;
  (*markdown.mutable_fields())["content"].set_string_value(RobotMarkdown(n, kWeComMarkdownBytes));
  *(*message.mutable_fields())["markdown"].mutable_struct_value() = markdown;
  return {webhook_url, Json(message)};
}

std::string DingTalkSign(const std::string& secret, int64_t unix_millis) {
  const std::string mac = HmacSha256(secret, absl::StrCat(unix_millis, "\n", secret));
  return PercentEncode(absl::Base64Escape(mac));
}

RobotRequest DingTalkRequest(const v1::Notice& n, const std::string& webhook_url,
                             const std::string& secret, int64_t unix_millis) {
  google::protobuf::Struct message;
  (*message.mutable_fields())["msgtype"].set_string_value("markdown");
  google::protobuf::Struct markdown;
  (*markdown.mutable_fields())["title"].set_string_value(n.title());
  (*markdown.mutable_fields())["text"].set_string_value(RobotMarkdown(n, kDingTalkMarkdownBytes));
  *(*message.mutable_fields())["markdown"].mutable_struct_value() = markdown;
  const char joiner = webhook_url.find('?') == std::string::npos ? '?' : '&';
  return {absl::StrCat(webhook_url, std::string(1, joiner), "timestamp=", unix_millis,
                       "&sign=", DingTalkSign(secret, unix_millis)),
          Json(message)};
}

}  // namespace uplift::notify

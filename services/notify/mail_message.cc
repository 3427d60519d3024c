// E-mail messages of notifications.
#include "services/notify/mail_message.h"

#include "services/notify/ack_links.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/time_util.h"

namespace uplift::notify {
namespace {

constexpr size_t kWordBytes = 45;  // 60 base64 characters: a word of 72

bool PlainAscii(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e || c == '=' || c == '?' || c == '"') return false;
  }
  return true;
}

// Base64 in lines of 76 characters, CRLF-terminated.
std::string Base64Lines(const std::string& data) {
  const std::string b64 = absl::Base64Escape(data);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) absl::StrAppend(&out, b64.substr(i, 76), "\r\n");
  return out;
}

std::string Html(const std::string& text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"},
                                    {"<", "&lt;"},
                                    {">", "&gt;"},
                                    {"\"", "&quot;"},
                                    {"'", "&#39;"},
                                    {"\n", "<br>\n"}});
}

}  // namespace

std::string EncodeHeaderWords(const std::string& text) {
  if (PlainAscii(text)) return text;
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + kWordBytes);
    // Never split a character: back up to the start of the one cut.
    while (end < text.size() && end > start &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (!out.empty()) out += "\r\n ";
    absl::StrAppend(&out, "=?UTF-8?B?", absl::Base64Escape(text.substr(start, end - start)), "?=");
    start = end;
  }
  return out;
}

std::string MailMessageId(const std::string& notification_id, int resend,
                          const std::string& from_address) {
  const size_t at = from_address.rfind('@');
  const std::string domain =
      at == std::string::npos ? "uplift.invalid" : from_address.substr(at + 1);
  return absl::StrCat("<", notification_id, ".", resend, "@", domain, ">");
}

bool IsMailAddress(const std::string& address) {
  if (address.empty() || address.size() > 254) return false;
  const size_t at = address.find('@');
  if (at == 0 || at == std::string::npos || at + 1 >= address.size() ||
      address.find('@', at + 1) != std::string::npos) {
    return false;
  }
  for (unsigned char c : address) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
        c == '(' || c == ')' || c == '\\') {
      return false;
    }
  }
  return address.find('.', at) != std::string::npos;
}

std::string MailMessage(const v1::Notice& n, const MailEnvelope& e) {
  const std::string boundary = absl::StrCat("uplift-", n.notification_id(), "-", e.resend);
  const auto found = n.attributes().find(kAckLinkAttribute);
  const std::string link = found == n.attributes().end() ? "" : found->second;
  const std::string text =
      absl::StrCat(n.title(), "\n\n", n.body(), "\n\n",
                   link.empty() ? "" : absl::StrCat("确认收到（72小时内有效）：", link, "\n"),
                   "通知编号：", n.notification_id(), "\n");
  const std::string html = absl::StrCat(
      "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><body>\n<h3>", Html(n.title()),
      "</h3>\n<p>", Html(n.body()), "</p>\n",
      link.empty()
          ? ""
          : absl::StrCat("<p><a href=\"", Html(link), "\">确认收到</a>（72小时内有效）</p>\n"),
      "<p style=\"color:#888\">通知编号：", Html(n.notification_id()), "</p>\n</body></html>\n");
  std::string m;
  absl::StrAppend(&m, "From: ", EncodeHeaderWords(e.from_name), " <", e.from_address, ">\r\n");
  absl::StrAppend(&m, "To: <", e.to_address, ">\r\n");
  absl::StrAppend(&m, "Subject: ", EncodeHeaderWords(n.title()), "\r\n");
  absl::StrAppend(
      &m, "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S %z", e.date, ShanghaiTime()), "\r\n");
  absl::StrAppend(&m, "Message-ID: ", MailMessageId(n.notification_id(), e.resend, e.from_address),
                  "\r\n");
  absl::StrAppend(&m, "X-Uplift-Notification-Id: ", n.notification_id(), "\r\n");
  absl::StrAppend(&m, "MIME-Version: 1.0\r\n");
  absl::StrAppend(&m, "Content-Type: multipart/alternative; boundary=\"", boundary, "\"\r\n\r\n");
  for (const auto& [type, part] : {std::pair{"text/plain", &text}, std::pair{"text/html", &html}}) {
    absl::StrAppend(&m, "--", boundary, "\r\n");
    absl::StrAppend(&m, "Content-Type: ", type, "; charset=UTF-8\r\n");
    absl::StrAppend(&m, "Content-Transfer-Encoding: base64\r\n\r\n", Base64Lines(*part));
  }
  absl::StrAppend(&m, "--", boundary, "--\r\n");
  return m;
}

}  // namespace uplift::notify

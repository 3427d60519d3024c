// E-mail: the subject in RFC 2047 words that decode back, the MIME parts,
// the Message-ID from the notification id; what an e-mail channel needs.
#include "services/notify/mail_message.h"

#include <gtest/gtest.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "services/notify/channel_checks.h"

namespace uplift::notify {
namespace {

// Decodes "=?UTF-8?B?…?=" words separated by folding whitespace.
std::string DecodeWords(const std::string& header) {
  std::string out;
  for (absl::string_view word :
       absl::StrSplit(header, absl::ByAnyChar(" \r\n"), absl::SkipEmpty())) {
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_TRUE(absl::StartsWith(word, "=?UTF-8?B?") && absl::EndsWith(word, "?=")) << word;
    std::string bytes;
    EXPECT_TRUE(absl::Base64Unescape(word.substr(10, word.size() - 12), &bytes));
    out += bytes;
  }
  return out;
}

TEST(MailMessageTest, TheSubjectIsEncodedInWordsThatDecodeBack) {
  EXPECT_EQ(EncodeHeaderWords("Uplift notice"), "Uplift notice");
  const std::string title =
      "问题上报：新乐市恒泰机械制造有限公司「扩建用地指标不足」由市自然资源和规划局上报至包联市领"
      "导";
  const std::string encoded = EncodeHeaderWords(title);
  EXPECT_NE(encoded.find("\r\n "), std::string::npos) << "folded";
  EXPECT_EQ(DecodeWords(encoded), title);
}

TEST(MailMessageTest, AMessageHasBothBodiesAndAMessageIdFromTheNotification) {
  v1::Notice n;
  n.set_notification_id("nt-0123456789ab");
  n.set_title("问题上报：新乐市恒泰机械制造有限公司「扩建用地指标不足」");
  n.set_body("由市自然资源和规划局上报至包联市领导。理由：<指标已用尽> & 需协调。");
  const std::string m =
      MailMessage(n, {"产业集群提质跃升", "uplift@xinle.gov.cn", "wang.qiang@xinle.gov.cn",
                      absl::FromUnixSeconds(1685584800), 1});
  EXPECT_NE(m.find("Message-ID: <nt-0123456789ab.1@xinle.gov.cn>\r\n"), std::string::npos);
  EXPECT_NE(m.find("To: <wang.qiang@xinle.gov.cn>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Date: Thu, 01 Jun 2023 10:00:00 +0800\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("From: =?UTF-8?B?5Lqn5Lia6ZuG576k5o+Q6LSo6LeD5Y2H?= <uplift@xinle.gov.cn>\r\n"),
            std::string::npos);
  EXPECT_NE(m.find("Content-Type: multipart/alternative; boundary="), std::string::npos);
  // Each part's base64, decoded.
  std::vector<std::string> parts;
  for (absl::string_view chunk : absl::StrSplit(m, "Content-Transfer-Encoding: base64\r\n\r\n")) {
    parts.emplace_back(chunk);
  }
  ASSERT_EQ(parts.size(), 3u);
  auto decode = [](const std::string& chunk) {
    std::string b64 = chunk.substr(0, chunk.find("--uplift-"));
    b64.erase(std::remove_if(b64.begin(), b64.end(), [](char c) { return c == '\r' || c == '\n'; }),
              b64.end());
    std::string out;
    EXPECT_TRUE(absl::Base64Unescape(b64, &out));
    return out;
  };
  const std::string text = decode(parts[1]);
  const std::string html = decode(parts[2]);
  EXPECT_NE(text.find("理由：<指标已用尽> & 需协调。"), std::string::npos) << text;
  EXPECT_NE(text.find("通知编号：nt-0123456789ab"), std::string::npos);
  EXPECT_NE(html.find("理由：&lt;指标已用尽&gt; &amp; 需协调。"), std::string::npos) << html;
  for (absl::string_view line : absl::StrSplit(m, "\r\n")) EXPECT_LE(line.size(), 998u);
}

TEST(MailMessageTest, Addresses) {
  EXPECT_TRUE(IsMailAddress("wang.qiang@xinle.gov.cn"));
  for (const char* bad : {"", "wang", "@xinle.gov.cn", "wang@", "a@b@c.cn", "wang qiang@x.cn",
                          "wang@localhost", "a<b>@x.cn", "a@x.cn\r\nBcc: e@x.cn"}) {
    EXPECT_FALSE(IsMailAddress(bad)) << bad;
  }
}

v1::Channel Mail(const std::string& url, const std::string& address, const std::string& secret) {
  v1::Channel c;
  c.set_type(v1::CHANNEL_TYPE_EMAIL);
  c.set_url(url);
  c.set_address(address);
  c.set_secret(secret);
  return c;
}

std::string Field(const absl::Status& s) {
  return std::string(s.message().substr(0, s.message().find(':')));
}

TEST(ChannelChecksTest, AnEmailChannelNeedsAMailServerItsAccountThePasswordAndTheRecipient) {
  v1::Channel ok =
      Mail("smtps://uplift%40xinle.gov.cn@mail.xinle.gov.cn:465", " wang@xinle.gov.cn ", "pw");
  EXPECT_TRUE(CheckChannelInput(&ok).ok());
  EXPECT_EQ(ok.address(), "wang@xinle.gov.cn");
  v1::Channel c = Mail("https://mail.xinle.gov.cn", "wang@xinle.gov.cn", "pw");
  EXPECT_EQ(Field(CheckChannelInput(&c)), "channel.url");
  c = Mail("smtp://mail.xinle.gov.cn:587", "wang@xinle.gov.cn", "pw");
  EXPECT_EQ(Field(CheckChannelInput(&c)), "channel.url") << "no account";
  c = Mail("smtp://uplift%40xinle.gov.cn@mail.xinle.gov.cn:587", "wang", "pw");
  EXPECT_EQ(Field(CheckChannelInput(&c)), "channel.address");
  c = Mail("smtp://uplift%40xinle.gov.cn@mail.xinle.gov.cn:587", "wang@xinle.gov.cn", "");
  EXPECT_EQ(Field(CheckChannelInput(&c)), "channel.secret");
  c = Mail("smtp://uplift%4@mail.xinle.gov.cn:587", "wang@xinle.gov.cn", "pw");
  EXPECT_EQ(Field(CheckChannelInput(&c)), "channel.url") << "a broken escape is not a crash";
  v1::Channel robot;
  robot.set_type(v1::CHANNEL_TYPE_WECOM);
  robot.set_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k");
  robot.set_address("wang@xinle.gov.cn");
  EXPECT_EQ(Field(CheckChannelInput(&robot)), "channel.address");
}

}  // namespace
}  // namespace uplift::notify

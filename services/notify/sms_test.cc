// SMS: one segment of text with the signature, the title and the deadline;
// the gateway template's placeholders encoded where they stand; what the
// gateway's answer means; what an SMS channel needs.
#include <gtest/gtest.h>

#include "common/validation.h"
#include "services/notify/channel_checks.h"
#include "services/notify/sms_gateway.h"
#include "services/notify/sms_text.h"

namespace uplift::notify {
namespace {

v1::Notice Escalation(const std::string& title) {
  v1::Notice n;
  n.set_notification_id("nt-0123456789ab");
  n.set_title(title);
  return n;
}

TEST(SmsTextTest, OneSegmentWithTheSignatureTheTitleAndTheDeadline) {
  const std::string text = SmsText(
      "【新乐产业集群】", Escalation("问题上报：新乐市恒泰机械制造有限公司「扩建用地指标不足」"),
      "12月16日（还有10个工作日）");
  EXPECT_EQ(text,
            "【新乐产业集群】问题上报：新乐市恒泰机械制造有限公司「扩建用地指标不足」，时限12月16日"
            "（还有10个工作日）。");
  EXPECT_LE(Utf8Length(text), kSmsSegmentChars);
  std::string long_title = "问题上报：";
  for (int i = 0; i < 30; ++i) long_title += "很长的企业名称";
  const std::string cut =
      SmsText("【新乐产业集群】", Escalation(long_title), "12月16日（还有10个工作日）");
  EXPECT_EQ(Utf8Length(cut), kSmsSegmentChars);
  EXPECT_NE(cut.find("…，时限12月16日（还有10个工作日）。"), std::string::npos) << cut;
}

TEST(SmsTextTest, MobileNumbers) {
  EXPECT_TRUE(IsMobileNumber("13912345678"));
  EXPECT_TRUE(IsMobileNumber("+8613912345678"));
  for (const char* bad :
       {"", "1391234567", "12912345678", "139123456789", "1391234567a", "03112345678"}) {
    EXPECT_FALSE(IsMobileNumber(bad)) << bad;
  }
}

TEST(SmsGatewayTest, PlaceholdersAreEncodedForWhereTheyStand) {
  SmsGateway g;
  g.url = "https://sms.xinle.gov.cn/api/send?to={phone}&ref={id}";
  g.body = R"({"mobile":"{phone}","content":"{text}","outId":"{id}"})";
  g.headers = {{"Content-Type", "application/json"}};
  ASSERT_TRUE(CheckSmsGateway(g).ok());
  WebhookRequest r = SmsRequest(g, "+8613912345678", "他说\"马上办\"\n好", "nt-1.0");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://sms.xinle.gov.cn/api/send?to=%2B8613912345678&ref=nt-1.0");
  EXPECT_EQ(r.body,
            R"({"mobile":"+8613912345678","content":"他说\"马上办\"\n好","outId":"nt-1.0"})");
  g.body_encoding = "form";
  g.body = "mobile={phone}&content={text}";
  EXPECT_EQ(SmsRequest(g, "13912345678", "a b&c", "x").body,
            "mobile=13912345678&content=a%20b%26c");
}

TEST(SmsGatewayTest, AGatewayIsCheckedFlagByFlag) {
  SmsGateway g;
  EXPECT_TRUE(CheckSmsGateway(g).ok()) << "none configured";
  g.url = "ftp://sms";
  EXPECT_EQ(CheckSmsGateway(g).message().substr(0, 10), "--sms-url:");
  g.url = "https://sms.example/send";
  g.body = "{}";
  EXPECT_EQ(CheckSmsGateway(g).message().substr(0, 11), "--sms-body:");
  g.body = "{phone} {text}";
  g.method = "PUT";
  EXPECT_EQ(CheckSmsGateway(g).message().substr(0, 13), "--sms-method:");
  std::map<std::string, std::string> headers;
  EXPECT_TRUE(AddSmsHeader("Authorization: Bearer t0k", &headers).ok());
  EXPECT_EQ(headers.at("Authorization"), "Bearer t0k");
  EXPECT_FALSE(AddSmsHeader("no colon", &headers).ok());
}

TEST(SmsGatewayTest, OnlyTheConfiguredSuccessIsSent) {
  SmsGateway g;
  g.success_contains = "\"code\":0";
  WebhookResult ok{200, "", "", R"({"code":0,"msgid":"m1"})"};
  EXPECT_EQ(InterpretSmsAnswer(g, ok).http_status, 200);
  WebhookResult busy{200, "", "", "{\"code\":17,\n\"msg\":\"busy\"}"};
  WebhookResult r = InterpretSmsAnswer(g, busy);
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(r.error, "短信网关未确认发送：{\"code\":17, \"msg\":\"busy\"}");
  EXPECT_EQ(InterpretSmsAnswer(g, WebhookResult{500, ""}).http_status, 500);
}

TEST(SmsGatewayTest, AnSmsChannelIsAMobileNumberAndNothingElse) {
  v1::Channel c;
  c.set_type(v1::CHANNEL_TYPE_SMS);
  c.set_address(" 13912345678 ");
  EXPECT_TRUE(CheckChannelInput(&c).ok());
  EXPECT_EQ(c.address(), "13912345678");
  c.set_address("110");
  EXPECT_EQ(CheckChannelInput(&c).message().substr(0, 16), "channel.address:");
  c.set_address("13912345678");
  c.set_url("https://sms.example");
  EXPECT_EQ(CheckChannelInput(&c).message().substr(0, 12), "channel.url:");
}

}  // namespace
}  // namespace uplift::notify

// SMS: one segment of text with the signature, the title and the deadline;
// the gateway template's placeholders encoded where they stand; what the
// gateway's answer means; what an SMS channel needs.
#include <gtest/gtest.h>

#include "absl/strings/match.h"

#include "common/validation.h"
#include "services/notify/channel_checks.h"
#include "services/notify/sms_gateway.h"
#include "services/notify/sms_text.h"
#include "services/notify/sms_throttle.h"

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
  WebhookRequest r = SmsRequest(g, "+8613912345678", "他说\"马上办\"\n好", "nt-1.0", absl::Now());
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://sms.xinle.gov.cn/api/send?to=%2B8613912345678&ref=nt-1.0");
  EXPECT_EQ(r.body,
            R"({"mobile":"+8613912345678","content":"他说\"马上办\"\n好","outId":"nt-1.0"})");
  g.body_encoding = "form";
  g.body = "mobile={phone}&content={text}";
  EXPECT_EQ(SmsRequest(g, "13912345678", "a b&c", "x", absl::Now()).body,
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

// The worked example of 阿里云's signature documentation (DescribeRegions,
// AccessKey testid / testsecret): its string to sign and its signature.
TEST(AliyunSmsTest, TheStringToSignIsTheDocumentedOne) {
  const std::map<std::string, std::string> params = {
      {"TimeStamp", "2016-02-23T12:46:24Z"},
      {"Format", "XML"},
      {"AccessKeyId", "testid"},
      {"Action", "DescribeRegions"},
      {"SignatureMethod", "HMAC-SHA1"},
      {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
      {"Version", "2014-05-26"},
      {"SignatureVersion", "1.0"}};
  EXPECT_EQ(
      AliyunStringToSign("GET", params),
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod"
      "%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion"
      "%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
  EXPECT_EQ(AliyunSignature("testsecret", "GET", params), "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
}

TEST(AliyunSmsTest, SendSmsCarriesTheTextAsTheTemplatesOneParameter) {
  SmsGateway g;
  g.aliyun.access_key_id = "LTAI-test";
  g.aliyun.access_key_secret = "s3cret";
  g.aliyun.sign_name = "新乐产业集群";
  g.aliyun.template_code = "SMS_1234";
  ASSERT_TRUE(CheckSmsGateway(g).ok());
  EXPECT_TRUE(SmsConfigured(g));
  EXPECT_EQ(SmsTextSignature(g), "") << "the provider puts the sign name first";
  const absl::Time t = absl::FromUnixSeconds(1686000000);  // 2023-06-05T21:20:00Z
  WebhookRequest r = SmsRequest(g, "13912345678", "问题上报：\"用地\"", "nt-9.0", t);
  EXPECT_EQ(r.url, "https://dysmsapi.aliyuncs.com/");
  EXPECT_EQ(r.headers.at("Content-Type"), "application/x-www-form-urlencoded");
  for (const char* part : {"&Action=SendSms&", "&OutId=nt-9.0&", "&PhoneNumbers=13912345678&",
                           "&SignName=%E6%96%B0%E4%B9%90", "&Timestamp=2023-06-05T21%3A20%3A00Z&",
                           "&TemplateCode=SMS_1234&", "&TemplateParam=%7B%22text%22%3A%22%E9%97%AE",
                           "%5C%22%E7%94%A8%E5%9C%B0%5C%22", "&Version=2017-05-25"}) {
    EXPECT_TRUE(absl::StrContains(r.body, part)) << part << " in " << r.body;
  }
  EXPECT_TRUE(absl::StartsWith(r.body, "Signature=")) << r.body;
  WebhookRequest again = SmsRequest(g, "13912345678", "问题上报", "nt-9.0", t);
  EXPECT_NE(r.body.substr(0, 40), again.body.substr(0, 40)) << "a new nonce, a new signature";
}

TEST(AliyunSmsTest, ItsSettingsAreCheckedAndItIsNotATemplateToo) {
  SmsGateway g;
  g.aliyun.access_key_id = "LTAI-test";
  EXPECT_EQ(CheckSmsGateway(g).message().substr(0, 38), "UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_SECRET");
  g.aliyun.access_key_secret = "s";
  EXPECT_EQ(CheckSmsGateway(g).message().substr(0, 22), "--aliyun-sms-sign-name");
  g.aliyun.sign_name = "新乐";
  EXPECT_EQ(CheckSmsGateway(g).message().substr(0, 26), "--aliyun-sms-template-code");
  g.aliyun.template_code = "SMS_1";
  EXPECT_TRUE(CheckSmsGateway(g).ok());
  g.url = "https://sms.example/{phone}/{text}";
  EXPECT_EQ(CheckSmsGateway(g).message().substr(0, 22), "--aliyun-access-key-id");
}

TEST(AliyunSmsTest, ItsCodesBecomeSentRetriedOrRefused) {
  SmsGateway g;
  g.aliyun.access_key_id = "LTAI-test";
  auto status = [&](int http, const std::string& answer) {
    return InterpretSmsAnswer(g, WebhookResult{http, "", "", answer}).http_status;
  };
  EXPECT_EQ(status(200, R"({"Code":"OK","Message":"OK","BizId":"9","RequestId":"r"})"), 200);
  EXPECT_EQ(status(200, R"({"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控"})"),
            429);
  EXPECT_EQ(status(400, R"({"Code":"Throttling.User","Message":"Request was denied"})"), 429);
  EXPECT_EQ(status(200, R"({"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号"})"), 400);
  EXPECT_EQ(status(400, R"({"Code":"SignatureDoesNotMatch","Message":"..."})"), 400);
  EXPECT_EQ(status(200, R"({"Code":"isp.SYSTEM_ERROR","Message":"系统错误"})"), 503);
  EXPECT_EQ(status(200, "<html>"), 503);
  EXPECT_EQ(status(502, "<html>"), 502);
  WebhookResult r =
      InterpretSmsAnswer(g, WebhookResult{200, "", "", R"({"Code":"isv.MOBILE_NUMBER_ILLEGAL",
"Message":"非法手机号"})"});
  EXPECT_EQ(r.error, "阿里云短信：isv.MOBILE_NUMBER_ILLEGAL 非法手机号");
}

TEST(SmsThrottleTest, FiveAQuarterHourAndTwentyInThreeHours) {
  const absl::Time now = absl::FromUnixSeconds(1686000000);
  SmsLimits limits;
  std::vector<absl::Time> sends;
  for (int i = 0; i < 4; ++i) sends.push_back(now - absl::Minutes(10 - i));
  EXPECT_FALSE(NextSmsAllowed(sends, now, limits).has_value()) << "four: a fifth may go";
  sends.push_back(now - absl::Minutes(1));
  EXPECT_EQ(NextSmsAllowed(sends, now, limits), now + absl::Minutes(5))
      << "when the oldest of the five leaves the quarter hour";
  // Twenty in three hours, none in the last quarter hour: the oldest must go.
  sends.clear();
  for (int i = 0; i < 20; ++i) sends.push_back(now - absl::Minutes(170 - 5 * i));
  EXPECT_EQ(NextSmsAllowed(sends, now, limits), now + absl::Minutes(10));
  EXPECT_FALSE(NextSmsAllowed(sends, now + absl::Minutes(10), limits).has_value());
}

TEST(SmsTextTest, ABundleIsOneSegmentNamingTheFirstAndTheCount) {
  v1::Notice n;
  n.set_title(
      "问题上报：新乐市恒泰机械制造有限公司「扩建用地指标不足，需市自然资源和规划局与省自然资源厅协"
      "调解决」");
  const std::string text = SmsBundleText("【新乐产业集群】", n, 7);
  EXPECT_LE(Utf8Length(text), kSmsSegmentChars);
  EXPECT_TRUE(absl::StartsWith(text, "【新乐产业集群】问题上报：新乐市恒泰")) << text;
  EXPECT_TRUE(absl::EndsWith(text, "…等7条通知（短信已限频合并），请登录查看。")) << text;
}

TEST(SmsTextTest, WithItsLinkAMessageTakesTwoSegmentsRatherThanLoseTheTitle) {
  v1::Notice n;
  n.set_title("问题上报：新乐市恒泰机械制造有限公司「扩建用地指标不足」");
  (*n.mutable_attributes())["ack_link"] = "https://uplift.xinle.gov.cn/a/0123456789abcdef";
  const std::string text = SmsText("【新乐产业集群】", n, "12月16日（还有10个工作日）");
  EXPECT_EQ(
      text,
      "【新乐产业集群】问题上报：新乐市恒泰机械制造有限公司「扩建用地指标不足」，时限12月16日（"
      "还有10个工作日）。确认：https://uplift.xinle.gov.cn/a/0123456789abcdef");
  EXPECT_GT(Utf8Length(text), kSmsSegmentChars);
  EXPECT_LE(Utf8Length(text), 2 * kSmsLongSegmentChars);
}

}  // namespace
}  // namespace uplift::notify

// Tests of 阿里云's receipts: the QuerySendDetails request (its parameters
// and the day in China time) and how each answer is read. The signature
// itself is checked by the fake provider (tests/fakes/fake_aliyun_sms.py)
// with its own code in notify_sms_test.
#include "services/notify/aliyun_sms_receipts.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/notify/sms_flags.h"

namespace uplift::notify {
namespace {

AliyunSms Config() {
  AliyunSms c;
  c.access_key_id = "LTAI-test";
  c.access_key_secret = "s3cret";
  c.sign_name = "新乐产业集群";
  c.template_code = "SMS_1234";
  return c;
}

TEST(AliyunReceiptsTest, TheQueryNamesTheMessageAndItsChinaDay) {
  // 2023-06-05T21:20:00Z is already 6 June in China.
  const absl::Time sent = absl::FromUnixSeconds(1686000000);
  WebhookRequest r =
      AliyunReceiptRequest(Config(), {"13912345678", "b42", sent}, sent + absl::Minutes(1), "n1");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://dysmsapi.aliyuncs.com/");
  for (const char* part :
       {"&Action=QuerySendDetails&", "&BizId=b42&", "&CurrentPage=1&", "&PageSize=10&",
        "&PhoneNumber=13912345678&", "&SendDate=20230606&", "&SignatureNonce=n1&",
        "&Timestamp=2023-06-05T21%3A21%3A00Z&", "&Version=2017-05-25"}) {
    EXPECT_TRUE(absl::StrContains(r.body, part)) << part << " in " << r.body;
  }
  EXPECT_TRUE(absl::StartsWith(r.body, "Signature=")) << r.body;
  EXPECT_FALSE(absl::StrContains(r.body, "s3cret"));
}

SmsReceipt Read(const std::string& answer, int http = 200) {
  return InterpretAliyunReceipt(WebhookResult{http, "", "", answer}, "b42");
}

TEST(AliyunReceiptsTest, SendStatusThreeIsDeliveredAtTheCarriersTime) {
  const SmsReceipt r = Read(
      R"({"Code":"OK","TotalCount":1,"SmsSendDetailDTOs":{"SmsSendDetailDTO":[{"SendStatus":3,)"
      R"("ErrCode":"DELIVERED","ReceiveDate":"2023-06-06 05:20:03","PhoneNum":"13912345678"}]}})");
  EXPECT_EQ(r.state, SmsReceipt::State::kDelivered);
  EXPECT_EQ(r.received, absl::FromUnixSeconds(1686000003));  // China time read as such
}

TEST(AliyunReceiptsTest, SendStatusTwoIsFailedWithTheCarriersReason) {
  const SmsReceipt r =
      Read(R"({"Code":"OK","SmsSendDetailDTOs":{"SmsSendDetailDTO":[{"SendStatus":2,)"
           R"("ErrCode":"MOBILE_NOT_ON_SERVICE"}]}})");
  EXPECT_EQ(r.state, SmsReceipt::State::kFailed);
  EXPECT_TRUE(absl::StrContains(r.error, "MOBILE_NOT_ON_SERVICE")) << r.error;
}

TEST(AliyunReceiptsTest, WaitingNotListedRefusedOrGarbledAsksAgain) {
  EXPECT_EQ(
      Read(R"({"Code":"OK","SmsSendDetailDTOs":{"SmsSendDetailDTO":[{"SendStatus":1}]}})").state,
      SmsReceipt::State::kWaiting);
  EXPECT_EQ(
      Read(R"({"Code":"OK","TotalCount":0,"SmsSendDetailDTOs":{"SmsSendDetailDTO":[]}})").state,
      SmsReceipt::State::kWaiting);
  EXPECT_EQ(Read(R"({"Code":"OK"})").state, SmsReceipt::State::kWaiting);
  const SmsReceipt refused =
      Read(R"({"Code":"isv.SMS_INVALID_BIZID","Message":"BizId 无效"})", 400);
  EXPECT_EQ(refused.state, SmsReceipt::State::kUnknown);
  EXPECT_TRUE(absl::StrContains(refused.error, "isv.SMS_INVALID_BIZID")) << refused.error;
  EXPECT_EQ(Read("<html>502</html>", 502).state, SmsReceipt::State::kUnknown);
  EXPECT_EQ(Read("").state, SmsReceipt::State::kUnknown);
  // Another message of the same phone that day is not this one's verdict.
  EXPECT_EQ(Read(R"({"Code":"OK","SmsSendDetailDTOs":{"SmsSendDetailDTO":[)"
                 R"({"BizId":"b7","SendStatus":3}]}})")
                .state,
            SmsReceipt::State::kWaiting);
}

TEST(AliyunReceiptsTest, QueriesBackOffToHalfAnHourApart) {
  EXPECT_EQ(NextReceiptQuery(absl::Minutes(1), 0), absl::Minutes(1));
  EXPECT_EQ(NextReceiptQuery(absl::Minutes(1), 1), absl::Minutes(2));
  EXPECT_EQ(NextReceiptQuery(absl::Minutes(1), 3), absl::Minutes(8));
  EXPECT_EQ(NextReceiptQuery(absl::Minutes(1), 10), absl::Minutes(30));
  EXPECT_EQ(NextReceiptQuery(absl::Minutes(1), 1000), absl::Minutes(30));
}

TEST(AliyunReceiptsTest, TheBizIdOfATakenMessage) {
  EXPECT_EQ(AliyunBizId(R"({"Code":"OK","Message":"OK","BizId":"900619746936498440^0"})"),
            "900619746936498440^0");
  EXPECT_EQ(AliyunBizId(R"({"Code":"isv.BUSINESS_LIMIT_CONTROL","BizId":"x"})"), "");
  EXPECT_EQ(AliyunBizId("not json"), "");
}

// The flag: a duration, positive; the default a minute.
TEST(AliyunReceiptsTest, TheFirstQueryDelayIsAPositiveDuration) {
  auto parse = [](std::vector<std::string> args, SmsGateway* g) {
    CLI::App app;
    SmsFlags flags(app, g);
    std::vector<const char*> argv = {"uplift-notify"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    return flags.Finish();
  };
  SmsGateway g;
  ASSERT_TRUE(parse({}, &g).ok());
  EXPECT_EQ(g.aliyun.receipt_after, absl::Minutes(1));
  ASSERT_TRUE(parse({"--aliyun-sms-receipt-after", "90s"}, &g).ok());
  EXPECT_EQ(g.aliyun.receipt_after, absl::Seconds(90));
  for (const char* bad : {"0s", "-5s", "soon"}) {
    SmsGateway h;
    const absl::Status s = parse({"--aliyun-sms-receipt-after", bad}, &h);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_TRUE(absl::StrContains(s.message(), "--aliyun-sms-receipt-after")) << s.message();
  }
}

}  // namespace
}  // namespace uplift::notify

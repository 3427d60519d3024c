// SMS with real processes: uplift-notify sending through a fake HTTP SMS
// gateway (tests/fakes/fake_sms_gateway.py, Python) configured only by the
// request-template flags, as a county's own SMS platform would be, and
// through a fake 阿里云 SendSms endpoint (tests/fakes/fake_aliyun_sms.py)
// that checks the signature with its own code. Each escalation is one
// message of one segment, sent once per notification (by the outId)
// through "busy" and throttling answers.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "tests/support/json_lines.h"
#include "tests/support/notify_fixture.h"

namespace uplift::testing {
namespace {

class NotifySmsTest : public ::testing::Test {
 protected:
  void StartFake(const std::string& script, std::vector<std::string> args) {
    const std::string port_file = f_.dir().File("sms.port");
    args.insert(args.begin(), std::string(UPLIFT_SOURCE_DIR) + "/tests/fakes/" + script);
    args.insert(args.end(), {"--port-file", port_file, "--log", log_});
    gateway_ = std::make_unique<Process>("/usr/bin/python3", args, f_.dir().File("sms.out"));
    gateway_->Start();
    port_ = WaitForPortFile(port_file);
  }
  void StartGateway(int busy_first) {
    StartFake("fake_sms_gateway.py",
              {"--token", "t0ken-of-the-county", "--busy-first", std::to_string(busy_first)});
  }
  void StartAliyun(int throttle_first) {
    StartFake("fake_aliyun_sms.py", {"--key-id", "LTAI5tXinle", "--secret", "aliyun-s3cret",
                                     "--throttle-first", std::to_string(throttle_first)});
  }
  std::vector<std::string> AliyunFlags() const {
    return {"--aliyun-access-key-id",     "LTAI5tXinle",
            "--aliyun-sms-endpoint",      absl::StrFormat("http://127.0.0.1:%d/", port_),
            "--aliyun-sms-sign-name",     "新乐产业集群",
            "--aliyun-sms-template-code", "SMS_465300001"};
  }

  std::vector<std::string> GatewayFlags() const {
    return {"--sms-url",
            absl::StrFormat("http://127.0.0.1:%d/api/sms", port_),
            "--sms-header",
            "Authorization: Bearer t0ken-of-the-county",
            "--sms-header",
            "Content-Type: application/json; charset=utf-8",
            "--sms-body",
            R"({"mobile":"{phone}","content":"{text}","outId":"{id}"})",
            "--sms-success-contains",
            "\"code\": 0",
            "--sms-signature",
            "【新乐产业集群】"};
  }

  grpc::Status AddSms(const std::string& unit, const std::string& phone) {
    nv1::AddChannelRequest req;
    req.set_request_id("sms-" + unit);
    req.mutable_channel()->set_unit_id(unit);
    req.mutable_channel()->set_type(nv1::CHANNEL_TYPE_SMS);
    req.mutable_channel()->set_address(phone);
    nv1::AddChannelResponse resp;
    return f_.notify().AddChannel(f_.Ctx(f_.admin_token).get(), req, &resp);
  }

  std::vector<google::protobuf::Struct> Requests() const { return ReadJsonLines(log_); }
  // How many times each outId was taken (the gateway's code 0, 阿里云's "OK").
  std::map<std::string, int> Taken() const {
    std::map<std::string, int> out;
    for (const auto& r : Requests()) {
      const auto& code = r.fields().at("code");
      const bool taken =
          code.has_number_value() ? code.number_value() == 0 : code.string_value() == "OK";
      if (taken) ++out[r.fields().at("outId").string_value()];
    }
    return out;
  }

  NotifyFixture f_;
  std::string log_ = f_.dir().File("sms.jsonl");
  std::unique_ptr<Process> gateway_;
  int port_ = 0;
};

TEST_F(NotifySmsTest, EachEscalationIsOneSmsOfOneSegmentSentOnceThroughBusyAnswers) {
  StartGateway(2);
  f_.StartNotify(0, GatewayFlags());
  ASSERT_TRUE(AddSms("leader-equipment", "13912345678").ok());
  for (int i = 0; i < 6; ++i)
    f_.PublishEscalation(absl::StrFormat("pb-%012d", i), "leader-equipment");
  ASSERT_TRUE(WaitUntil([&] { return Taken().size() >= 6; }, absl::Seconds(60))) << f_.NotifyLog(0);
  absl::SleepFor(absl::Seconds(2));  // nothing more comes
  const std::map<std::string, int> taken = Taken();
  EXPECT_EQ(taken.size(), 6u);
  for (const auto& [id, n] : taken) {
    EXPECT_EQ(n, 1) << id;
    EXPECT_TRUE(absl::StartsWith(id, "nt-") && absl::EndsWith(id, ".0")) << id;
  }
  EXPECT_EQ(Requests().size(), 8u) << "two busy answers, sent again, nothing else";
  for (const auto& r : Requests()) {
    const auto& f = r.fields();
    EXPECT_EQ(f.at("mobile").string_value(), "13912345678");
    EXPECT_LE(f.at("chars").number_value(), 70);
    EXPECT_TRUE(absl::StartsWith(
        f.at("content").string_value(),
        "【新乐产业集群】问题上报：新乐市华信机械制造有限公司「用地指标不足」，时限"))
        << f.at("content").string_value();
  }
}

TEST_F(NotifySmsTest, AliyunTakesEachEscalationOnceThroughItsThrottlingAndChecksTheSignature) {
  StartAliyun(3);
  f_.StartNotify(0, AliyunFlags(), {{"UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_SECRET", "aliyun-s3cret"}});
  ASSERT_TRUE(AddSms("leader-equipment", "13912345678").ok());
  for (int i = 0; i < 5; ++i)
    f_.PublishEscalation(absl::StrFormat("pb-%012d", i), "leader-equipment");
  ASSERT_TRUE(WaitUntil([&] { return Taken().size() >= 5; }, absl::Seconds(60))) << f_.NotifyLog(0);
  absl::SleepFor(absl::Seconds(2));  // nothing more comes
  for (const auto& [id, n] : Taken()) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(Taken().size(), 5u);
  EXPECT_EQ(Requests().size(), 8u) << "three throttled, sent again, nothing else";
  for (const auto& r : Requests()) {
    const auto& f = r.fields();
    EXPECT_EQ(f.at("phone").string_value(), "13912345678");
    EXPECT_TRUE(f.at("code").string_value() == "OK" ||
                f.at("code").string_value() == "isv.BUSINESS_LIMIT_CONTROL")
        << f.at("code").string_value();
    EXPECT_LE(f.at("chars").number_value(), 70);
    EXPECT_TRUE(absl::StartsWith(f.at("text").string_value(),
                                 "问题上报：新乐市华信机械制造有限公司「用地指标不足」，时限"))
        << "no 【signature】: the provider adds the sign name; " << f.at("text").string_value();
  }
}

TEST_F(NotifySmsTest, AWrongAliyunSecretIsRefusedAndNotSentAgain) {
  StartAliyun(0);
  f_.StartNotify(0, AliyunFlags(), {{"UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_SECRET", "not-the-secret"}});
  ASSERT_TRUE(AddSms("leader-equipment", "13912345678").ok());
  f_.PublishEscalation("pb-000000000001", "leader-equipment");
  ASSERT_TRUE(WaitUntil([&] { return !Requests().empty(); }, absl::Seconds(30)));
  absl::SleepFor(absl::Seconds(3));
  ASSERT_EQ(Requests().size(), 1u) << "a refusal that will not change is not retried";
  EXPECT_EQ(Requests()[0].fields().at("code").string_value(), "SignatureDoesNotMatch");
  EXPECT_TRUE(Taken().empty());
}

TEST_F(NotifySmsTest, WithoutAGatewayThereAreNoSmsChannels) {
  f_.StartNotify(0);
  grpc::Status s = AddSms("leader-equipment", "13912345678");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "channel.type:")) << s.error_message();
}

}  // namespace
}  // namespace uplift::testing

// SMS with real processes: uplift-notify sending through a fake HTTP SMS
// gateway (tests/fakes/fake_sms_gateway.py, Python) configured only by the
// request-template flags, as a county's own SMS platform would be. Each
// escalation is one message of one segment, sent once per notification
// (by the gateway's outId) through "busy" answers.
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
  void StartGateway(int busy_first) {
    const std::string port_file = f_.dir().File("sms.port");
    gateway_ = std::make_unique<Process>(
        "/usr/bin/python3",
        std::vector<std::string>{
            std::string(UPLIFT_SOURCE_DIR) + "/tests/fakes/fake_sms_gateway.py", "--token",
            "t0ken-of-the-county", "--port-file", port_file, "--log", log_, "--busy-first",
            std::to_string(busy_first)},
        f_.dir().File("sms.out"));
    gateway_->Start();
    port_ = WaitForPortFile(port_file);
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
  std::map<std::string, int> Taken() const {
    std::map<std::string, int> out;
    for (const auto& r : Requests()) {
      if (r.fields().at("code").number_value() == 0) ++out[r.fields().at("outId").string_value()];
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

TEST_F(NotifySmsTest, WithoutAGatewayThereAreNoSmsChannels) {
  f_.StartNotify(0);
  grpc::Status s = AddSms("leader-equipment", "13912345678");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "channel.type:")) << s.error_message();
}

}  // namespace
}  // namespace uplift::testing

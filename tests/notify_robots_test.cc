// 企业微信 and 钉钉 group robots with real processes: uplift-notify, Redis,
// the registry, and fake robots (tests/fakes/fake_robot.py) that check each
// request as the robots document it, with Python's hmac rather than our
// signing code, and answer errcodes with HTTP 200 as they do. Each test
// counts what the robot accepted: every escalation exactly once, nothing
// nobody expected.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "tests/support/json_lines.h"
#include "tests/support/notify_fixture.h"
#include "tests/support/phone_receivers.h"

namespace uplift::testing {
namespace {

class NotifyRobotsTest : public ::testing::Test {
 protected:
  nv1::Channel AddRobot(const std::string& unit, nv1::ChannelType type, const std::string& url,
                        const std::string& secret = "") {
    nv1::AddChannelRequest req;
    req.set_request_id(absl::StrFormat("robot-%s-%d", unit, static_cast<int>(type)));
    req.mutable_channel()->set_unit_id(unit);
    req.mutable_channel()->set_type(type);
    req.mutable_channel()->set_url(url);
    req.mutable_channel()->set_secret(secret);
    req.mutable_channel()->set_description("专班群");
    nv1::AddChannelResponse resp;
    grpc::Status s = f_.notify().AddChannel(f_.Ctx(f_.admin_token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.channel();
  }

  void Publish(int n, const std::string& unit) {
    for (int i = 0; i < n; ++i) f_.PublishEscalation(absl::StrFormat("pb-%012d", i), unit);
  }

  static void ExpectEachOnce(const std::map<std::string, int>& accepted, size_t n) {
    EXPECT_EQ(accepted.size(), n);
    for (const auto& [id, times] : accepted) EXPECT_EQ(times, 1) << id << " doubled";
  }

  NotifyFixture f_;
};

TEST_F(NotifyRobotsTest, AWeComRobotGetsEachEscalationOnceAtItsPaceThroughBusyAnswers) {
  // The robot takes 5 in 1.9 s; uplift-notify sends 5 in 2 s, so it never
  // hears the rate-limit errcode; the first three answers are "busy".
  FakeRobot robot(f_.dir(), "wecom", "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", "",
                  {"--busy-first", "3", "--limit", "5", "--window", "1.9"});
  f_.StartNotify(0, {"--robot-rate", "5", "--robot-window", "2s"});
  nv1::Channel channel = AddRobot("dept-zrj", nv1::CHANNEL_TYPE_WECOM, robot.url());
  EXPECT_EQ(channel.url().find("693a91f6"), std::string::npos) << "the key is not shown";
  Publish(20, "dept-zrj");
  ASSERT_TRUE(WaitUntil([&] { return robot.Accepted().size() >= 20; }, absl::Seconds(60)))
      << f_.NotifyLog(0);
  absl::SleepFor(absl::Seconds(2));  // nothing more comes
  ExpectEachOnce(robot.Accepted(), 20);
  EXPECT_EQ(robot.Count(-1), 3);
  EXPECT_EQ(robot.Count(45009), 0) << "queued, not refused";
  EXPECT_EQ(robot.Answers().size(), 23u) << "nothing nobody expected";
  const std::string text = robot.Answers().back().text;
  EXPECT_NE(text.find("### 问题上报：新乐市华信机械制造有限公司「用地指标不足」"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("理由：乡镇无法解决"), std::string::npos) << text;
}

TEST_F(NotifyRobotsTest, ASignedDingTalkRobotThatRateLimitsHarderStillGetsEverythingOnce) {
  // Stricter than uplift-notify's limit: the robot answers 130101 now and
  // then, and those are sent again.
  const std::string secret = "SECb2a6f0e1d7c94c3e8a5b7d9f1e3c5a7b9d1f3e5a7c9b1d3f5e7a9c1b3d5f7e9";
  FakeRobot robot(f_.dir(), "dingtalk", "4f8e2b6c9d1a3e5f7b9c1d3e5f7a9b1c", secret,
                  {"--limit", "2", "--window", "2"});
  f_.StartNotify(0, {"--robot-rate", "5", "--robot-window", "2s"});
  AddRobot("leader-equipment", nv1::CHANNEL_TYPE_DINGTALK, robot.url(), secret);
  Publish(8, "leader-equipment");
  ASSERT_TRUE(WaitUntil([&] { return robot.Accepted().size() >= 8; }, absl::Seconds(90)))
      << f_.NotifyLog(0);
  absl::SleepFor(absl::Seconds(2));
  ExpectEachOnce(robot.Accepted(), 8);
  EXPECT_EQ(robot.Count(310000), 0) << "every request signed as 钉钉 checks it";
  EXPECT_GT(robot.Count(130101), 0) << "the robot did limit us";
  EXPECT_EQ(robot.Answers().size(), 8u + robot.Count(130101));
  std::cout << "[ robots ] 钉钉 robot: 8 accepted, " << robot.Count(130101)
            << " rate-limited and sent again\n";
}

TEST_F(NotifyRobotsTest, AWrongKeyIsGivenUpAtOnceWithTheRobotsWords) {
  FakeRobot robot(f_.dir(), "wecom", "the-right-key", "", {});
  f_.StartNotify(0);
  AddRobot("dept-zrj", nv1::CHANNEL_TYPE_WECOM, robot.url("a-wrong-key"));
  Publish(1, "dept-zrj");
  nv1::ListDeadLettersResponse dead;
  ASSERT_TRUE(WaitUntil(
      [&] {
        dead.Clear();
        return f_.notify().ListDeadLetters(f_.Ctx(f_.admin_token).get(), {}, &dead).ok() &&
               dead.dead_letters_size() > 0;
      },
      absl::Seconds(30)))
      << f_.NotifyLog(0);
  EXPECT_NE(dead.dead_letters(0).reason().find("机器人返回 errcode 93000"), std::string::npos)
      << dead.dead_letters(0).reason();
  EXPECT_EQ(robot.Answers().size(), 1u) << "not retried";
}

}  // namespace
}  // namespace uplift::testing

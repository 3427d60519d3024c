// Group robots: the messages (markdown, names, cut on a character boundary),
// 钉钉's signature against a vector computed with Python's hmac, what their
// errcodes mean, and the per-robot rate limit.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "common/validation.h"
#include "services/notify/delivery_policy.h"
#include "services/notify/robot_answer.h"
#include "services/notify/robot_messages.h"
#include "services/notify/robot_rate_limiter.h"

namespace uplift::notify {
namespace {

v1::Notice Escalation() {
  v1::Notice n;
  n.set_notification_id("nt-0123456789ab");
  n.set_title("问题上报：新乐市恒泰机械制造有限公司「扩建用地指标不足」");
  n.set_body(
      "由市自然资源和规划局上报至装备制造产业集群包联市领导，理由：全市年度用地指标已用尽，"
      "办理时限：12月16日（还有10个工作日）。");
  return n;
}

google::protobuf::Struct Parse(const std::string& json) {
  google::protobuf::Struct s;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &s).ok()) << json;
  return s;
}

TEST(RobotMessagesTest, WeComGetsMarkdownWithTheTitleTheBodyAndTheId) {
  RobotRequest r =
      WeComRequest(Escalation(), "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1");
  EXPECT_EQ(r.url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1");
  google::protobuf::Struct s = Parse(r.body);
  EXPECT_EQ(s.fields().at("msgtype").string_value(), "markdown");
  const std::string content =
      s.fields().at("markdown").struct_value().fields().at("content").string_value();
  EXPECT_EQ(content,
            "### 问题上报：新乐市恒泰机械制造有限公司「扩建用地指标不足」\n\n"
            "由市自然资源和规划局上报至装备制造产业集群包联市领导，理由：全市年度用地指标已用尽，"
            "办理时限：12月16日（还有10个工作日）。"
            "\n\n> 通知编号：nt-0123456789ab");
}

TEST(RobotMessagesTest, DingTalkIsSignedAsDingTalkDocuments) {
  // base64(HMAC-SHA256(secret, "<ms>\n<secret>")), URL-encoded: Python's
  // hmac, base64 and urllib.parse.quote_plus gave this.
  const std::string secret = "SEC0123456789abcdef0123456789abcdef";
  EXPECT_EQ(DingTalkSign(secret, 1700000000000),
            "hJ95%2FXWePTzrSwXDHEJJY1Ta0B6qiG%2FYMxNzB4v4U2w%3D");
  RobotRequest r = DingTalkRequest(
      Escalation(), "https://oapi.dingtalk.com/robot/send?access_token=t1", secret, 1700000000000);
  EXPECT_EQ(r.url,
            "https://oapi.dingtalk.com/robot/send?access_token=t1&timestamp=1700000000000"
            "&sign=hJ95%2FXWePTzrSwXDHEJJY1Ta0B6qiG%2FYMxNzB4v4U2w%3D");
  google::protobuf::Struct s = Parse(r.body);
  const auto& markdown = s.fields().at("markdown").struct_value().fields();
  EXPECT_EQ(markdown.at("title").string_value(), Escalation().title());
  EXPECT_NE(markdown.at("text").string_value().find("全市年度用地指标已用尽"), std::string::npos);
}

TEST(RobotMessagesTest, ALongBodyIsCutOnACharacterBoundaryAndKeepsTheId) {
  v1::Notice n = Escalation();
  std::string body;
  for (int i = 0; i < 3000; ++i) body += "指";
  n.set_body(body);
  const std::string md = RobotMarkdown(n, kWeComMarkdownBytes);
  EXPECT_LE(md.size(), kWeComMarkdownBytes);
  EXPECT_GE(Utf8Length(md), 1) << "valid UTF-8";
  EXPECT_NE(md.find("…\n\n> 通知编号：nt-0123456789ab"), std::string::npos);
}

WebhookResult Answer(const std::string& body, int status = 200) {
  WebhookResult r;
  r.http_status = status;
  r.answer = body;
  return r;
}

TEST(RobotAnswerTest, OnlyErrcodeZeroIsDelivered) {
  EXPECT_EQ(InterpretRobotAnswer(v1::CHANNEL_TYPE_WECOM, Answer(R"({"errcode":0,"errmsg":"ok"})"))
                .http_status,
            200);
  WebhookResult limited = InterpretRobotAnswer(
      v1::CHANNEL_TYPE_WECOM, Answer(R"({"errcode":45009,"errmsg":"api freq out of limit"})"));
  EXPECT_EQ(limited.http_status, 429);
  EXPECT_EQ(limited.error, "机器人返回 errcode 45009：api freq out of limit");
  EXPECT_EQ(InterpretRobotAnswer(v1::CHANNEL_TYPE_DINGTALK,
                                 Answer(R"({"errcode":130101,"errmsg":"send too fast"})"))
                .http_status,
            429);
  EXPECT_EQ(InterpretRobotAnswer(v1::CHANNEL_TYPE_WECOM,
                                 Answer(R"({"errcode":93000,"errmsg":"invalid webhook url"})"))
                .http_status,
            400);
  EXPECT_EQ(InterpretRobotAnswer(v1::CHANNEL_TYPE_DINGTALK,
                                 Answer(R"({"errcode":310000,"errmsg":"sign not match"})"))
                .http_status,
            400);
  EXPECT_EQ(InterpretRobotAnswer(v1::CHANNEL_TYPE_WECOM,
                                 Answer(R"({"errcode":-1,"errmsg":"system busy"})"))
                .http_status,
            503);
  EXPECT_EQ(
      InterpretRobotAnswer(v1::CHANNEL_TYPE_WECOM, Answer("<html>gateway</html>")).http_status,
      502);
  // Not a 2xx: as the status says.
  EXPECT_EQ(InterpretRobotAnswer(v1::CHANNEL_TYPE_WECOM, Answer("", 500)).http_status, 500);
}

TEST(RobotAnswerTest, ARateLimitIsRetriedAndARefusalIsGivenUpWithTheRobotsWords) {
  std::mt19937_64 rng(1);
  const absl::Time t = absl::FromUnixSeconds(1700000000);
  Decision retry =
      Decide(InterpretRobotAnswer(v1::CHANNEL_TYPE_DINGTALK,
                                  Answer(R"({"errcode":130101,"errmsg":"send too fast"})")),
             1, t, t, RetryPolicy(), rng);
  EXPECT_EQ(retry.outcome, Outcome::kRetry);
  EXPECT_EQ(retry.reason, "机器人返回 errcode 130101：send too fast");
  Decision dead =
      Decide(InterpretRobotAnswer(v1::CHANNEL_TYPE_WECOM,
                                  Answer(R"({"errcode":93000,"errmsg":"invalid webhook url"})")),
             1, t, t, RetryPolicy(), rng);
  EXPECT_EQ(dead.outcome, Outcome::kDead);
  EXPECT_NE(dead.reason.find("errcode 93000"), std::string::npos);
}

TEST(RobotRateLimiterTest, TwentyAMinuteThenTheNextWhenTheOldestLeavesTheWindow) {
  RobotRateLimiter limiter(20, absl::Minutes(1));
  const absl::Time t = absl::FromUnixSeconds(1700000000);
  for (int i = 0; i < 20; ++i)
    EXPECT_FALSE(limiter.TryTake("ch-a", t + absl::Seconds(i)).has_value());
  std::optional<absl::Time> turn = limiter.TryTake("ch-a", t + absl::Seconds(30));
  ASSERT_TRUE(turn.has_value());
  EXPECT_EQ(*turn, t + absl::Minutes(1));
  EXPECT_FALSE(limiter.TryTake("ch-b", t + absl::Seconds(30)).has_value()) << "per robot";
  EXPECT_FALSE(limiter.TryTake("ch-a", t + absl::Minutes(1)).has_value());
  EXPECT_TRUE(limiter.TryTake("ch-a", t + absl::Minutes(1)).has_value());
}

}  // namespace
}  // namespace uplift::notify

// The notification service's small parts: secrets at rest, signatures,
// retry decisions, quiet hours, digest times, the acknowledgement policy
// and the texts people read.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "common/time_util.h"
#include "services/notify/ack_policy.h"
#include "services/notify/delivery_policy.h"
#include "services/notify/notification_text.h"
#include "services/notify/notify_flags.h"
#include "services/notify/secret_box.h"
#include "services/notify/webhook_signature.h"
#include "tests/support/test_env.h"

namespace uplift::notify {
namespace {

TEST(SecretBox, SealsAndOpensAndRefusesTampering) {
  testing::TempDir dir;
  ASSERT_TRUE(SecretBox::GenerateKeyFile(dir.File("k")).ok());
  struct stat st;
  ASSERT_EQ(stat(dir.File("k").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_FALSE(SecretBox::GenerateKeyFile(dir.File("k")).ok()) << "never overwrites a key";
  auto box = SecretBox::FromKeyFile(dir.File("k"));
  ASSERT_TRUE(box.ok());
  const std::string sealed = box->Seal("webhook-shared-secret-承安");
  EXPECT_EQ(sealed.find("webhook-shared-secret"), std::string::npos) << "not stored in clear";
  EXPECT_EQ(*box->Open(sealed), "webhook-shared-secret-承安");
  std::string altered = sealed;
  altered[20] ^= 1;
  EXPECT_EQ(box->Open(altered).status().code(), absl::StatusCode::kDataLoss);
  ASSERT_TRUE(SecretBox::GenerateKeyFile(dir.File("other")).ok());
  EXPECT_FALSE(SecretBox::FromKeyFile(dir.File("other"))->Open(sealed).ok());
  EXPECT_NE(box->Seal("webhook-shared-secret-承安"), sealed) << "a fresh nonce every time";
}

TEST(WebhookSignature, VerifiesOnlyTheRightSecretBodyAndTime) {
  const absl::Time now = absl::FromUnixSeconds(1700000000);
  const std::string sig = SignWebhook("s3cret-s3cret-s3cret", 1700000000, "{\"a\":1}");
  EXPECT_EQ(sig.substr(0, 3), "v1=");
  EXPECT_TRUE(VerifyWebhook("s3cret-s3cret-s3cret", "1700000000", sig, "{\"a\":1}", now));
  EXPECT_FALSE(VerifyWebhook("other-secret-other", "1700000000", sig, "{\"a\":1}", now));
  EXPECT_FALSE(VerifyWebhook("s3cret-s3cret-s3cret", "1700000000", sig, "{\"a\":2}", now));
  EXPECT_FALSE(VerifyWebhook("s3cret-s3cret-s3cret", "1700000000", sig, "{\"a\":1}",
                             now + absl::Minutes(6)))
      << "a replay later is refused";
}

TEST(DeliveryPolicy, RetriesWhatMayPassAndGivesUpOnRefusals) {
  std::mt19937_64 rng(1);
  RetryPolicy p;
  const absl::Time t0 = absl::FromUnixSeconds(1700000000);
  EXPECT_EQ(Decide({200, ""}, 1, t0, t0, p, rng).outcome, Outcome::kDelivered);
  EXPECT_EQ(Decide({204, ""}, 1, t0, t0, p, rng).outcome, Outcome::kDelivered);
  for (int status : {0, 408, 429, 500, 503}) {
    Decision d = Decide({status, "timed out"}, 3, t0, t0, p, rng);
    EXPECT_EQ(d.outcome, Outcome::kRetry) << status;
    EXPECT_GE(d.next_attempt - t0, absl::Seconds(4) * 0.8);
    EXPECT_LE(d.next_attempt - t0, absl::Seconds(4) * 1.2);
  }
  for (int status : {400, 401, 403, 404, 410}) {
    EXPECT_EQ(Decide({status, ""}, 1, t0, t0, p, rng).outcome, Outcome::kDead) << status;
  }
  EXPECT_EQ(Decide({500, ""}, 50, t0, t0 + absl::Hours(25), p, rng).outcome, Outcome::kDead);
  EXPECT_EQ(Backoff(1, p), absl::Seconds(1));
  EXPECT_EQ(Backoff(4, p), absl::Seconds(8));
  EXPECT_EQ(Backoff(30, p), absl::Minutes(5)) << "capped";
}

TEST(QuietHoursAndDigests, ParseAndSpanMidnight) {
  auto q = ParseQuietHours("22:00-07:00");
  ASSERT_TRUE(q.ok());
  auto at = [](int h, int m) { return absl::FromCivil(absl::CivilMinute(2023, 6, 1, h, m), ShanghaiTime()); };
  EXPECT_TRUE(q->Contains(at(23, 30)));
  EXPECT_TRUE(q->Contains(at(6, 59)));
  EXPECT_FALSE(q->Contains(at(7, 0)));
  EXPECT_FALSE(q->Contains(at(12, 0)));
  EXPECT_FALSE(ParseQuietHours("off")->Contains(at(23, 0)));
  EXPECT_FALSE(ParseQuietHours("22-07").ok());
  EXPECT_EQ(*ParseDigestTimes("09:00,15:30"), (std::vector<int>{540, 930}));
  EXPECT_FALSE(ParseDigestTimes("9am").ok());
}

TEST(AckPolicy, WaitResendSupervisorThenNothing) {
  v1::EscalationPolicy p = DefaultPolicy("uplift.tasks.v1.ProblemEscalated");
  v1::Notice n;
  n.set_requires_ack(true);
  const absl::Time t0 = absl::FromUnixSeconds(1700000000);
  *n.mutable_ack_deadline() = ToProtoTimestamp(t0);
  EXPECT_EQ(NextAckAction(n, p, t0 - absl::Seconds(1)), AckAction::kWait);
  EXPECT_EQ(NextAckAction(n, p, t0), AckAction::kResend);
  n.set_resend_count(1);
  EXPECT_EQ(NextAckAction(n, p, t0), AckAction::kNotifySupervisor);
  n.set_supervisor_unit_id("dept-kgx");
  EXPECT_EQ(NextAckAction(n, p, t0), AckAction::kExhausted);
  n.set_acknowledged(true);
  EXPECT_EQ(NextAckAction(n, p, t0), AckAction::kWait);
}

TEST(NotificationText, AnEscalationSaysWhatAndByWhen) {
  uplift::tasks::v1::ProblemEscalated e;
  e.set_problem_id("pb-0123456789ab");
  e.set_enterprise_name("新乐市华信机械制造有限公司");
  e.set_title("用地指标不足");
  e.set_from_rung(uplift::tasks::v1::RUNG_DEPARTMENT);
  e.set_from_unit_id("dept-zrj");
  e.set_from_unit_name("市自然资源和规划局");
  e.set_to_rung(uplift::tasks::v1::RUNG_CITY_LEADER);
  e.set_new_owner_unit_id("leader-equipment");
  e.set_new_owner_unit_name("装备制造产业集群包联市领导");
  e.set_reason("需全市统筹。");
  // The end of 8 June, five working days after 1 June (a Thursday).
  *e.mutable_deadline() = ToProtoTimestamp(absl::FromCivil(absl::CivilSecond(2023, 6, 9, 0, 0, 0), ShanghaiTime()));
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime());
  const WorkingCalendar calendar = *WorkingCalendar::Builtin();
  v1::Notice n = FromEscalation(e, now, calendar);
  EXPECT_EQ(n.unit_id(), "leader-equipment");
  EXPECT_TRUE(n.requires_ack());
  EXPECT_EQ(n.title(), "问题上报：新乐市华信机械制造有限公司「用地指标不足」");
  // Names, never ids; the wording.
  EXPECT_EQ(n.body(),
            "由市自然资源和规划局上报至装备制造产业集群包联市领导，理由：需全市统筹，"
            "办理时限：6月8日（还有5个工作日）。");
  e.clear_new_owner_unit_name();
  e.clear_from_unit_name();
  e.set_automatic(true);
  EXPECT_EQ(FromEscalation(e, now, calendar).body(),
            "超过办理时限未办结，已自动由市直部门上报至包联市领导，理由：需全市统筹，"
            "办理时限：6月8日（还有5个工作日）。")
      << "a rung stands in for a missing name, never an id";
  EXPECT_EQ(n.attributes().at("problem_id"), "pb-0123456789ab");
}

TEST(NotificationText, DurationsInWords) {
  EXPECT_EQ(DurationWords(absl::Hours(2)), "2小时");
  EXPECT_EQ(DurationWords(absl::Minutes(30)), "30分钟");
  EXPECT_EQ(DurationWords(absl::Minutes(90)), "1小时30分钟");
  EXPECT_EQ(DurationWords(absl::Hours(24)), "1天");
  EXPECT_EQ(DurationWords(absl::Seconds(5)), "1分钟");
}

TEST(NotificationText, DeadlineWordsCountWorkingDaysOnTheOfficialCalendar) {
  const WorkingCalendar calendar = *WorkingCalendar::Builtin();
  auto at = [](int m, int d, int h) {
    return absl::FromCivil(absl::CivilSecond(2023, m, d, h, 0, 0), ShanghaiTime());
  };
  // 端午 2023: 22–24 June off, Sunday 25 June a make-up workday.
  EXPECT_EQ(DeadlineWords(at(6, 27, 0), at(6, 21, 9), calendar), "6月26日（还有2个工作日）");
  EXPECT_EQ(DeadlineWords(at(6, 9, 0), at(6, 8, 9), calendar), "6月8日（今日到期）");
  EXPECT_EQ(DeadlineWords(at(6, 9, 0), at(6, 9, 9), calendar), "6月8日（已超期）");
  EXPECT_EQ(DeadlineWords(at(12, 31, 0) + absl::Hours(24 * 365 * 3), at(6, 9, 9), calendar),
            "2026年12月30日")
      << "years away: a date, not counted day by day";
  EXPECT_EQ(DeadlineWords(absl::InfiniteFuture(), at(6, 9, 9), calendar).find("还有"),
            std::string::npos);
}

}  // namespace
}  // namespace uplift::notify

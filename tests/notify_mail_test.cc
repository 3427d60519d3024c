// E-mail with real processes: uplift-notify and a real SMTP server
// (tests/fakes/fake_smtp.py, aiosmtpd) that requires TLS and AUTH and
// parses each message with Python's email package, not our code. Every
// escalation arrives once (by Message-ID), encrypted and authenticated,
// its subject decoded; a wrong password or a server without STARTTLS gets
// nothing and leaves a dead letter that says why.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "tests/support/notify_fixture.h"
#include "tests/support/phone_receivers.h"

namespace uplift::testing {
namespace {

class NotifyMailTest : public ::testing::Test {
 protected:
  void AddMail(const std::string& unit, const SmtpServer& smtp, const std::string& scheme,
               const std::string& to, const std::string& password = kSmtpPassword) {
    grpc::Status s = f_.AddChannel(smtp.Channel(unit, to, scheme, password));
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The first dead letter's reason, once there is one.
  std::string DeadLetterReason() {
    nv1::ListDeadLettersResponse dead;
    const bool found = WaitUntil(
        [&] {
          dead.Clear();
          return f_.notify().ListDeadLetters(f_.Ctx(f_.admin_token).get(), {}, &dead).ok() &&
                 dead.dead_letters_size() > 0;
        },
        absl::Seconds(30));
    return found ? dead.dead_letters(0).reason() : "(none)";
  }

  NotifyFixture f_;
};

TEST_F(NotifyMailTest, EachEscalationArrivesOnceOverStartTlsAuthenticatedWithItsSubjectDecoded) {
  SmtpServer smtp(f_.dir(), "smtp", {"--fail-first", "2"});
  f_.StartNotify(0, {"--mail-ca-file", smtp.cert()});
  AddMail("leader-equipment", smtp, "smtp", "wang.qiang@xinle.gov.cn");
  for (int i = 0; i < 10; ++i)
    f_.PublishEscalation(absl::StrFormat("pb-%012d", i), "leader-equipment");
  ASSERT_TRUE(WaitUntil([&] { return smtp.ByMessageId().size() >= 10; }, absl::Seconds(60)))
      << f_.NotifyLog(0);
  absl::SleepFor(absl::Seconds(2));  // nothing more comes
  const std::map<std::string, int> ids = smtp.ByMessageId();
  EXPECT_EQ(ids.size(), 10u);
  for (const auto& [id, n] : ids) {
    EXPECT_EQ(n, 1) << id;
    EXPECT_TRUE(absl::StartsWith(id, "<nt-") && absl::EndsWith(id, "@xinle.gov.cn>")) << id;
  }
  for (const auto& m : smtp.Messages()) {
    const auto& f = m.fields();
    EXPECT_TRUE(f.at("tls").bool_value());
    EXPECT_TRUE(f.at("authenticated").bool_value());
    EXPECT_EQ(f.at("mail_from").string_value(), kSmtpAccount);
    ASSERT_EQ(f.at("rcpt_tos").list_value().values_size(), 1);
    EXPECT_EQ(f.at("rcpt_tos").list_value().values(0).string_value(), "wang.qiang@xinle.gov.cn");
    EXPECT_EQ(f.at("from").string_value(), "产业集群提质跃升 <uplift@xinle.gov.cn>");
    EXPECT_EQ(f.at("subject").string_value(),
              "问题上报：新乐市华信机械制造有限公司「用地指标不足」");
    EXPECT_NE(f.at("text").string_value().find("理由：乡镇无法解决"), std::string::npos);
    EXPECT_TRUE(f.at("html_has_subject").bool_value());
  }
}

TEST_F(NotifyMailTest, ImplicitTlsWorksAndAWrongPasswordIsGivenUpSayingSo) {
  SmtpServer smtp(f_.dir(), "smtps", {"--implicit-tls"});
  f_.StartNotify(0, {"--mail-ca-file", smtp.cert()});
  AddMail("dept-zrj", smtp, "smtps", "li.hua@xinle.gov.cn", "not-the-password");
  f_.PublishEscalation("pb-000000000001", "dept-zrj");
  EXPECT_EQ(DeadLetterReason(),
            "邮件服务器拒绝登录（用户名或密码不对）: the receiver refused it; not retried");
  AddMail("leader-equipment", smtp, "smtps", "wang.qiang@xinle.gov.cn");
  f_.PublishEscalation("pb-000000000002", "leader-equipment");
  ASSERT_TRUE(WaitUntil([&] { return smtp.ByMessageId().size() >= 1; }, absl::Seconds(30)))
      << f_.NotifyLog(0);
  ASSERT_EQ(smtp.Messages().size(), 1u);
  EXPECT_EQ(smtp.Messages()[0].fields().at("rcpt_tos").list_value().values(0).string_value(),
            "wang.qiang@xinle.gov.cn");
}

TEST_F(NotifyMailTest, AServerWithoutStartTlsGetsNothingInClearText) {
  SmtpServer smtp(f_.dir(), "plain", {"--no-tls"});
  f_.StartNotify(0, {"--mail-ca-file", smtp.cert()});
  AddMail("dept-zrj", smtp, "smtp", "li.hua@xinle.gov.cn");
  f_.PublishEscalation("pb-000000000001", "dept-zrj");
  EXPECT_EQ(DeadLetterReason(),
            "邮件服务器不支持 STARTTLS：不以明文发送: the receiver refused it; not retried");
  EXPECT_TRUE(smtp.Messages().empty());
}

}  // namespace
}  // namespace uplift::testing

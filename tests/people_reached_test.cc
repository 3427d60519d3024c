// People reached on their phones, with every part real: uplift-web (the
// accounts, their mobiles and e-mail addresses, sessions), uplift-notify
// reading the accounts from it, the registry and tasks moving a problem up
// the ladder, and real receivers (an SMTP server, an SMS gateway, a 企业微信
// robot). The issue's "done when": a problem escalated to the liaison city
// leader arrives as an SMS and a WeCom message to his liaison officer and as
// an e-mail to the leader, each with a link that acknowledges it for its
// recipient alone; nothing else arrives anywhere.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/support/phone_receivers.h"
#include "tests/support/web_fixture.h"

namespace uplift::testing {
namespace {

constexpr char kLeaderMail[] = "liguohua@xinle.gov.cn";
constexpr char kOfficerPhone[] = "13800000001";
constexpr char kClerkPhone[] = "13800000003";

// The "/a/<token>" of the link in a message's text ("" if none).
std::string LinkToken(const std::string& text) {
  std::smatch m;
  static const std::regex link("/a/([0-9a-f]{16})");
  return std::regex_search(text, m, link) ? m[1].str() : "";
}

class PeopleReachedTest : public ::testing::Test {
 protected:
  // A signed-in person with these contacts, as an ADMIN set them.
  std::unique_ptr<HttpClient> Person(const std::string& login, Role role, const std::string& unit,
                                     const std::string& mobile, const std::string& email) {
    std::unique_ptr<HttpClient> browser = f_.SignedInBrowser(login, role, unit);
    acv1::UpdateAccountRequest req;
    req.mutable_account()->set_login(login);
    req.mutable_account()->set_mobile(mobile);
    req.mutable_account()->set_email(email);
    req.mutable_update_mask()->add_paths("mobile");
    req.mutable_update_mask()->add_paths("email");
    acv1::UpdateAccountResponse resp;
    const grpc::Status s = f_.accounts().UpdateAccount(f_.Ctx(f_.admin_token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return browser;
  }

  // uplift-notify again, reading people from uplift-web every second;
  // uplift-web again with it behind.
  void StartNotifyForPeople(std::vector<std::string> extra = {},
                            const std::map<std::string, std::string>& env = {}) {
    f_.KillWeb();
    f_.KillNotify(0);
    std::vector<std::string> flags = {
        "--accounts-addr",  f_.web_address(),
        "--people-refresh", "1s",
        "--ack-link-base",  absl::StrCat("http://127.0.0.1:", f_.http_port())};
    flags.insert(flags.end(), extra.begin(), extra.end());
    f_.StartNotify(0, flags, env);
    f_.StartWeb();
  }
  // The same, sending through these receivers.
  void StartNotifyForPeople(const SmtpServer& smtp, const SmsReceiver& sms) {
    std::vector<std::string> flags = {"--person-mail-url", smtp.url("smtp"), "--mail-ca-file",
                                      smtp.cert()};
    flags.insert(flags.end(), sms.flags().begin(), sms.flags().end());
    StartNotifyForPeople(flags, {{"UPLIFT_NOTIFY_PERSON_MAIL_PASSWORD", kSmtpPassword}});
  }

  // Until uplift-notify has read each one's account with its contacts.
  ::testing::AssertionResult WaitForPeople(const std::vector<HttpClient*>& people) {
    const bool read = WaitUntil(
        [&]() -> bool {
          for (HttpClient* person : people) {
            const HttpResult got =
                person->Post("/uplift.notify.v1.Notification/GetPreferences", "{}");
            if (got.status != 200 || got.body.find("\"channels\"") == std::string::npos) {
              return false;
            }
          }
          return true;
        },
        absl::Seconds(30));
    if (read) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << f_.NotifyLog(0);
  }

  // upliftctl against uplift-notify with `token`.
  int Ctl(const std::string& token, std::vector<std::string> args, std::string* out) {
    args.insert(args.begin(), {"--notify-addr", f_.notify_address(), "--token", token});
    return RunCommand(UPLIFT_CTL_BIN, args, out);
  }

  // Each delivery to `unit`, for failure messages.
  std::string Deliveries(const std::string& unit) {
    nv1::ListDeliveriesRequest req;
    req.set_unit_id(unit);
    nv1::ListDeliveriesResponse resp;
    const grpc::Status s = f_.notify().ListDeliveries(f_.Ctx(f_.admin_token).get(), req, &resp);
    if (!s.ok()) return s.error_message();
    std::string out = unit + ":\n";
    for (const nv1::Delivery& d : resp.deliveries()) {
      absl::StrAppend(&out, "  ", d.channel_id(), " ", d.login(), " ",
                      nv1::DeliveryState_Name(d.state()), " ", d.last_error(), "\n");
    }
    return out;
  }

  HttpResult Acknowledge(HttpClient& browser, const std::string& token) {
    return browser.Post("/uplift.notify.v1.Notification/AcknowledgeByLink",
                        absl::StrCat("{\"token\":\"", token, "\"}"));
  }

  WebFixture f_;
};

TEST_F(PeopleReachedTest, AnEscalationToTheLeaderReachesHisOfficerBySmsAndWeComAndHimByEmail) {
  SmtpServer smtp(f_.dir(), "smtp");
  std::unique_ptr<SmsReceiver> sms = SmsReceiver::Gateway(f_.dir(), 0);
  FakeRobot robot(f_.dir(), "wecom", "officer-group-key", "", {});
  StartNotifyForPeople(smtp, *sms);

  // The leader reads e-mail; his liaison officer wants escalations by SMS
  // and in his 企业微信 group; a clerk of the land department keeps the
  // defaults (escalations by SMS).
  auto leader =
      Person("liguohua", uplift::auth::v1::ROLE_LEADER, "leader-equipment", "", kLeaderMail);
  auto officer =
      Person("zhangwei", uplift::auth::v1::ROLE_LEADER, "leader-equipment", kOfficerPhone, "");
  auto clerk = Person("liuyang", uplift::auth::v1::ROLE_DEPARTMENT, "dept-zrj", kClerkPhone, "");
  // Until uplift-notify has read the accounts, a person has no preferences.
  ASSERT_TRUE(WaitForPeople({leader.get(), officer.get(), clerk.get()}));
  HttpResult r = leader->Post(
      "/uplift.notify.v1.Notification/SetPreferences",
      R"({"preferences":{"routes":[{"kind":"KIND_ESCALATION","channelTypes":["CHANNEL_TYPE_EMAIL"]}]}})");
  ASSERT_EQ(r.status, 200) << r.body;
  r = officer->Post("/uplift.notify.v1.Notification/SetPreferences",
                    R"({"preferences":{"routes":[{"kind":"KIND_ESCALATION",
                        "channelTypes":["CHANNEL_TYPE_SMS","CHANNEL_TYPE_WECOM"]}]}})");
  ASSERT_EQ(r.status, 200) << r.body;
  r = officer->Post(
      "/uplift.notify.v1.Notification/AddChannel",
      absl::StrCat(R"({"channel":{"ownerLogin":"zhangwei","type":"CHANNEL_TYPE_WECOM",)",
                   R"("description":"包联专班群","url":")", robot.url(), "\"}}"));
  ASSERT_EQ(r.status, 200) << r.body;

  int code = 0;
  ASSERT_EQ((f_.ApplyXinlePlan(&code), code), 0);
  f_.CreateChenganEnterprise(1, "新乐市恒泰机械制造有限公司");
  const std::string problem = f_.RaiseLandProblemAtDepartment(1);
  ASSERT_TRUE(WaitUntil([&]() -> bool { return sms->Taken().size() == 1; }, absl::Seconds(30)))
      << Deliveries("dept-zrj") << f_.NotifyLog(0);
  const absl::Time escalated = absl::Now();
  f_.EscalateToLeader(problem);
  ASSERT_TRUE(WaitUntil(
      [&]() -> bool {
        return sms->Taken().size() == 2 && robot.Accepted().size() == 1 &&
               smtp.Messages().size() == 1;
      },
      absl::Seconds(30)))
      << sms->Taken().size() << " SMS, " << robot.Accepted().size() << " robot messages, "
      << smtp.Messages().size() << " e-mails\n"
      << Deliveries("leader-equipment") << f_.NotifyLog(0);
  std::cout << "[ people ] leader's e-mail, officer's SMS and WeCom message all arrived "
            << absl::FormatDuration(absl::Now() - escalated) << " after EscalateProblem\n";
  absl::SleepFor(absl::Seconds(2));  // nothing more comes

  // Exactly one message per person and channel: the clerk's SMS of the
  // department's rung, the officer's SMS, his group's message, the leader's
  // e-mail; nothing for anybody else.
  std::map<std::string, std::string> sms_to;  // phone -> text
  for (const auto& req : sms->Requests()) {
    EXPECT_EQ(sms_to.count(req.fields().at("mobile").string_value()), 0u) << "a second SMS";
    sms_to[req.fields().at("mobile").string_value()] = req.fields().at("content").string_value();
  }
  ASSERT_EQ(sms_to.size(), 2u);
  ASSERT_EQ(sms_to.count(kOfficerPhone), 1u);
  ASSERT_EQ(sms_to.count(kClerkPhone), 1u);
  EXPECT_NE(sms_to[kOfficerPhone].find("新乐市恒泰机械制造有限公司"), std::string::npos)
      << sms_to[kOfficerPhone];
  ASSERT_EQ(robot.Answers().size(), 1u);
  const std::vector<google::protobuf::Struct> mails = smtp.Messages();
  ASSERT_EQ(mails.size(), 1u);
  const auto& mail = mails[0].fields();
  EXPECT_EQ(mail.at("rcpt_tos").list_value().values(0).string_value(), kLeaderMail);
  EXPECT_NE(mail.at("subject").string_value().find("问题上报"), std::string::npos);

  // Each carries its own link; a link acknowledges for its recipient alone.
  const std::string mail_token = LinkToken(mail.at("text").string_value());
  const std::string sms_token = LinkToken(sms_to[kOfficerPhone]);
  const std::string robot_text = robot.Answers()[0].text;
  const std::string robot_token = LinkToken(robot_text);
  ASSERT_FALSE(mail_token.empty()) << mail.at("text").string_value();
  ASSERT_FALSE(sms_token.empty()) << sms_to[kOfficerPhone];
  ASSERT_FALSE(robot_token.empty()) << robot_text;
  EXPECT_EQ(std::set<std::string>({mail_token, sms_token, robot_token}).size(), 3u);
  r = Acknowledge(*officer, mail_token);
  EXPECT_EQ(r.status, 403) << "the leader's link forwarded to his officer: " << r.body;
  r = Acknowledge(*clerk, sms_token);
  EXPECT_EQ(r.status, 403) << "the officer's link forwarded to another unit: " << r.body;
  r = Acknowledge(*leader, mail_token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"acknowledgedBy\":\"liguohua\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(problem), std::string::npos) << "the answer shows the problem: " << r.body;
  r = Acknowledge(*officer, sms_token);
  EXPECT_EQ(r.status, 200) << "the officer's own link, the notification already acknowledged: "
                           << r.body;
  r = Acknowledge(*officer, robot_token);
  EXPECT_EQ(r.status, 200) << r.body;
  r = Acknowledge(*leader, mail_token);
  EXPECT_NE(r.status, 200) << "single-use: " << r.body;
}

TEST_F(PeopleReachedTest, APersonSetsTheirOwnPreferencesWithUpliftctl) {
  StartNotifyForPeople();
  auto clerk = Person("liuyang", uplift::auth::v1::ROLE_DEPARTMENT, "dept-zrj", kClerkPhone,
                      "liuyang@xinle.gov.cn");
  ASSERT_TRUE(WaitForPeople({clerk.get()}));
  const std::string own =
      f_.keys().Token(uplift::auth::v1::ROLE_DEPARTMENT, "dept-zrj", "liuyang", absl::Hours(1));
  std::string out;
  ASSERT_EQ(Ctl(own,
                {"preferences", "set", "--escalation", "sms,email", "--alert", "none", "--quiet",
                 "22:00-07:00"},
                &out),
            0)
      << out;
  for (const char* shown : {"电子邮件、短信", "仅站内消息", "（默认）", "22:00-07:00", kClerkPhone,
                            "liuyang@xinle.gov.cn"}) {
    EXPECT_NE(out.find(shown), std::string::npos) << shown << " in\n" << out;
  }
  // Only what is named changes.
  ASSERT_EQ(Ctl(own, {"preferences", "set", "--digest", "email"}, &out), 0) << out;
  ASSERT_EQ(Ctl(own, {"preferences", "show"}, &out), 0) << out;
  EXPECT_NE(out.find("电子邮件、短信"), std::string::npos) << out;
  EXPECT_NE(out.find("22:00-07:00"), std::string::npos) << out;
  // Bad input names the field and changes nothing.
  EXPECT_EQ(Ctl(own, {"preferences", "set", "--digest", "fax"}, &out), 2);
  EXPECT_NE(out.find("--digest"), std::string::npos) << out;
  EXPECT_NE(Ctl(own, {"preferences", "set", "--quiet", "25:00-07:00"}, &out), 0);
  EXPECT_NE(out.find("preferences.quiet_start"), std::string::npos) << out;
  // Nobody else's, but ADMIN's.
  const std::string colleague =
      f_.keys().Token(uplift::auth::v1::ROLE_DEPARTMENT, "dept-zrj", "wangfang", absl::Hours(1));
  EXPECT_NE(Ctl(colleague, {"preferences", "show", "--login", "liuyang"}, &out), 0);
  EXPECT_NE(out.find("PERMISSION_DENIED"), std::string::npos) << out;
  ASSERT_EQ(Ctl(f_.admin_token, {"preferences", "show", "--login", "liuyang", "--json"}, &out), 0)
      << out;
  EXPECT_NE(out.find("\"quiet_start\": \"22:00\""), std::string::npos) << out;
  EXPECT_NE(out.find("KIND_REMINDER_DIGEST"), std::string::npos) << out;
}

}  // namespace
}  // namespace uplift::testing

// The people of units in NotifyService, on an in-memory database with a
// ManualClock and a fake sender: accounts as uplift-web lists them become
// people with SMS and e-mail channels; a unit's notification reaches each
// active person on the channels their preferences name for its kind, once
// per address; personal quiet hours hold alerts, never escalations; a
// person's acknowledgement link is theirs alone.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/common_schema.h"
#include "common/time_util.h"
#include "services/notify/ack_links.h"
#include "services/notify/fake_units.h"
#include "services/notify/notify_schema.h"
#include "services/notify/notify_service.h"
#include "services/notify/notify_store.h"
#include "services/notify/notify_test_events.h"
#include "services/notify/percent_encoding.h"

namespace uplift::notify {
namespace {

v1::Person Account(const std::string& login, const std::string& name, const std::string& unit,
                   const std::string& mobile, const std::string& email, bool active = true) {
  v1::Person p;
  p.set_login(login);
  p.set_display_name(name);
  p.set_unit_id(unit);
  p.set_mobile(mobile);
  p.set_email(email);
  p.set_active(active);
  return p;
}

Principal Person(const std::string& login, const std::string& unit) {
  Principal p = Who(av1::ROLE_DEPARTMENT, unit);
  p.subject = login;
  return p;
}

v1::Route Route(v1::Kind kind, std::vector<v1::ChannelType> types) {
  v1::Route r;
  r.set_kind(kind);
  for (v1::ChannelType t : types) r.add_channel_types(t);
  return r;
}

class NotifyPeopleTest : public ::testing::Test, protected NotifyHarness {
 protected:
  static NotifyOptions Options() {
    NotifyOptions o;
    o.sms.url = "https://sms.xinle.example/send?to={phone}&text={text}";
    o.ack_link_base = "https://uplift.xinle.gov.cn";
    return o;
  }
  NotifyPeopleTest() : NotifyHarness(Options()) {
    accounts_ = {
        Account("wangqiang", "王强", "dept-zrj", "13900000001", "wangqiang@xinle.example"),
        Account("lina", "李娜", "dept-zrj", "13900000002", ""),
        Account("zhaolei", "赵磊", "dept-zrj", "13900000003", "", /*active=*/false),
        Account("chenjing", "陈静", "dept-mzj", "13900000004", ""),
        Account("admin", "管理员", "", "", ""),
    };
    EXPECT_TRUE(service_.SyncPeople(accounts_).ok());
  }

  absl::Status SetPreferences(const std::string& login, const std::string& unit,
                              std::vector<v1::Route> routes, const std::string& quiet_start = "",
                              const std::string& quiet_end = "") {
    v1::SetPreferencesRequest req;
    for (v1::Route& r : routes) *req.mutable_preferences()->add_routes() = std::move(r);
    req.mutable_preferences()->set_quiet_start(quiet_start);
    req.mutable_preferences()->set_quiet_end(quiet_end);
    return service_.SetPreferences(Person(login, unit), req).status();
  }

  // Sends what is due; the phones the SMS went to, in order.
  std::vector<std::string> SmsPhonesSent() {
    const size_t before = sender_.requests.size();
    EXPECT_TRUE(service_.DeliverDue(&sender_, 100).ok());
    std::vector<std::string> phones;
    for (size_t i = before; i < sender_.requests.size(); ++i) {
      const std::string& url = sender_.requests[i].url;
      const size_t at = url.find("to=");
      if (at != std::string::npos) phones.push_back(url.substr(at + 3, 11));
    }
    return phones;
  }

  // Who each queued delivery of the unit's last notification goes to:
  // "<login or unit>/<channel type>".
  std::multiset<std::string> Recipients(const std::string& unit) {
    std::multiset<std::string> out;
    v1::ListInboxRequest inbox;
    inbox.set_unit_id(unit);
    auto listed = service_.ListInbox(Who(av1::ROLE_ADMIN, ""), inbox);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok() || listed->notifications().empty()) return out;
    v1::ListDeliveriesRequest req;
    req.set_notification_id(listed->notifications(0).notification_id());
    auto deliveries = service_.ListDeliveries(Who(av1::ROLE_ADMIN, ""), req);
    EXPECT_TRUE(deliveries.ok()) << deliveries.status();
    for (const v1::Delivery& d : deliveries->deliveries()) {
      if (d.channel_type() == v1::CHANNEL_TYPE_INBOX) continue;
      out.insert((d.login().empty() ? d.unit_id() : d.login()) + "/" +
                 v1::ChannelType_Name(d.channel_type()).substr(13));
    }
    return out;
  }

  std::vector<v1::Person> accounts_;
};

TEST_F(NotifyPeopleTest, EachActivePersonOfTheUnitGetsItOnTheChannelsTheirPreferencesName) {
  ASSERT_TRUE(
      SetPreferences("wangqiang", "dept-zrj",
                     {Route(v1::KIND_ESCALATION, {v1::CHANNEL_TYPE_SMS, v1::CHANNEL_TYPE_EMAIL})})
          .ok());
  ASSERT_TRUE(router_.Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  // 王强 by SMS and e-mail; 李娜 by SMS (the default); 赵磊 is disabled;
  // 陈静 is of another unit.
  EXPECT_EQ(Recipients("dept-zrj"),
            (std::multiset<std::string>{"wangqiang/SMS", "wangqiang/EMAIL", "lina/SMS"}));
  const std::vector<std::string> phones = SmsPhonesSent();
  EXPECT_EQ(std::multiset<std::string>(phones.begin(), phones.end()),
            (std::multiset<std::string>{"13900000001", "13900000002"}));

  // An alert goes by e-mail by default: 李娜 has no e-mail, so only the inbox.
  ASSERT_TRUE(router_.Handle("uplift:alerts", Alert({"dept-zrj"})).ok());
  EXPECT_EQ(Recipients("dept-zrj"), (std::multiset<std::string>{"wangqiang/EMAIL"}));
  // A kind routed to nothing reaches the person's inbox only.
  ASSERT_TRUE(SetPreferences("wangqiang", "dept-zrj", {Route(v1::KIND_ALERT, {})}).ok());
  ASSERT_TRUE(router_.Handle("uplift:alerts", Alert({"dept-zrj"}, "2023-10")).ok());
  EXPECT_EQ(Recipients("dept-zrj"), std::multiset<std::string>());
}

TEST_F(NotifyPeopleTest, APhoneThatIsAlsoTheUnitsSmsChannelGetsOneMessage) {
  v1::AddChannelRequest add;
  add.mutable_channel()->set_unit_id("dept-zrj");
  add.mutable_channel()->set_type(v1::CHANNEL_TYPE_SMS);
  add.mutable_channel()->set_address("13900000001");
  ASSERT_TRUE(service_.AddChannel(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), add).ok());
  ASSERT_TRUE(router_.Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  EXPECT_EQ(Recipients("dept-zrj"), (std::multiset<std::string>{"dept-zrj/SMS", "lina/SMS"}));
  EXPECT_EQ(SmsPhonesSent().size(), 2u);
}

TEST_F(NotifyPeopleTest, PersonalQuietHoursHoldAlertsButNeverAnEscalation) {
  ASSERT_TRUE(SetPreferences("lina", "dept-zrj", {Route(v1::KIND_ALERT, {v1::CHANNEL_TYPE_SMS})},
                             "22:00", "07:00")
                  .ok());
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 23, 30, 0), ShanghaiTime()));
  ASSERT_TRUE(router_.Handle("uplift:alerts", Alert({"dept-zrj"})).ok());
  EXPECT_TRUE(SmsPhonesSent().empty()) << "an alert waits for the end of her quiet hours";
  ASSERT_TRUE(router_.Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  const std::vector<std::string> at_night = SmsPhonesSent();
  EXPECT_EQ(std::set<std::string>(at_night.begin(), at_night.end()),
            (std::set<std::string>{"13900000001", "13900000002"}))
      << "an escalation goes at once, to her too";
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 2, 6, 59, 0), ShanghaiTime()));
  EXPECT_TRUE(SmsPhonesSent().empty());
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 2, 7, 0, 0), ShanghaiTime()));
  EXPECT_EQ(SmsPhonesSent(), (std::vector<std::string>{"13900000002"}));
}

TEST_F(NotifyPeopleTest, APersonsLinkAcknowledgesForThemAloneNotForAColleague) {
  ASSERT_TRUE(SetPreferences("lina", "dept-zrj", {Route(v1::KIND_ESCALATION, {})}).ok());
  ASSERT_TRUE(router_.Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  ASSERT_EQ(SmsPhonesSent(), (std::vector<std::string>{"13900000001"}));
  const std::string& url = sender_.requests.back().url;
  const std::string prefix = PercentEncode("确认：https://uplift.xinle.gov.cn/a/");
  ASSERT_NE(url.find(prefix), std::string::npos) << url;
  v1::AcknowledgeByLinkRequest req;
  req.set_token(url.substr(url.find(prefix) + prefix.size(), 16));
  EXPECT_EQ(service_.AcknowledgeByLink(Person("lina", "dept-zrj"), req).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "forwarded to a colleague of the same unit";
  auto acknowledged = service_.AcknowledgeByLink(Person("wangqiang", "dept-zrj"), req);
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.status();
  EXPECT_EQ(acknowledged->notification().acknowledged_by(), "wangqiang");
}

TEST_F(NotifyPeopleTest, AccountChangesReachThePeopleAndTheirPreferencesStay) {
  ASSERT_TRUE(
      SetPreferences("wangqiang", "dept-zrj", {Route(v1::KIND_ESCALATION, {v1::CHANNEL_TYPE_SMS})})
          .ok());
  accounts_[0].set_mobile("13900000009");  // 王强's new phone
  accounts_[0].set_unit_id("dept-mzj");    // and unit
  accounts_[1].set_active(false);          // 李娜 disabled
  accounts_.erase(accounts_.begin() + 3);  // 陈静's account gone
  absl::StatusOr<PeopleSyncCounts> counts = service_.SyncPeople(accounts_);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->changed, 3);
  ASSERT_TRUE(router_.Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  ASSERT_TRUE(router_.Handle("uplift:escalations", Escalation("pb-000000000002", "dept-mzj")).ok());
  EXPECT_EQ(SmsPhonesSent(), (std::vector<std::string>{"13900000009"}));
  v1::GetPreferencesRequest get;
  auto got = service_.GetPreferences(Person("wangqiang", "dept-mzj"), get);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->person().unit_id(), "dept-mzj");
  ASSERT_EQ(got->person().preferences().routes_size(), 1);
  std::set<std::string> channels;
  for (const v1::Channel& c : got->person().channels())
    channels.insert(c.address() + "@" + c.unit_id());
  EXPECT_EQ(channels,
            (std::set<std::string>{"13900000009@dept-mzj", "wangqiang@xinle.example@dept-mzj"}));
  EXPECT_EQ(service_.SyncPeople(accounts_)->changed, 0) << "nothing changed: nothing written";
}

TEST_F(NotifyPeopleTest, PreferencesAreThePersonsOwnAndBadOnesNameTheirField) {
  auto field_of = [](const absl::Status& s) {
    return std::string(s.message().substr(0, s.message().find(':')));
  };
  EXPECT_EQ(field_of(SetPreferences("lina", "dept-zrj", {Route(v1::KIND_REMINDER, {})})),
            "preferences.routes[0].kind");
  EXPECT_EQ(field_of(SetPreferences("lina", "dept-zrj",
                                    {Route(v1::KIND_ALERT, {}), Route(v1::KIND_ALERT, {})})),
            "preferences.routes[1].kind");
  EXPECT_EQ(field_of(SetPreferences("lina", "dept-zrj",
                                    {Route(v1::KIND_ALERT, {v1::CHANNEL_TYPE_WEBHOOK})})),
            "preferences.routes[0].channel_types[0]");
  EXPECT_EQ(field_of(SetPreferences("lina", "dept-zrj", {}, "22:00", "")),
            "preferences.quiet_start");
  EXPECT_EQ(field_of(SetPreferences("lina", "dept-zrj", {}, "22:00", "7:00")),
            "preferences.quiet_end");
  v1::SetPreferencesRequest other;
  other.set_login("wangqiang");
  EXPECT_EQ(service_.SetPreferences(Person("lina", "dept-zrj"), other).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(service_.SetPreferences(Who(av1::ROLE_ADMIN, ""), other).ok());
  v1::GetPreferencesRequest nobody;
  nobody.set_login("nobody");
  EXPECT_EQ(service_.GetPreferences(Who(av1::ROLE_ADMIN, ""), nobody).status().code(),
            absl::StatusCode::kNotFound);
  v1::GetPreferencesRequest own;
  auto lina = service_.GetPreferences(Person("lina", "dept-zrj"), own);
  ASSERT_TRUE(lina.ok()) << lina.status();
  EXPECT_EQ(lina->person().display_name(), "李娜");
  EXPECT_EQ(lina->person().preferences().routes_size(), 0) << "the refused ones changed nothing";
}

TEST_F(NotifyPeopleTest, APersonAddsTheirOwnRobotAndNobodyElseDoes) {
  v1::AddChannelRequest add;
  add.mutable_channel()->set_owner_login("wangqiang");
  add.mutable_channel()->set_type(v1::CHANNEL_TYPE_WECOM);
  add.mutable_channel()->set_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-wang");
  EXPECT_EQ(service_.AddChannel(Person("lina", "dept-zrj"), add).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto added = service_.AddChannel(Person("wangqiang", "dept-zrj"), add);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->channel().unit_id(), "dept-zrj");
  v1::AddChannelRequest sms = add;
  sms.mutable_channel()->set_type(v1::CHANNEL_TYPE_SMS);
  sms.mutable_channel()->clear_url();
  sms.mutable_channel()->set_address("13900000001");
  absl::Status refused = service_.AddChannel(Person("wangqiang", "dept-zrj"), sms).status();
  EXPECT_EQ(refused.message().substr(0, 13), "channel.type:") << refused;
  // The unit's channel list is the unit's, not its people's.
  v1::ListChannelsRequest list;
  list.set_unit_id("dept-zrj");
  EXPECT_EQ(service_.ListChannels(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), list)->channels_size(), 1);

  ASSERT_TRUE(router_.Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  EXPECT_EQ(Recipients("dept-zrj"),
            (std::multiset<std::string>{"wangqiang/WECOM", "wangqiang/SMS", "lina/SMS"}));
  v1::RemoveChannelRequest remove;
  remove.set_channel_id(PersonSmsChannelId("wangqiang"));
  EXPECT_EQ(service_.RemoveChannel(Person("wangqiang", "dept-zrj"), remove)
                .status()
                .message()
                .substr(0, 11),
            "channel_id:");
  remove.set_channel_id(added->channel().channel_id());
  EXPECT_EQ(service_.RemoveChannel(Person("lina", "dept-zrj"), remove).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(service_.RemoveChannel(Person("wangqiang", "dept-zrj"), remove).ok());
}

}  // namespace
}  // namespace uplift::notify

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
#include "tests/support/notify_fixture.h"
#include "tests/support/phone_receivers.h"

namespace uplift::testing {
namespace {

class NotifySmsTest : public ::testing::Test {
 protected:
  grpc::Status AddSms(const std::string& unit, const std::string& phone) {
    nv1::Channel c;
    c.set_unit_id(unit);
    c.set_type(nv1::CHANNEL_TYPE_SMS);
    c.set_address(phone);
    return f_.AddChannel(c);
  }

  std::vector<google::protobuf::Struct> Requests() const { return sms_->Requests(); }
  std::map<std::string, int> Taken() const { return sms_->Taken(); }

  NotifyFixture f_;
  std::unique_ptr<SmsReceiver> sms_;
};

TEST_F(NotifySmsTest, EachEscalationIsOneSmsOfOneSegmentSentOnceThroughBusyAnswers) {
  sms_ = SmsReceiver::Gateway(f_.dir(), 2);
  f_.StartNotify(0, sms_->flags());
  ASSERT_TRUE(AddSms("leader-equipment", "13912345678").ok());
  // Five: the per-phone limit (5 in 15 minutes) would bundle a sixth.
  for (int i = 0; i < 5; ++i)
    f_.PublishEscalation(absl::StrFormat("pb-%012d", i), "leader-equipment");
  ASSERT_TRUE(WaitUntil([&] { return Taken().size() >= 5; }, absl::Seconds(60))) << f_.NotifyLog(0);
  absl::SleepFor(absl::Seconds(2));  // nothing more comes
  const std::map<std::string, int> taken = Taken();
  EXPECT_EQ(taken.size(), 5u);
  for (const auto& [id, n] : taken) {
    EXPECT_EQ(n, 1) << id;
    EXPECT_TRUE(absl::StartsWith(id, "nt-") && absl::EndsWith(id, ".0.13912345678")) << id;
  }
  EXPECT_EQ(Requests().size(), 7u) << "two busy answers, sent again, nothing else";
  // Each SMS delivery is SENT (the gateway took it; it reports no more).
  nv1::ListInboxRequest inbox;
  inbox.set_unit_id("leader-equipment");
  nv1::ListInboxResponse notices;
  ASSERT_TRUE(f_.notify().ListInbox(f_.Ctx(f_.admin_token).get(), inbox, &notices).ok());
  ASSERT_EQ(notices.notifications_size(), 5);
  for (const nv1::Notice& n : notices.notifications()) {
    nv1::ListDeliveriesRequest list;
    list.set_notification_id(n.notification_id());
    nv1::ListDeliveriesResponse ds;
    ASSERT_TRUE(f_.notify().ListDeliveries(f_.Ctx(f_.admin_token).get(), list, &ds).ok());
    ASSERT_EQ(ds.deliveries_size(), 2);
    EXPECT_EQ(ds.deliveries(1).channel_type(), nv1::CHANNEL_TYPE_SMS);
    EXPECT_EQ(ds.deliveries(1).state(), nv1::DELIVERY_STATE_SENT) << n.notification_id();
  }
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
  sms_ = SmsReceiver::Aliyun(f_.dir(), 3);
  f_.StartNotify(0, sms_->flags(), {{"UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_SECRET", kAliyunSecret}});
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

// 阿里云's receipts: each SMS SendSms took is asked for with a signed
// QuerySendDetails (its BizId, phone and China-time day) until the carrier
// reports: delivered makes the delivery DELIVERED, failed makes it DEAD
// with the carrier's reason; nothing is asked for after the verdict.
TEST_F(NotifySmsTest, AliyunReceiptsMakeAnSmsDeliveredOrFailed) {
  sms_ = SmsReceiver::Aliyun(f_.dir(), 0, {"13900000000"});
  f_.StartNotify(0, sms_->flags(), {{"UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_SECRET", kAliyunSecret}});
  ASSERT_TRUE(AddSms("leader-equipment", "13912345678").ok());
  ASSERT_TRUE(AddSms("leader-equipment", "13900000000").ok());
  f_.PublishEscalation("pb-000000000001", "leader-equipment");

  nv1::ListInboxRequest inbox;
  inbox.set_unit_id("leader-equipment");
  nv1::ListInboxResponse notices;
  ASSERT_TRUE(WaitUntil(
      [&] {
        notices.Clear();
        return f_.notify().ListInbox(f_.Ctx(f_.admin_token).get(), inbox, &notices).ok() &&
               notices.notifications_size() == 1;
      },
      absl::Seconds(30)));
  std::map<std::string, nv1::Delivery> sms;  // by phone, once settled
  ASSERT_TRUE(WaitUntil(
      [&] {
        nv1::ListDeliveriesRequest list;
        list.set_notification_id(notices.notifications(0).notification_id());
        nv1::ListDeliveriesResponse ds;
        if (!f_.notify().ListDeliveries(f_.Ctx(f_.admin_token).get(), list, &ds).ok()) return false;
        sms.clear();
        for (const nv1::Delivery& d : ds.deliveries()) {
          if (d.channel_type() != nv1::CHANNEL_TYPE_SMS) continue;
          if (d.state() != nv1::DELIVERY_STATE_DELIVERED && d.state() != nv1::DELIVERY_STATE_DEAD)
            return false;
          sms[d.channel_id()] = d;
        }
        return sms.size() == 2;
      },
      absl::Seconds(60)))
      << f_.NotifyLog(0);
  int delivered = 0, failed = 0;
  for (const auto& [channel, d] : sms) {
    if (d.state() == nv1::DELIVERY_STATE_DELIVERED) {
      ++delivered;
      EXPECT_GT(d.delivered_time().seconds(), 0);
      EXPECT_GE(d.delivered_time().seconds() + 1, d.sent_time().seconds());
    } else {
      ++failed;
      EXPECT_TRUE(absl::StrContains(d.last_error(), "MOBILE_NOT_ON_SERVICE")) << d.last_error();
    }
  }
  EXPECT_EQ(delivered, 1);
  EXPECT_EQ(failed, 1);

  absl::SleepFor(absl::Seconds(3));  // nothing is asked for after the verdict
  std::map<std::string, std::vector<std::string>> answers;  // by phone: the statuses given
  for (const google::protobuf::Struct& q : sms_->Queries()) {
    const auto& f = q.fields();
    const auto& status = f.at("status");
    answers[f.at("phone").string_value()].push_back(
        status.has_number_value() ? std::to_string(static_cast<int>(status.number_value()))
                                  : status.string_value());
    EXPECT_EQ(f.at("sendDate").string_value(),
              absl::FormatTime("%Y%m%d", absl::Now(), absl::FixedTimeZone(8 * 3600)));
  }
  EXPECT_EQ(answers["13912345678"], (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(answers["13900000000"], (std::vector<std::string>{"1", "2"}));
}

TEST_F(NotifySmsTest, AWrongAliyunSecretIsRefusedAndNotSentAgain) {
  sms_ = SmsReceiver::Aliyun(f_.dir(), 0);
  f_.StartNotify(0, sms_->flags(), {{"UPLIFT_NOTIFY_ALIYUN_ACCESS_KEY_SECRET", "not-the-secret"}});
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

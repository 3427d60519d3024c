// NotifyService on an in-memory database with a ManualClock, a fake unit
// directory and a fake webhook sender: events into inboxes (once),
// acknowledgements, the escalation policy with pinned versions, webhook
// retries and dead letters, reminder digests.
#include "services/notify/notify_service.h"
#include "common/sql/query.h"

#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include <functional>

#include <set>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "common/common_schema.h"
#include "common/ids.h"
#include "common/time_util.h"
#include "services/notify/ack_links.h"
#include "services/notify/fake_units.h"
#include "services/notify/notify_schema.h"
#include "services/notify/notify_store.h"
#include "services/notify/notify_test_events.h"
#include "services/notify/percent_encoding.h"
#include "services/notify/webhook_address_policy.h"
#include "services/notify/webhook_signature.h"
#include "uplift/indicators/v1/indicator_events.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::notify {
namespace {

class NotifyServiceTest : public ::testing::TestWithParam<sql::Engine>, protected NotifyHarness {
 protected:
  NotifyServiceTest() : NotifyHarness({}, GetParam()) {}

  // An entry of `stream` as the consumer hands it over (signatures are the
  // router's own tests' business).
  absl::Status Handle(const std::string& stream, const StreamEvent& e) {
    return router_.Handle(stream, e);
  }

  std::vector<v1::Notice> Inbox(const std::string& unit) {
    v1::ListInboxRequest req;
    req.set_unit_id(unit);
    auto r = service_.ListInbox(Who(av1::ROLE_DEPARTMENT, unit), req);
    EXPECT_TRUE(r.ok()) << r.status();
    return std::vector<v1::Notice>(r->notifications().begin(), r->notifications().end());
  }

  std::string AddWebhook(const std::string& unit) {
    v1::AddChannelRequest req;
    req.mutable_channel()->set_unit_id(unit);
    req.mutable_channel()->set_url("https://oa.xinle.example/hooks/uplift");
    req.mutable_channel()->set_secret("a-shared-secret-of-the-department");
    auto r = service_.AddChannel(Who(av1::ROLE_DEPARTMENT, unit), req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->channel().channel_id() : "";
  }

  // A second service over the same database, with `options`, and its router.
  struct WithOptions {
    WithOptions(NotifyServiceTest* t, const NotifyOptions& options)
        : service(t->db_.get(), &t->clock_, &t->box_, &t->units_, nullptr, options),
          router(t->db_.get(), &t->clock_, nullptr) {
      service.RegisterEventHandlers(&router);
    }
    NotifyService service;
    EventRouter router;
  };
  static constexpr char kSmsGatewayUrl[] = "https://sms.xinle.example/send?to={phone}&text={text}";
  absl::Status AddSms(NotifyService& service, const std::string& unit, const std::string& phone) {
    v1::AddChannelRequest add;
    add.mutable_channel()->set_unit_id(unit);
    add.mutable_channel()->set_type(v1::CHANNEL_TYPE_SMS);
    add.mutable_channel()->set_address(phone);
    return service.AddChannel(Who(av1::ROLE_DEPARTMENT, unit), add).status();
  }
};

TEST_P(NotifyServiceTest, AnEscalationReachesTheNewOwnerOnceHoweverOftenItArrives) {
  const StreamEvent e = Escalation("pb-000000000001", "dept-zrj");
  ASSERT_TRUE(Handle("uplift:escalations", e).ok());
  ASSERT_TRUE(Handle("uplift:escalations", e).ok());  // redelivered
  std::vector<v1::Notice> inbox = Inbox("dept-zrj");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].kind(), v1::KIND_ESCALATION);
  EXPECT_TRUE(inbox[0].requires_ack());
  EXPECT_EQ(FromProtoTimestamp(inbox[0].ack_deadline()), clock_.Now() + absl::Hours(2));
  EXPECT_TRUE(Inbox("dept-kgx").empty());
}

TEST_P(NotifyServiceTest, APoisonPayloadIsAnErrorAndStoresNothing) {
  StreamEvent e = Escalation("pb-000000000001", "dept-zrj");
  e.payload = "\xff\xff not a protobuf";
  EXPECT_FALSE(Handle("uplift:escalations", e).ok());
  StreamEvent no_owner = Escalation("pb-000000000001", "");
  EXPECT_FALSE(Handle("uplift:escalations", no_owner).ok());
  EXPECT_TRUE(Inbox("dept-zrj").empty());
  StreamEvent other;
  other.event_id = "x";
  other.type = "uplift.registry.v1.UnitCreated";
  other.version = 1;
  EXPECT_TRUE(Handle("uplift:escalations", other).ok()) << "unknown types are skipped";
}

TEST_P(NotifyServiceTest, OnlyTheRecipientAcknowledges) {
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  const std::string id = Inbox("dept-zrj")[0].notification_id();
  v1::AcknowledgeRequest ack;
  ack.set_notification_id(id);
  EXPECT_EQ(service_.Acknowledge(Who(av1::ROLE_ADMIN, ""), ack).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Acknowledge(Who(av1::ROLE_DEPARTMENT, "dept-scj"), ack).status().code(),
            absl::StatusCode::kPermissionDenied);
  Principal person = Who(av1::ROLE_DEPARTMENT, "dept-zrj");
  person.subject_name = "李华";
  auto done = service_.Acknowledge(person, ack);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->notification().acknowledged());
  EXPECT_EQ(done->notification().acknowledged_by(), "dept-zrj-person");
  EXPECT_EQ(done->notification().acknowledged_by_name(), "李华");
  v1::ListInboxRequest list;
  list.set_unit_id("dept-zrj");
  EXPECT_EQ(service_.ListInbox(Who(av1::ROLE_DEPARTMENT, "dept-scj"), list).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Nothing more happens to an acknowledged escalation.
  clock_.Advance(absl::Hours(10));
  EXPECT_EQ(service_.Sweep()->resent, 0);
}

TEST_P(NotifyServiceTest, UnacknowledgedItIsSentAgainThenTheSupervisorIsTold) {
  AddWebhook("dept-zrj");
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  EXPECT_EQ(sender_.requests.back().headers.at("X-Uplift-Resend"), "0");

  clock_.Advance(absl::Hours(2));
  auto first = service_.Sweep();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->resent, 1);
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  EXPECT_EQ(sender_.requests.back().headers.at("X-Uplift-Resend"), "1");
  EXPECT_EQ(Inbox("dept-zrj").size(), 1u) << "a resend is the same notification, not a second";

  clock_.Advance(absl::Hours(2));
  auto second = service_.Sweep();
  EXPECT_EQ(second->supervisors, 1);
  std::vector<v1::Notice> boss = Inbox("dept-kgx");
  ASSERT_EQ(boss.size(), 1u);
  EXPECT_EQ(boss[0].kind(), v1::KIND_SUPERVISOR_NOTICE);
  EXPECT_EQ(boss[0].on_behalf_of_unit_id(), "dept-zrj");
  clock_.Advance(absl::Hours(24));
  auto third = service_.Sweep();
  EXPECT_EQ(third->resent + third->supervisors, 0) << "the policy has nothing more to do";
}

TEST_P(NotifyServiceTest, AProblemKeepsThePolicyVersionItStartedUnder) {
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  v1::SetPolicyRequest set;
  set.mutable_policy()->set_message_type("uplift.tasks.v1.ProblemEscalated");
  set.mutable_policy()->mutable_ack_within()->set_seconds(30 * 60);
  set.mutable_policy()->set_resends(0);
  EXPECT_EQ(service_.SetPolicy(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), set).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto v2 = service_.SetPolicy(Who(av1::ROLE_ADMIN, ""), set);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->policy().version(), 2);
  // The same problem climbs again: still version 1 (2 hours).
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000001", "leader-equipment")).ok());
  v1::Notice old_problem = Inbox("leader-equipment")[0];
  EXPECT_EQ(old_problem.policy_version(), 1);
  EXPECT_EQ(FromProtoTimestamp(old_problem.ack_deadline()), clock_.Now() + absl::Hours(2));
  // A new problem starts under version 2 (30 minutes).
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000002", "dept-scj")).ok());
  v1::Notice new_problem = Inbox("dept-scj")[0];
  EXPECT_EQ(new_problem.policy_version(), 2);
  EXPECT_EQ(FromProtoTimestamp(new_problem.ack_deadline()), clock_.Now() + absl::Minutes(30));
  set.mutable_policy()->mutable_ack_within()->set_seconds(5);
  EXPECT_EQ(service_.SetPolicy(Who(av1::ROLE_ADMIN, ""), set).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(NotifyServiceTest, WebhooksAreSignedRetriedAndDeadLettered) {
  v1::AddChannelRequest bad;
  bad.mutable_channel()->set_unit_id("dept-zrj");
  bad.mutable_channel()->set_url("ftp://x");
  bad.mutable_channel()->set_secret("a-shared-secret-of-the-department");
  EXPECT_EQ(service_.AddChannel(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), bad).status().message().substr(0, 12),
            "channel.url:");
  bad.mutable_channel()->set_url("https://oa.example/h");
  bad.mutable_channel()->set_secret("short");
  EXPECT_EQ(service_.AddChannel(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), bad).status().message().substr(0, 15),
            "channel.secret:");
  bad.mutable_channel()->set_secret("a-shared-secret-of-the-department");
  EXPECT_EQ(service_.AddChannel(Who(av1::ROLE_DEPARTMENT, "dept-scj"), bad).status().code(),
            absl::StatusCode::kPermissionDenied);
  bad.mutable_channel()->set_unit_id("nowhere");
  EXPECT_EQ(service_.AddChannel(Who(av1::ROLE_ADMIN, ""), bad).status().code(), absl::StatusCode::kInvalidArgument);

  AddWebhook("dept-zrj");
  v1::ListChannelsRequest list;
  list.set_unit_id("dept-zrj");
  auto channels = service_.ListChannels(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), list);
  ASSERT_EQ(channels->channels_size(), 2);  // the inbox and the webhook
  EXPECT_TRUE(channels->channels(1).secret().empty()) << "secrets never come back";
  EXPECT_EQ(channels->channels(1).secret_fingerprint().size(), 8u);

  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  sender_.next = {{503, ""}, {0, "connection refused"}};
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  EXPECT_EQ(*service_.DeliverDue(&sender_, 10), 0) << "waits for its backoff";
  clock_.Advance(absl::Seconds(2));
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  clock_.Advance(absl::Seconds(3));
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);  // 200 now
  const FakeSender::Request& last = sender_.requests.back();
  EXPECT_TRUE(VerifyWebhook("a-shared-secret-of-the-department", last.headers.at("X-Uplift-Timestamp"),
                            last.headers.at("X-Uplift-Signature"), last.body, absl::Now()));
  v1::Notice sent;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(last.body, &sent).ok());
  EXPECT_EQ(sent.unit_id(), "dept-zrj");
  v1::ListDeliveriesRequest deliveries;
  deliveries.set_notification_id(sent.notification_id());
  auto ds = service_.ListDeliveries(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), deliveries);
  ASSERT_EQ(ds->deliveries_size(), 2);
  EXPECT_EQ(ds->deliveries(0).channel_type(), v1::CHANNEL_TYPE_INBOX);
  EXPECT_EQ(ds->deliveries(1).state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_EQ(ds->deliveries(1).attempts(), 3);

  // A receiver that refuses (400) goes to the dead letters at once.
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000002", "dept-zrj")).ok());
  sender_.next = {{400, ""}};
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  auto dead = service_.ListDeadLetters(Who(av1::ROLE_ADMIN, ""), v1::ListDeadLettersRequest());
  ASSERT_EQ(dead->dead_letters_size(), 1);
  EXPECT_NE(dead->dead_letters(0).reason().find("HTTP 400"), std::string::npos);
  v1::RetryDeadLetterRequest retry;
  retry.set_dead_letter_id(dead->dead_letters(0).dead_letter_id());
  ASSERT_TRUE(service_.RetryDeadLetter(Who(av1::ROLE_ADMIN, ""), retry).ok());
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  EXPECT_EQ(service_.ListDeadLetters(Who(av1::ROLE_ADMIN, ""), v1::ListDeadLettersRequest())->dead_letters_size(), 0);
}

TEST_P(NotifyServiceTest, AFailingReceiverIsRetriedForADayThenDeadLettered) {
  AddWebhook("dept-zrj");
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  for (int i = 0; i < 400; ++i) {
    sender_.next = {{500, ""}};
    (void)service_.DeliverDue(&sender_, 10);
    clock_.Advance(absl::Minutes(6));
  }
  auto dead = service_.ListDeadLetters(Who(av1::ROLE_ADMIN, ""), v1::ListDeadLettersRequest());
  ASSERT_EQ(dead->dead_letters_size(), 1);
  EXPECT_NE(dead->dead_letters(0).reason().find("still failing"), std::string::npos);
  // Retried every 5 minutes at most, for a day: about 24*12 attempts.
  EXPECT_GT(dead->dead_letters(0).delivery().attempts(), 200);
}

TEST_P(NotifyServiceTest, AReceiverDownForAnHourGetsEverythingWhenItReturns) {
  AddWebhook("dept-zrj");
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-00000000" + std::to_string(1000 + i), "dept-zrj")).ok());
  }
  // An hour of connection refused, tried whenever due.
  const absl::Time back = clock_.Now() + absl::Hours(1);
  while (clock_.Now() < back) {
    for (int k = 0; k < 30; ++k) sender_.next.push_back({0, "connection refused"});
    (void)service_.DeliverDue(&sender_, 30);
    sender_.next.clear();
    clock_.Advance(absl::Seconds(30));
  }
  // Back: within the longest backoff (5 minutes) everything is delivered.
  for (int i = 0; i < 12; ++i) {
    (void)service_.DeliverDue(&sender_, 30);
    clock_.Advance(absl::Seconds(30));
  }
  std::set<std::string> delivered;
  for (const v1::Notice& n : Inbox("dept-zrj")) {
    v1::ListDeliveriesRequest req;
    req.set_notification_id(n.notification_id());
    const auto listed = service_.ListDeliveries(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), req);
    ASSERT_TRUE(listed.ok());
    for (const auto& d : listed->deliveries()) {
      if (d.channel_type() == v1::CHANNEL_TYPE_WEBHOOK && d.state() == v1::DELIVERY_STATE_DELIVERED) {
        delivered.insert(n.notification_id());
      }
    }
  }
  EXPECT_EQ(delivered.size(), 20u);
  EXPECT_EQ(service_.ListDeadLetters(Who(av1::ROLE_ADMIN, ""), v1::ListDeadLettersRequest())->dead_letters_size(), 0);
}

TEST_P(NotifyServiceTest, RemindersWaitForTheDigestOutsideQuietHours) {
  AddWebhook("dept-mzj");
  ASSERT_TRUE(Handle("uplift:reminders", Reminder("dept-mzj", "1")).ok());
  ASSERT_TRUE(Handle("uplift:reminders", Reminder("dept-mzj", "2")).ok());
  ASSERT_TRUE(Handle("uplift:reminders", Reminder("dept-fgj", "3")).ok());
  EXPECT_EQ(*service_.DeliverDue(&sender_, 10), 0) << "reminders are not pushed one by one";
  EXPECT_EQ(Inbox("dept-mzj").size(), 2u) << "but the inbox shows them";
  // 10:00 on 06-01: the 09:00 digest of that day is due.
  auto swept = service_.Sweep();
  EXPECT_EQ(swept->digests, 2);
  EXPECT_EQ(service_.Sweep()->digests, 0) << "once per digest time";
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  v1::Notice digest;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(sender_.requests.back().body, &digest).ok());
  EXPECT_EQ(digest.kind(), v1::KIND_REMINDER_DIGEST);
  EXPECT_EQ(digest.title(), "待办提醒汇总（2 项）");

  // A reminder at night waits for the next morning's digest.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 23, 0, 0), ShanghaiTime()));
  ASSERT_TRUE(Handle("uplift:reminders", Reminder("dept-mzj", "4")).ok());
  EXPECT_EQ(service_.Sweep()->digests, 0);
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 2, 8, 0, 0), ShanghaiTime()));
  EXPECT_EQ(service_.Sweep()->digests, 0) << "quiet, and before 09:00 anyway";
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 2, 9, 0, 1), ShanghaiTime()));
  EXPECT_EQ(service_.Sweep()->digests, 1);
}

// PENDING (queued) -> SENDING while the request is out -> DELIVERED for a
// unit's system that answered 2xx; a digest still queued when the next one
// is made is STALE and never sent.
TEST_P(NotifyServiceTest, ADeliveryIsQueuedThenSendingThenDeliveredAndAnOvertakenDigestIsStale) {
  AddWebhook("dept-mzj");
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000001", "dept-mzj")).ok());
  const std::string escalation = Inbox("dept-mzj")[0].notification_id();
  auto webhook_state = [&](const std::string& notification) {
    v1::ListDeliveriesRequest list;
    list.set_notification_id(notification);
    auto ds = service_.ListDeliveries(Who(av1::ROLE_DEPARTMENT, "dept-mzj"), list);
    EXPECT_EQ(ds->deliveries_size(), 2);
    return ds->deliveries(1);
  };
  EXPECT_EQ(webhook_state(escalation).state(), v1::DELIVERY_STATE_PENDING);
  v1::DeliveryState while_sent = v1::DELIVERY_STATE_UNSPECIFIED;
  sender_.during = [&] { while_sent = webhook_state(escalation).state(); };
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  sender_.during = nullptr;
  EXPECT_EQ(while_sent, v1::DELIVERY_STATE_SENDING);
  EXPECT_EQ(webhook_state(escalation).state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_TRUE(webhook_state(escalation).has_delivered_time());

  // 10:00 on 06-01: a digest; the receiver is down, so it stays queued.
  ASSERT_TRUE(Handle("uplift:reminders", Reminder("dept-mzj", "1")).ok());
  ASSERT_EQ(service_.Sweep()->digests, 1);
  sender_.next = {{503, ""}};
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  std::string first_digest;
  for (const v1::Notice& n : Inbox("dept-mzj")) {
    if (n.kind() == v1::KIND_REMINDER_DIGEST) first_digest = n.notification_id();
  }
  ASSERT_FALSE(first_digest.empty());
  EXPECT_EQ(webhook_state(first_digest).state(), v1::DELIVERY_STATE_PENDING);
  // The next morning's digest overtakes it.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 2, 9, 0, 1), ShanghaiTime()));
  ASSERT_TRUE(Handle("uplift:reminders", Reminder("dept-mzj", "2")).ok());
  ASSERT_EQ(service_.Sweep()->digests, 1);
  const v1::Delivery stale = webhook_state(first_digest);
  EXPECT_EQ(stale.state(), v1::DELIVERY_STATE_STALE);
  EXPECT_EQ(stale.last_error(), "已被新的汇总取代，不再发送");
  const size_t sent_before = sender_.requests.size();
  ASSERT_GE(*service_.DeliverDue(&sender_, 10), 1);  // (and the escalation, sent again)
  std::vector<std::string> digests_sent;
  for (size_t i = sent_before; i < sender_.requests.size(); ++i) {
    v1::Notice n;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(sender_.requests[i].body, &n).ok());
    if (n.kind() == v1::KIND_REMINDER_DIGEST) digests_sent.push_back(n.notification_id());
  }
  ASSERT_EQ(digests_sent.size(), 1u) << "only the new digest";
  EXPECT_NE(digests_sent[0], first_digest);
  EXPECT_EQ(webhook_state(first_digest).state(), v1::DELIVERY_STATE_STALE) << "and stays so";
}

// The per-phone SMS limit (5 in 15 minutes): 8 escalations at once are 5
// messages, the fifth carrying the last 4 ("等4条"), every delivery SENT;
// 2 more within the quarter hour are held, and go as one message when it
// ends.
TEST_P(NotifyServiceTest, APhoneGetsFiveSmsAQuarterHourAndTheRestBundled) {
  NotifyOptions options;
  options.sms.url = kSmsGatewayUrl;
  WithOptions with(this, options);
  NotifyService& service = with.service;
  EventRouter& router = with.router;
  ASSERT_TRUE(AddSms(service, "dept-zrj", "13912345678").ok());
  auto sms_deliveries = [&] {
    v1::ListDeliveriesRequest list;
    list.set_unit_id("dept-zrj");
    std::vector<v1::Delivery> out;
    auto listed = service.ListDeliveries(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), list);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return out;
    for (const v1::Delivery& d : listed->deliveries()) {
      if (d.channel_type() == v1::CHANNEL_TYPE_SMS) out.push_back(d);
    }
    return out;
  };
  auto bundles = [&](size_t i, int n) {
    return sender_.requests[i].url.find(PercentEncode(absl::StrCat("等", n, "条通知"))) !=
           std::string::npos;
  };
  const absl::Time t0 = clock_.Now();
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(
        router.Handle("uplift:escalations", Escalation(absl::StrFormat("pb-%012d", i), "dept-zrj"))
            .ok());
  }
  ASSERT_EQ(*service.DeliverDue(&sender_, 50), 8);
  ASSERT_EQ(sender_.requests.size(), 5u);
  for (size_t i = 0; i < 4; ++i) EXPECT_FALSE(bundles(i, 4)) << sender_.requests[i].url;
  EXPECT_TRUE(bundles(4, 4)) << sender_.requests[4].url;
  int carried = 0;
  for (const v1::Delivery& d : sms_deliveries()) {
    EXPECT_EQ(d.state(), v1::DELIVERY_STATE_SENT) << d.delivery_id();
    if (absl::StartsWith(d.last_error(), "已合并在短信 ")) ++carried;
  }
  EXPECT_EQ(carried, 3);

  clock_.Advance(absl::Minutes(1));
  for (int i = 8; i < 10; ++i) {
    ASSERT_TRUE(
        router.Handle("uplift:escalations", Escalation(absl::StrFormat("pb-%012d", i), "dept-zrj"))
            .ok());
  }
  ASSERT_EQ(*service.DeliverDue(&sender_, 50), 2);
  EXPECT_EQ(sender_.requests.size(), 5u) << "held, not sent";
  int held = 0;
  for (const v1::Delivery& d : sms_deliveries()) {
    if (d.state() == v1::DELIVERY_STATE_PENDING) {
      ++held;
      EXPECT_EQ(d.last_error(), "短信限频：稍后合并发送");
    }
  }
  EXPECT_EQ(held, 2);
  clock_.Set(t0 + absl::Minutes(15) + absl::Seconds(1));
  ASSERT_GE(*service.DeliverDue(&sender_, 50), 1);
  ASSERT_EQ(sender_.requests.size(), 6u) << "one message for both";
  EXPECT_TRUE(bundles(5, 2)) << sender_.requests[5].url;
  for (const v1::Delivery& d : sms_deliveries()) {
    EXPECT_EQ(d.state(), v1::DELIVERY_STATE_SENT) << d.delivery_id() << " " << d.last_error();
  }
}

// An escalation that no channel but the inbox took by its acknowledgement
// deadline alerts the plan owner, once; one that reached somebody does not.
TEST_P(NotifyServiceTest, AnEscalationThatReachedNobodyInItsTimeAlertsThePlanOwner) {
  NotifyOptions options;
  options.undeliverable_alert_unit = "dept-kgx";
  WithOptions with(this, options);
  NotifyService& service = with.service;
  EventRouter& router = with.router;
  for (const std::string unit : {"dept-zrj", "dept-mzj"}) {
    v1::AddChannelRequest req;
    req.mutable_channel()->set_unit_id(unit);
    req.mutable_channel()->set_url("https://oa.xinle.example/hooks/" + unit);
    req.mutable_channel()->set_secret("a-shared-secret-of-the-department");
    ASSERT_TRUE(service.AddChannel(Who(av1::ROLE_DEPARTMENT, unit), req).ok());
  }
  ASSERT_TRUE(router.Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  ASSERT_TRUE(router.Handle("uplift:escalations", Escalation("pb-000000000002", "dept-mzj")).ok());
  ASSERT_TRUE(
      router.Handle("uplift:escalations", Escalation("pb-000000000003", "town-chengan")).ok());
  // dept-zrj's system is down; dept-mzj's takes it; 承安镇 has only the inbox.
  sender_.answer = [](const WebhookRequest& r) {
    return WebhookResult{absl::EndsWith(r.url, "dept-zrj") ? 503 : 200, ""};
  };
  ASSERT_EQ(*service.DeliverDue(&sender_, 10), 2);
  ASSERT_EQ(sender_.requests.size(), 2u);
  EXPECT_TRUE(Inbox("dept-kgx").empty()) << "not before the deadline";
  clock_.Advance(absl::Hours(2));
  ASSERT_TRUE(service.Sweep().ok());
  std::vector<v1::Notice> alerts = Inbox("dept-kgx");
  ASSERT_EQ(alerts.size(), 2u);
  std::map<std::string, v1::Notice> by_unit;
  for (const v1::Notice& a : alerts) {
    EXPECT_EQ(a.kind(), v1::KIND_ALERT);
    EXPECT_TRUE(a.requires_ack());
    by_unit[a.on_behalf_of_unit_id()] = a;
  }
  ASSERT_EQ(by_unit.count("dept-zrj"), 1u);
  ASSERT_EQ(by_unit.count("town-chengan"), 1u);
  EXPECT_EQ(by_unit["dept-zrj"].title(),
            "未能送达：市自然资源和规划局「问题上报：新乐市华信机械制造有限公司「用地指标不足」」");
  EXPECT_NE(by_unit["dept-zrj"].body().find("其通知渠道均未送达：\n· 系统推送："),
            std::string::npos)
      << by_unit["dept-zrj"].body();
  EXPECT_NE(by_unit["town-chengan"].body().find(
                "承安镇在确认时限内未收到以下通知，该单位除站内消息外没有任何通知渠道。"),
            std::string::npos)
      << by_unit["town-chengan"].body();
  clock_.Advance(absl::Hours(2));
  ASSERT_TRUE(service.Sweep().ok());
  size_t alerts_now = 0;
  for (const v1::Notice& n : Inbox("dept-kgx")) alerts_now += n.kind() == v1::KIND_ALERT;
  EXPECT_EQ(alerts_now, 2u) << "once each";
}

// An escalation's SMS ends with a link "确认：<base>/a/<token>". Opened by
// its unit it acknowledges, once; by another unit, or after 72 hours, it
// changes nothing.
TEST_P(NotifyServiceTest, TheLinkInAnSmsAcknowledgesForItsUnitOnlyOnceWithin72Hours) {
  NotifyOptions options;
  options.sms.url = kSmsGatewayUrl;
  options.ack_link_base = "https://uplift.xinle.gov.cn";
  WithOptions with(this, options);
  NotifyService& service = with.service;
  EventRouter& router = with.router;
  ASSERT_TRUE(AddSms(service, "dept-zrj", "13912345678").ok());
  // The token of the link in the last SMS sent.
  auto last_token = [&]() -> std::string {
    const std::string& url = sender_.requests.back().url;
    const std::string prefix = PercentEncode("确认：https://uplift.xinle.gov.cn/a/");
    const size_t at = url.find(prefix);
    if (at == std::string::npos) return "(no link in " + url + ")";
    return url.substr(at + prefix.size(), 16);
  };
  auto redeem = [&](const std::string& unit, const std::string& token) {
    v1::AcknowledgeByLinkRequest req;
    req.set_token(token);
    return service.AcknowledgeByLink(Who(av1::ROLE_DEPARTMENT, unit), req);
  };
  auto acknowledged = [&](const std::string& problem) {
    for (const v1::Notice& n : Inbox("dept-zrj")) {
      if (n.attributes().at("problem_id") == problem) return n.acknowledged();
    }
    return false;
  };

  ASSERT_TRUE(router.Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  ASSERT_EQ(*service.DeliverDue(&sender_, 10), 1);
  const std::string token = last_token();
  ASSERT_TRUE(IsAckLinkToken(token)) << token;
  EXPECT_EQ(redeem("dept-zrj", "not-a-token").status().message().substr(0, 6), "token:");
  EXPECT_EQ(redeem("dept-mzj", token).status().code(), absl::StatusCode::kPermissionDenied)
      << "a forwarded link";
  EXPECT_FALSE(acknowledged("pb-000000000001"));
  auto redeemed = redeem("dept-zrj", token);
  ASSERT_TRUE(redeemed.ok()) << redeemed.status();
  EXPECT_TRUE(redeemed->notification().acknowledged());
  EXPECT_EQ(redeemed->notification().acknowledged_by(), "dept-zrj-person");
  EXPECT_TRUE(acknowledged("pb-000000000001"));
  EXPECT_EQ(redeem("dept-zrj", token).status().code(), absl::StatusCode::kFailedPrecondition)
      << "single-use";

  ASSERT_TRUE(router.Handle("uplift:escalations", Escalation("pb-000000000002", "dept-zrj")).ok());
  ASSERT_EQ(*service.DeliverDue(&sender_, 10), 1);
  const std::string late = last_token();
  ASSERT_TRUE(IsAckLinkToken(late)) << late;
  EXPECT_NE(late, token);
  clock_.Advance(absl::Hours(72) + absl::Seconds(1));
  EXPECT_EQ(redeem("dept-zrj", late).status().code(), absl::StatusCode::kNotFound) << "expired";
  EXPECT_FALSE(acknowledged("pb-000000000002"));
}

TEST_P(NotifyServiceTest, AnAlertGoesToEachRecipientAtOnce) {
  const StreamEvent e = Alert({"dept-kgx", "leader-equipment"});
  AddWebhook("dept-kgx");
  ASSERT_TRUE(Handle("uplift:alerts", e).ok());
  ASSERT_TRUE(Handle("uplift:alerts", e).ok());
  ASSERT_EQ(Inbox("dept-kgx").size(), 1u);
  ASSERT_EQ(Inbox("leader-equipment").size(), 1u);
  EXPECT_EQ(Inbox("dept-kgx")[0].kind(), v1::KIND_ALERT);
  EXPECT_FALSE(Inbox("dept-kgx")[0].requires_ack());
  EXPECT_EQ(*service_.DeliverDue(&sender_, 10), 1);
}

// 销号, 延期 and 裁定 requests reach the unit that must act, once, pushed
// at once outside quiet hours, in words that name who asked and why.
TEST_P(NotifyServiceTest, ARequestToActReachesTheUnitThatMustAct) {
  AddWebhook("dept-kgx");
  const StreamEvent e = ClosureRequest();
  ASSERT_TRUE(Handle("uplift:requests", e).ok());
  ASSERT_TRUE(Handle("uplift:requests", e).ok());
  const std::vector<v1::Notice> inbox = Inbox("dept-kgx");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].kind(), v1::KIND_REQUEST);
  EXPECT_EQ(inbox[0].title(), "销号确认：二(一)3 推进固链强链");
  EXPECT_EQ(inbox[0].body(), "市发展改革局提请销号：推动3个链主项目落地。请确认销号或退回。");
  EXPECT_EQ(inbox[0].attributes().at("task_id"), "2.1.3");
  EXPECT_EQ(inbox[0].attributes().at("action"), "ACTION_CONFIRM_CLOSURE");
  EXPECT_EQ(*service_.DeliverDue(&sender_, 10), 1);

  tasks::v1::ActionRequested nobody;
  StreamEvent poison = e;
  poison.event_id = "e-nobody";
  poison.subject = "task/xinle-2023/2.1.4";
  nobody.SerializeToString(&poison.payload);
  EXPECT_FALSE(Handle("uplift:requests", poison).ok()) << "a request naming no unit is poison";
}

// 会商: a co-handling department learns what it is asked and by when, and
// is asked again in other words when its deadline passed unanswered.
TEST_P(NotifyServiceTest, ACoHandlingRequestNamesTheDeadlineAndItsReminderSaysItPassed) {
  tasks::v1::ActionRequested r;
  r.set_action(tasks::v1::ActionRequested::ACTION_CO_HANDLE);
  r.set_unit_id("dept-czj");
  r.set_from_unit_id("dept-kgx");
  r.set_from_unit_name("市科技和工业信息化局");
  r.set_plan_id("xinle-2023");
  r.set_subject("problem/pb-000000000007");
  r.set_problem_id("pb-000000000007");
  r.set_title("技改贷款贴息");
  r.set_text("协办单位：市财政局（2023-06-05 24:00前）。事由：请就贴息资金来源提出意见");
  *r.mutable_deadline() =
      ToProtoTimestamp(absl::FromCivil(absl::CivilDay(2023, 6, 6), ShanghaiTime()));
  ASSERT_TRUE(Handle("uplift:requests", RequestEvent(r)).ok());
  clock_.Set(absl::FromCivil(absl::CivilDay(2023, 6, 7), ShanghaiTime()));
  r.set_overdue(true);
  r.set_from_unit_id("");
  r.set_from_unit_name("");
  ASSERT_TRUE(Handle("uplift:requests", RequestEvent(r, "", 2)).ok());
  const std::vector<v1::Notice> inbox = Inbox("dept-czj");
  ASSERT_EQ(inbox.size(), 2u);
  std::map<std::string, std::string> body_by_title;
  for (const v1::Notice& n : inbox) {
    EXPECT_EQ(n.kind(), v1::KIND_REQUEST);
    EXPECT_EQ(n.attributes().at("action"), "ACTION_CO_HANDLE");
    body_by_title[n.title()] = n.body();
  }
  EXPECT_EQ(body_by_title["会商协办：「技改贷款贴息」"],
            "市科技和工业信息化局请贵单位参与会商。协办单位：市财政局（2023-06-05 24:00前）。"
            "事由：请就贴息资金来源提出意见。请于6月5日（还有2个工作日）前反馈会商意见。");
  EXPECT_EQ(body_by_title["会商意见逾期：「技改贷款贴息」"],
            "贵单位作为协办单位的会商意见时限为6月5日（已超期），尚未反馈，请尽快反馈。");
}

TEST_P(NotifyServiceTest, EscalationsIgnoreQuietHours) {
  clock_.Set(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 23, 30, 0), ShanghaiTime()));
  AddWebhook("dept-zrj");
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  EXPECT_EQ(*service_.DeliverDue(&sender_, 10), 1);
}

TEST_P(NotifyServiceTest, AnInboxListsUnreadFirstAndPages) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-00000000000" + std::to_string(i), "dept-zrj")).ok());
    clock_.Advance(absl::Minutes(1));
  }
  std::vector<v1::Notice> all = Inbox("dept-zrj");
  v1::AcknowledgeRequest ack;
  ack.set_notification_id(all[0].notification_id());  // the newest
  ASSERT_TRUE(service_.Acknowledge(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), ack).ok());
  v1::ListInboxRequest req;
  req.set_unit_id("dept-zrj");
  req.set_page_size(2);
  std::vector<std::string> order;
  for (;;) {
    auto page = service_.ListInbox(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), req);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->unread(), 4);
    for (const auto& n : page->notifications()) order.push_back(n.notification_id());
    if (page->next_page_token().empty()) break;
    req.set_page_token(page->next_page_token());
  }
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(order.back(), all[0].notification_id()) << "the acknowledged one last";
  EXPECT_EQ(order[0], all[1].notification_id()) << "then newest first";
}

INSTANTIATE_TEST_SUITE_P(Engines, NotifyServiceTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::notify

namespace uplift::notify {
namespace {

// A webhook address policy whose host names resolve through a table.
WebhookAddressPolicy TablePolicy() {
  absl::StatusOr<WebhookAddressPolicy> policy =
      WebhookAddressPolicy::Parse("", "", {"127.0.0.1:50054"});
  EXPECT_TRUE(policy.ok()) << policy.status();
  policy->set_resolver([](const std::string& host) -> std::vector<std::string> {
    if (host == "oa.xinle.example") return {"93.184.216.34"};
    if (host == "sneaky.example") return {"93.184.216.34", "127.0.0.1"};  // one bad address
    if (host == "metadata.example") return {"169.254.169.254"};
    return {};
  });
  return *policy;
}

// Regression: webhook URLs could point at loopback, link-local, metadata and
// the suite's own ports, and the stored error text made a port scanner.
// Addresses are checked when a channel is added (and again at each send);
// the unit sees only the class of what was refused.
TEST_P(NotifyServiceTest, WebhooksMayNotReachInsideTheDeployment) {
  const WebhookAddressPolicy policy = TablePolicy();
  NotifyOptions options;
  options.addresses = &policy;
  NotifyService guarded(db_.get(), &clock_, &box_, &units_, nullptr, options);
  const Principal zrj = Who(av1::ROLE_DEPARTMENT, "dept-zrj");
  auto add = [&](const std::string& url) {
    v1::AddChannelRequest req;
    req.mutable_channel()->set_unit_id("dept-zrj");
    req.mutable_channel()->set_url(url);
    req.mutable_channel()->set_secret("a-shared-secret-of-the-department");
    return guarded.AddChannel(zrj, req).status();
  };
  for (const std::string url :
       {"http://127.0.0.1:6379/", "http://[::1]:50051/", "http://169.254.169.254/latest/meta-data",
        "http://metadata.example/", "http://sneaky.example/hook", "http://0.0.0.0:50054/",
        "http://100.100.100.200/"}) {
    const absl::Status s = add(url);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << url << ": " << s;
    EXPECT_EQ(s.message().substr(0, 12), "channel.url:") << s;
    EXPECT_EQ(s.message().find("refused"), std::string::npos) << "never says if a port answers";
  }
  // Intranet receivers (a department's OA system) are allowed by default.
  EXPECT_TRUE(add("http://10.0.0.5:8080/hook").ok());
  // A name that does not resolve now (DNS down) is kept: every send checks
  // the addresses again.
  EXPECT_TRUE(add("http://nowhere.example/").ok());
  EXPECT_TRUE(add("https://oa.xinle.example/hooks/uplift").ok());
}

// Regression: URLs carrying access keys were listed in clear, stored in
// clear and written to the audit log.
TEST_P(NotifyServiceTest, AWebhookUrlIsASecretSealedAtRestAndRedactedWhenListed) {
  v1::AddChannelRequest req;
  req.mutable_channel()->set_unit_id("dept-zrj");
  req.mutable_channel()->set_url("https://oa.xinle.example/hooks/uplift?access_key=S3CR3T-KEY");
  req.mutable_channel()->set_secret("a-shared-secret-of-the-department");
  const Principal zrj = Who(av1::ROLE_DEPARTMENT, "dept-zrj");
  auto added = service_.AddChannel(zrj, req);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->channel().url().find("S3CR3T"), std::string::npos) << added->channel().url();
  EXPECT_FALSE(added->channel().url_fingerprint().empty());
  v1::ListChannelsRequest list;
  list.set_unit_id("dept-zrj");
  auto channels = service_.ListChannels(zrj, list);
  ASSERT_TRUE(channels.ok());
  for (const v1::Channel& c : channels->channels()) {
    EXPECT_EQ(c.url().find("S3CR3T"), std::string::npos) << c.url();
  }
  // Nowhere in the database in clear: not the channel, not the audit log.
  ASSERT_TRUE(db_->Read([&](sql::Connection& db) {
                   sql::Query tables(db, db.engine() == sql::Engine::kSqlite
                                             ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                                             : "SELECT table_name FROM information_schema.tables"
                                               " WHERE table_schema = 'public'");
                   while (tables.Step()) {
                     const std::string table = tables.Text(0);
                     sql::Query rows(db, "SELECT * FROM \"" + table + "\"");
                     while (rows.Step()) {
                       for (int c = 0; c < rows.ColumnCount(); ++c) {
                         const std::string v = rows.Text(c);
                         EXPECT_EQ(v.find("S3CR3T"), std::string::npos) << table;
                       }
                     }
                   }
                   return absl::OkStatus();
                 })
                  .ok());
}

// Regression: one unit could add any number of channels at a slow endpoint
// and stall everyone's webhooks. Channels are capped per unit, and due
// deliveries are claimed fairly across units.
TEST_P(NotifyServiceTest, OneUnitCannotCrowdOutTheOthers) {
  const Principal zrj = Who(av1::ROLE_DEPARTMENT, "dept-zrj");
  v1::AddChannelRequest req;
  req.mutable_channel()->set_unit_id("dept-zrj");
  req.mutable_channel()->set_secret("a-shared-secret-of-the-department");
  for (int i = 0; i < 10; ++i) {
    req.mutable_channel()->set_url(absl::StrCat("https://slow.example/hook/", i));
    ASSERT_TRUE(service_.AddChannel(zrj, req).ok()) << i;
  }
  req.mutable_channel()->set_url("https://slow.example/hook/11");
  const absl::Status eleventh = service_.AddChannel(zrj, req).status();
  EXPECT_EQ(eleventh.code(), absl::StatusCode::kFailedPrecondition) << eleventh;
  // dept-zrj has 10 channels x 3 escalations due; the leader one.
  for (int p = 1; p <= 3; ++p) {
    ASSERT_TRUE(
        Handle("uplift:escalations", Escalation(absl::StrCat("pb-00000000000", p), "dept-zrj"))
            .ok());
  }
  AddWebhook("leader-equipment");
  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000009", "leader-equipment")).ok());
  ASSERT_EQ(*service_.DeliverDue(&sender_, 4), 4);
  bool leader_in_first_batch = false;
  for (const auto& r : sender_.requests) {
    leader_in_first_batch |= r.body.find("leader-equipment") != std::string::npos;
  }
  EXPECT_TRUE(leader_in_first_batch) << "the leader waited behind 30 deliveries of one unit";
}

// 企业微信's robot: markdown, only errcode 0 counts, 20 a minute queued.
TEST_P(NotifyServiceTest, ARobotGetsMarkdownTwentyAMinuteAndEachOnceItsErrcodeIsZero) {
  v1::AddChannelRequest req;
  req.mutable_channel()->set_unit_id("dept-zrj");
  req.mutable_channel()->set_type(v1::CHANNEL_TYPE_WECOM);
  req.mutable_channel()->set_url(
      "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx");
  req.mutable_channel()->set_secret("a-shared-secret-of-the-department");
  EXPECT_EQ(service_.AddChannel(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), req)
                .status()
                .message()
                .substr(0, 15),
            "channel.secret:");
  v1::AddChannelRequest ding = req;
  ding.mutable_channel()->set_type(v1::CHANNEL_TYPE_DINGTALK);
  ding.mutable_channel()->clear_secret();
  EXPECT_EQ(service_.AddChannel(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), ding)
                .status()
                .message()
                .substr(0, 15),
            "channel.secret:");
  v1::AddChannelRequest unknown = req;
  unknown.mutable_channel()->set_type(static_cast<v1::ChannelType>(99));
  EXPECT_EQ(service_.AddChannel(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), unknown)
                .status()
                .message()
                .substr(0, 13),
            "channel.type:");
  req.mutable_channel()->clear_secret();
  auto added = service_.AddChannel(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), req);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->channel().type(), v1::CHANNEL_TYPE_WECOM);
  EXPECT_EQ(added->channel().url().find("693a91f6"), std::string::npos) << "the key is a secret";
  EXPECT_TRUE(added->channel().secret_fingerprint().empty());

  for (int i = 1; i <= 25; ++i) {
    ASSERT_TRUE(
        Handle("uplift:escalations", Escalation(absl::StrFormat("pb-%012d", i), "dept-zrj")).ok());
  }
  const WebhookResult ok{200, "", "", R"({"errcode":0,"errmsg":"ok"})"};
  sender_.next = {{200, "", "", R"({"errcode":-1,"errmsg":"system busy"})"}};
  for (int i = 0; i < 30; ++i) sender_.next.push_back(ok);
  auto drain = [&] {
    while (*service_.DeliverDue(&sender_, 100) > 0) {
    }
  };
  drain();
  EXPECT_EQ(sender_.requests.size(), 20u) << "twenty in the first minute, the rest queued";
  clock_.Advance(absl::Seconds(5));
  drain();
  EXPECT_EQ(sender_.requests.size(), 20u) << "the busy one's retry waits its turn too";
  clock_.Advance(absl::Seconds(60));
  drain();
  ASSERT_EQ(sender_.requests.size(), 26u);
  std::map<std::string, int> delivered;
  for (size_t i = 0; i < sender_.requests.size(); ++i) {
    const FakeSender::Request& r = sender_.requests[i];
    EXPECT_EQ(r.url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx");
    google::protobuf::Struct body;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.body, &body).ok());
    EXPECT_EQ(body.fields().at("msgtype").string_value(), "markdown");
    const std::string content =
        body.fields().at("markdown").struct_value().fields().at("content").string_value();
    EXPECT_NE(content.find("### 问题上报：新乐市华信机械制造有限公司「用地指标不足」"),
              std::string::npos);
    if (i > 0) ++delivered[content.substr(content.rfind("nt-"))];
  }
  EXPECT_EQ(delivered.size(), 25u);
  for (const auto& [id, n] : delivered) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(service_.ListDeadLetters(Who(av1::ROLE_ADMIN, ""), v1::ListDeadLettersRequest())
                ->dead_letters_size(),
            0);
}

class FakeMail : public MailSender {
 public:
  WebhookResult Send(const MailRequest& r) override {
    requests.push_back(r);
    if (next.empty()) return {250, ""};
    WebhookResult result = next.front();
    next.erase(next.begin());
    return result;
  }
  std::vector<MailRequest> requests;
  std::vector<WebhookResult> next;
};

// An e-mail channel: through its mail server as its account; a 451 is tried
// again with the same Message-ID, a 550 is given up.
TEST_P(NotifyServiceTest, AnEmailGoesThroughTheChannelsMailServerAndA451IsTriedAgain) {
  FakeMail mail;
  service_.SetMailSender(&mail);
  v1::AddChannelRequest req;
  req.mutable_channel()->set_unit_id("dept-zrj");
  req.mutable_channel()->set_type(v1::CHANNEL_TYPE_EMAIL);
  req.mutable_channel()->set_url("smtps://uplift%40xinle.gov.cn@mail.xinle.gov.cn:465");
  req.mutable_channel()->set_address("li.hua@xinle.gov.cn");
  req.mutable_channel()->set_secret("the-mail-password");
  auto added = service_.AddChannel(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), req);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->channel().url(), "smtps://mail.xinle.gov.cn:465/…");
  EXPECT_EQ(added->channel().address(), "li.hua@xinle.gov.cn");

  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000001", "dept-zrj")).ok());
  mail.next = {{503, "邮件服务器暂不接收（451）"}};
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  clock_.Advance(absl::Seconds(2));
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  ASSERT_EQ(mail.requests.size(), 2u);
  EXPECT_TRUE(sender_.requests.empty()) << "no HTTP for an e-mail";
  const MailRequest& m = mail.requests.back();
  EXPECT_EQ(m.scheme, "smtps");
  EXPECT_EQ(m.host, "mail.xinle.gov.cn");
  EXPECT_EQ(m.port, 465);
  EXPECT_EQ(m.username, "uplift@xinle.gov.cn");
  EXPECT_EQ(m.password, "the-mail-password");
  EXPECT_EQ(m.from, "uplift@xinle.gov.cn");
  EXPECT_EQ(m.to, "li.hua@xinle.gov.cn");
  auto message_id = [](const std::string& message) {
    const size_t at = message.find("Message-ID: ");
    return message.substr(at, message.find("\r\n", at) - at);
  };
  EXPECT_EQ(message_id(mail.requests[0].message), message_id(m.message))
      << "the receiver keeps one";
  const std::vector<v1::Notice> inbox = Inbox("dept-zrj");
  ASSERT_EQ(inbox.size(), 1u);
  v1::ListDeliveriesRequest list;
  list.set_notification_id(inbox[0].notification_id());
  auto ds = service_.ListDeliveries(Who(av1::ROLE_DEPARTMENT, "dept-zrj"), list);
  ASSERT_EQ(ds->deliveries_size(), 2);
  EXPECT_EQ(ds->deliveries(1).channel_type(), v1::CHANNEL_TYPE_EMAIL);
  EXPECT_EQ(ds->deliveries(1).state(), v1::DELIVERY_STATE_SENT) << "the mail server took it";
  EXPECT_TRUE(ds->deliveries(1).has_sent_time());
  EXPECT_FALSE(ds->deliveries(1).has_delivered_time());
  EXPECT_EQ(ds->deliveries(1).attempts(), 2);

  ASSERT_TRUE(Handle("uplift:escalations", Escalation("pb-000000000002", "dept-zrj")).ok());
  mail.next = {{400, "邮件服务器拒收（550）"}};
  ASSERT_EQ(*service_.DeliverDue(&sender_, 10), 1);
  auto dead = service_.ListDeadLetters(Who(av1::ROLE_ADMIN, ""), v1::ListDeadLettersRequest());
  ASSERT_EQ(dead->dead_letters_size(), 1);
  EXPECT_EQ(dead->dead_letters(0).reason(),
            "邮件服务器拒收（550）: the receiver refused it; not retried");
}

}  // namespace
}  // namespace uplift::notify

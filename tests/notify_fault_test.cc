// The notification service's fault suite, with real processes, a real
// redis-server (AOF on) and a real HTTP receiver. Each test counts and
// asserts: every escalation in the right inbox exactly once, every webhook
// notification received (2xx) by the receiver, nothing lost. Duplicate
// POSTs on the wire are allowed (receivers deduplicate by
// X-Uplift-Notification-Id) and are reported.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "common/event_signature.h"
#include "common/redis_client.h"
#include "common/stream_event.h"
#include "tests/support/http_receiver.h"
#include "tests/support/notify_fixture.h"
#include "tests/support/phone_receivers.h"

namespace uplift::testing {
namespace {

class NotifyFaultTest : public ::testing::Test {
 protected:
  // Publishes `n` escalations round-robin over the units from a thread.
  std::thread PublishInBackground(int n) {
    return std::thread([this, n] {
      for (int i = 0; i < n; ++i) {
        const std::string& unit = NotifyFixture::Units()[i % NotifyFixture::Units().size()];
        const std::string event = f_.PublishEscalation(absl::StrFormat("pb-%012d", i), unit);
        std::lock_guard<std::mutex> lock(mu_);
        published_[unit].insert(event);
      }
    });
  }

  // kill -9 of uplift-notify six times at random moments while `publisher`
  // runs, each time started again with `flags`; then joins the publisher.
  // A restart that fails is reported with the service's log, after the
  // publisher is joined (not a std::terminate for a joinable thread).
  void KillNineSixTimesWhilePublishing(std::thread* publisher,
                                       const std::vector<std::string>& flags = {}) {
    std::mt19937 rng(20230527);
    std::uniform_int_distribution<int> pause(150, 700);
    std::string restart_failed;
    try {
      for (int k = 0; k < 6; ++k) {
        absl::SleepFor(absl::Milliseconds(pause(rng)));
        f_.KillNotify(0);
        absl::SleepFor(absl::Milliseconds(100));
        f_.StartNotify(0, flags);
      }
    } catch (const std::exception& e) {
      restart_failed = e.what();
    }
    publisher->join();
    ASSERT_TRUE(restart_failed.empty()) << restart_failed << "\n" << f_.NotifyLog(0);
  }

  size_t Published() {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const auto& [unit, events] : published_) n += events.size();
    return n;
  }

  // Every published escalation is in its unit's inbox exactly once.
  bool AllInInboxes() {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [unit, events] : published_) {
      if (f_.InboxEvents(unit).size() < events.size()) return false;
    }
    return true;
  }
  void ExpectExactlyOnceInInboxes() {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [unit, events] : published_) {
      const std::map<std::string, int> inbox = f_.InboxEvents(unit);
      EXPECT_EQ(inbox.size(), events.size()) << unit;
      for (const std::string& e : events) {
        auto it = inbox.find(e);
        ASSERT_NE(it, inbox.end()) << "lost: " << e << " for " << unit;
        EXPECT_EQ(it->second, 1) << "doubled: " << e;
      }
    }
  }

  // The receiver got every notification of the webhook units at least once.
  void ExpectWebhooksReceivedAll(size_t expected) {
    std::map<std::string, int> got = receiver_.Delivered();
    EXPECT_EQ(got.size(), expected);
    int duplicates = 0;
    for (const auto& [id, n] : got) duplicates += n - 1;
    std::cout << "[ webhook ] " << got.size() << " notifications received, " << duplicates
              << " duplicate POSTs on the wire, " << receiver_.requests().size() << " requests in all\n";
  }

  NotifyFixture f_;
  HttpReceiver receiver_;
  std::mutex mu_;
  std::map<std::string, std::set<std::string>> published_;
};

TEST_F(NotifyFaultTest, KillNineAtRandomPointsLosesNothingAndDoublesNothing) {
  f_.StartNotify(0);
  for (const std::string& unit : NotifyFixture::Units()) f_.AddWebhook(unit, receiver_.url());
  std::thread publisher = PublishInBackground(2000);
  KillNineSixTimesWhilePublishing(&publisher);
  ASSERT_TRUE(WaitUntil([&] { return AllInInboxes(); })) << f_.NotifyLog(0);
  ASSERT_TRUE(WaitUntil([&] { return receiver_.Delivered().size() >= 2000; }));
  ExpectExactlyOnceInInboxes();
  ExpectWebhooksReceivedAll(2000);
}

// People's channels under the same faults: every unit has an e-mail channel
// (a real SMTP server) and an SMS channel (a template gateway). Resent on
// the wire is allowed (a message sent just before a kill -9 is sent again
// with the same Message-ID / outId); lost or two different ids for one
// notification is not.
TEST_F(NotifyFaultTest, KillNineWhileEscalationsFlowToEmailAndSmsLosesNothingAndDoublesNothing) {
  SmtpServer smtp(f_.dir(), "smtp");
  std::unique_ptr<SmsReceiver> sms = SmsReceiver::Gateway(f_.dir(), 0);
  std::vector<std::string> flags = sms->flags();
  // 250 SMS to each phone: no per-phone limit here (its bundling is tested
  // in notify_service_test), every notification is its own message.
  flags.insert(flags.end(), {"--mail-ca-file", smtp.cert(), "--per-destination", "4",
                             "--sms-per-phone-15m", "100000", "--sms-per-phone-3h", "100000"});
  f_.StartNotify(0, flags);
  int n = 0;
  for (const std::string& unit : NotifyFixture::Units()) {
    ASSERT_TRUE(f_.AddChannel(smtp.Channel(unit, unit + "@xinle.gov.cn")).ok());
    nv1::Channel phone;
    phone.set_unit_id(unit);
    phone.set_type(nv1::CHANNEL_TYPE_SMS);
    phone.set_address(absl::StrFormat("1391234%04d", ++n));
    ASSERT_TRUE(f_.AddChannel(phone).ok());
  }
  const int kEscalations = 1000;
  std::thread publisher = PublishInBackground(kEscalations);
  KillNineSixTimesWhilePublishing(&publisher, flags);
  ASSERT_TRUE(WaitUntil([&] { return AllInInboxes(); })) << f_.NotifyLog(0);
  ASSERT_TRUE(WaitUntil(
      [&] {
        return smtp.ByMessageId().size() >= kEscalations && sms->Taken().size() >= kEscalations;
      },
      absl::Minutes(5)))
      << smtp.ByMessageId().size() << " e-mails, " << sms->Taken().size() << " SMS\n"
      << f_.NotifyLog(0);
  absl::SleepFor(absl::Seconds(2));  // nothing more comes
  ExpectExactlyOnceInInboxes();
  // One Message-ID and one outId per notification, the same notifications.
  std::set<std::string> mailed, texted;
  int mail_resent = 0, sms_resent = 0;
  for (const auto& [id, count] : smtp.ByMessageId()) {
    ASSERT_TRUE(absl::StartsWith(id, "<nt-") && absl::EndsWith(id, ".0@xinle.gov.cn>")) << id;
    mailed.insert(id.substr(1, id.find('@') - 1));
    mail_resent += count - 1;
  }
  for (const auto& [id, count] : sms->Taken()) {
    // <notification>.<resend>.<phone>
    ASSERT_EQ(id.size() - id.rfind('.'), 12u) << id;
    texted.insert(id.substr(0, id.rfind('.')));
    sms_resent += count - 1;
  }
  EXPECT_EQ(mailed.size(), static_cast<size_t>(kEscalations));
  EXPECT_EQ(mailed, texted);
  std::cout << "[ people ] " << mailed.size() << " e-mails (" << mail_resent
            << " sent again on the wire), " << texted.size() << " SMS (" << sms_resent
            << " sent again)\n";
}

TEST_F(NotifyFaultTest, RedisStoppedAndKilledDuringTheFlowLosesNothingAcknowledged) {
  f_.StartNotify(0);
  for (const std::string& unit : NotifyFixture::Units()) f_.AddWebhook(unit, receiver_.url());
  std::thread publisher = PublishInBackground(1000);
  absl::SleepFor(absl::Milliseconds(400));
  f_.redis().Stop();  // clean shutdown, AOF flushed
  absl::SleepFor(absl::Seconds(1));
  f_.redis().Start();
  absl::SleepFor(absl::Milliseconds(400));
  f_.redis().Kill();  // kill -9: appendfsync always keeps what was acknowledged
  absl::SleepFor(absl::Milliseconds(500));
  f_.redis().Start();
  publisher.join();
  ASSERT_TRUE(WaitUntil([&] { return AllInInboxes(); })) << f_.NotifyLog(0);
  ASSERT_TRUE(WaitUntil([&] { return receiver_.Delivered().size() >= 1000; }));
  ExpectExactlyOnceInInboxes();
  ExpectWebhooksReceivedAll(1000);
}

TEST_F(NotifyFaultTest, AFlakyWebhookReceiverGetsEverythingOnceItRecovers) {
  f_.StartNotify(0);
  f_.AddWebhook("dept-zrj", receiver_.url());
  // Fails, times out (the service waits 1 s), answers 500, and sometimes 200.
  receiver_.SetBehavior([](const HttpReceiver::Request&, int i) {
    if (i % 4 == 0) return HttpReceiver::Response{500, absl::ZeroDuration()};
    if (i % 4 == 1) return HttpReceiver::Response{200, absl::Seconds(2)};  // too late: a timeout
    if (i % 4 == 2) return HttpReceiver::Response{429, absl::ZeroDuration()};
    return HttpReceiver::Response{200, absl::ZeroDuration()};
  });
  for (int i = 0; i < 100; ++i) {
    const std::string event = f_.PublishEscalation(absl::StrFormat("pb-%012d", i), "dept-zrj");
    published_["dept-zrj"].insert(event);
  }
  absl::SleepFor(absl::Seconds(2));
  receiver_.Stop();  // down: connections refused
  absl::SleepFor(absl::Seconds(3));
  receiver_.SetBehavior([](const HttpReceiver::Request&, int) { return HttpReceiver::Response{}; });
  receiver_.Start();  // back, healthy
  ASSERT_TRUE(WaitUntil([&] { return receiver_.Delivered().size() >= 100; })) << f_.NotifyLog(0);
  ExpectExactlyOnceInInboxes();
  ExpectWebhooksReceivedAll(100);
  // Nothing was given up on.
  nv1::ListDeadLettersResponse dead;
  ASSERT_TRUE(f_.notify().ListDeadLetters(f_.Ctx(f_.admin_token).get(), nv1::ListDeadLettersRequest(), &dead).ok());
  EXPECT_EQ(dead.dead_letters_size(), 0);
}

TEST_F(NotifyFaultTest, APoisonMessageIsDeadLetteredWithoutBlockingTheRest) {
  f_.StartNotify(0);
  RedisClient redis(f_.redis().AdminOptions());
  // Signed by the tasks service, but its payload does not parse.
  StreamEvent poison;
  poison.event_id = "poison-1";
  poison.type = "uplift.tasks.v1.ProblemEscalated";
  poison.occurred_at = "2023-06-01T00:00:00.000Z";
  poison.source = "uplift-tasks";
  poison.subject = "problem/pb-poison";
  poison.version = 1;
  poison.payload = "\xff\xfe not a protobuf";
  EventSigner(*Ed25519PrivateKey::FromPemFile(
                  "k", f_.keys().secrets_dir("uplift-tasks") + "/events.key"))
      .Sign("uplift:escalations", &poison);
  ASSERT_TRUE(redis.Command(XAddCommand("uplift:escalations", "*", poison)).ok());
  ASSERT_TRUE(redis.Command({"XADD", "uplift:escalations", "*", "no", "envelope"}).ok());
  for (int i = 0; i < 50; ++i) {
    published_["dept-zrj"].insert(f_.PublishEscalation(absl::StrFormat("pb-%012d", i), "dept-zrj"));
  }
  ASSERT_TRUE(WaitUntil([&] { return AllInInboxes(); }, absl::Seconds(30)));
  ExpectExactlyOnceInInboxes();
  ASSERT_TRUE(WaitUntil([&] { return redis.Command({"XLEN", "uplift:dlq:uplift:escalations"})->integer == 2; },
                        absl::Seconds(30)))
      << f_.NotifyLog(0);
  nv1::ListDeadLettersResponse dead;
  ASSERT_TRUE(f_.notify().ListDeadLetters(f_.Ctx(f_.admin_token).get(), nv1::ListDeadLettersRequest(), &dead).ok());
  ASSERT_EQ(dead.dead_letters_size(), 2);
  std::set<std::string> reasons;
  for (const auto& d : dead.dead_letters()) reasons.insert(d.reason());
  EXPECT_TRUE(reasons.count("event \"poison-1\": payload does not parse as "
                            "\"uplift.tasks.v1.ProblemEscalated\""))
      << *reasons.begin();
  EXPECT_TRUE(WaitUntil([&] {
    auto pending = redis.Command({"XPENDING", "uplift:escalations", "uplift-notify"});
    return pending.ok() && pending->elements[0].integer == 0;
  }, absl::Seconds(10)));
}

TEST_F(NotifyFaultTest, TwoReplicasShareTheWorkWithoutDoubles) {
  f_.StartNotify(0);
  f_.StartNotify(1);
  for (const std::string& unit : NotifyFixture::Units()) f_.AddWebhook(unit, receiver_.url());
  std::thread publisher = PublishInBackground(1000);
  absl::SleepFor(absl::Milliseconds(800));
  f_.KillNotify(1);  // what it held is reclaimed by the other
  absl::SleepFor(absl::Milliseconds(300));
  f_.StartNotify(1);
  publisher.join();
  ASSERT_TRUE(WaitUntil([&] { return AllInInboxes(); })) << f_.NotifyLog(0) << f_.NotifyLog(1);
  ASSERT_TRUE(WaitUntil([&] { return receiver_.Delivered().size() >= 1000; }));
  ExpectExactlyOnceInInboxes();
  ExpectWebhooksReceivedAll(1000);
  RedisClient redis(f_.redis().AdminOptions());
  auto consumers = redis.Command({"XINFO", "CONSUMERS", "uplift:escalations", "uplift-notify"});
  ASSERT_TRUE(consumers.ok());
  EXPECT_EQ(consumers->elements.size(), 2u) << "both replicas read from the group";
}

}  // namespace
}  // namespace uplift::testing

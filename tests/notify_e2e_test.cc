// End to end: a problem escalated to CITY_LEADER through the tasks service
// shows up in the leader's `upliftctl inbox --follow` and at the leader
// unit's webhook. The test asserts that both arrive and prints how long
// each took (speed is the benchmark's business, not an assertion's).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/http_receiver.h"
#include "tests/support/notify_fixture.h"
#include "uplift/tasks/v1/tasks.grpc.pb.h"

namespace uplift::testing {
namespace {

namespace av1 = uplift::auth::v1;

TEST(NotifyEndToEnd, AnEscalationToTheLeaderReachesItsFeedAndItsWebhook) {
  NotifyFixture f;
  HttpReceiver receiver;
  int code = 0;
  ASSERT_EQ((f.ApplyXinlePlan(&code), code), 0);
  f.StartNotify(0);
  f.AddWebhook("leader-equipment", receiver.url());
  f.CreateChenganEnterprise(1, "新乐市华信机械制造有限公司");

  // The leader follows its feed in the CLI.
  const std::string leader = f.keys().Token(av1::ROLE_LEADER, "leader-equipment", "包联市领导");
  Process follow(UPLIFT_CTL_BIN,
                 {"--notify-addr", f.notify_address(), "--token", leader, "inbox", "--follow"},
                 f.dir().File("follow.log"));
  follow.Start();

  const std::string id = f.RaiseLandProblemAtDepartment(1);
  absl::SleepFor(absl::Milliseconds(500));  // the follower is surely subscribed
  const absl::Time escalated = absl::Now();
  EXPECT_EQ(f.EscalateToLeader(id).owner_unit_id(), "leader-equipment");

  absl::Time in_feed = absl::InfiniteFuture(), at_webhook = absl::InfiniteFuture();
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (absl::Now() < deadline && (in_feed == absl::InfiniteFuture() || at_webhook == absl::InfiniteFuture())) {
    if (in_feed == absl::InfiniteFuture() &&
        ReadTextFile(f.dir().File("follow.log")).find(id) != std::string::npos) {
      in_feed = absl::Now();
    }
    if (at_webhook == absl::InfiniteFuture()) {
      for (const HttpReceiver::Request& r : receiver.requests()) {
        if (r.body.find(id) != std::string::npos) at_webhook = r.time;
      }
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  const std::string out = ReadTextFile(f.dir().File("follow.log"));
  ASSERT_NE(in_feed, absl::InfiniteFuture()) << out << f.NotifyLog(0);
  ASSERT_NE(at_webhook, absl::InfiniteFuture()) << f.NotifyLog(0);
  EXPECT_NE(out.find("问题上报"), std::string::npos) << out;
  EXPECT_NE(out.find("需全市统筹"), std::string::npos) << out;
  std::cout << "[ e2e ] escalation to the leader: in `upliftctl inbox --follow` after "
            << absl::FormatDuration(in_feed - escalated) << ", at the webhook after "
            << absl::FormatDuration(at_webhook - escalated) << "\n";

  // The leader acknowledges it in the CLI; a new subscriber's backlog is empty.
  nv1::ListInboxRequest inbox;
  inbox.set_unit_id("leader-equipment");
  nv1::ListInboxResponse listed;
  ASSERT_TRUE(f.notify().ListInbox(f.Ctx(leader).get(), inbox, &listed).ok());
  ASSERT_EQ(listed.notifications_size(), 1);
  std::string ack_out;
  EXPECT_EQ(RunCommand(UPLIFT_CTL_BIN, {"--notify-addr", f.notify_address(), "--token", leader, "ack",
                                        listed.notifications(0).notification_id()},
                       &ack_out),
            0)
      << ack_out;
  ASSERT_TRUE(f.notify().ListInbox(f.Ctx(leader).get(), inbox, &listed).ok());
  EXPECT_EQ(listed.unread(), 0);
  follow.Kill();
}

}  // namespace
}  // namespace uplift::testing

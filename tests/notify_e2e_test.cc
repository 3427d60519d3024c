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
// 延期 and 销号 requests reach, through Redis, the inbox of the unit that
// must act: the land department's request for a later deadline its
// approver (the liaison leader, the rung above for 用地); 发改局's 销号 of
// 2.1.3 the plan owner.
TEST(NotifyEndToEnd, RequestsToActReachTheUnitThatMustAct) {
  NotifyFixture f;
  int code = 0;
  ASSERT_EQ((f.ApplyXinlePlan(&code), code), 0);
  f.StartNotify(0);
  f.CreateChenganEnterprise(1, "新乐市华信机械制造有限公司");
  const std::string id = f.RaiseLandProblemAtDepartment(1);

  uplift::tasks::v1::RequestExtensionRequest ask;
  ask.set_problem_id(id);
  ask.set_due_on("2023-07-31");
  ask.set_reason("需等待国土空间规划调整");
  uplift::tasks::v1::RequestExtensionResponse asked;
  grpc::Status s = f.tasks().RequestExtension(f.Ctx(f.TokenFor("dept-zrj")).get(), ask, &asked);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(asked.problem().pending_extension().approver_unit_id(), "leader-equipment");

  uplift::tasks::v1::SubmitTaskCompletionRequest close;
  close.set_plan_id("xinle-2023");
  close.set_task_id("2.1.3");
  close.set_summary("推动3个链主项目落地");
  close.add_evidence("项目落地台账.xlsx");
  uplift::tasks::v1::SubmitTaskCompletionResponse closed;
  s = f.tasks().SubmitTaskCompletion(
      f.Ctx(f.keys().Token(av1::ROLE_DEPARTMENT, "dept-fgj", "发改局")).get(), close, &closed);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // The first KIND_REQUEST notice in `unit`'s inbox, waiting up to 15 s.
  auto request_to = [&](const std::string& unit) {
    nv1::ListInboxRequest inbox;
    inbox.set_unit_id(unit);
    for (const absl::Time deadline = absl::Now() + absl::Seconds(15); absl::Now() < deadline;) {
      nv1::ListInboxResponse listed;
      if (f.notify().ListInbox(f.Ctx(f.TokenFor(unit)).get(), inbox, &listed).ok()) {
        for (const nv1::Notice& n : listed.notifications()) {
          if (n.kind() == nv1::KIND_REQUEST) return n;
        }
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return nv1::Notice();
  };
  const nv1::Notice extension = request_to("leader-equipment");
  EXPECT_EQ(extension.title(), "延期审批：「二期厂房用地指标不足」") << f.NotifyLog(0);
  EXPECT_NE(extension.body().find("需等待国土空间规划调整"), std::string::npos) << extension.body();
  EXPECT_NE(extension.body().find("自然资源"), std::string::npos) << extension.body();
  EXPECT_EQ(extension.attributes().at("problem_id"), id);
  const nv1::Notice closure = request_to("dept-kgx");
  EXPECT_EQ(closure.title(), "销号确认：二(一)3 推进固链强链") << f.NotifyLog(0);
  EXPECT_NE(closure.body().find("推动3个链主项目落地"), std::string::npos) << closure.body();
}

}  // namespace uplift::testing

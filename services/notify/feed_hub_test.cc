// FeedHub: a notification committed on this replica reaches the unit's
// subscribers when the hub is woken, without waiting for its poll; one
// written elsewhere (no wake) still arrives by the poll; other units'
// subscribers see nothing; limits on open feeds hold.
#include "services/notify/feed_hub.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>

#include "common/common_schema.h"
#include "common/sql/query.h"
#include "common/time_util.h"
#include "services/notify/notify_schema.h"
#include "services/notify/notify_store.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_env.h"
#include "tests/support/test_store.h"

namespace uplift::notify {
namespace {

class RecordingSubscriber : public FeedSubscriber {
 public:
  void Deliver(const v1::SubscribeResponse& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    received_.push_back(message.notification().notification_id());
    cv_.notify_all();
  }
  void Close() override {}
  void Check() override {}

  // The ids received once `n` have arrived, or what arrived by `timeout`.
  std::vector<std::string> WaitFor(size_t n, absl::Duration timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [&] { return received_.size() >= n; });
    return received_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> received_;
};

class FeedHubTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  FeedHubTest()
      : db_(testing::OpenTestStore(GetParam(), {CommonMigrations(), NotifyMigrations()})) {}

  // What NotifyService::Push commits for a pushed notification: the
  // notification and its feed row.
  void Commit(const std::string& id, const std::string& unit) {
    ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                     v1::Notice n;
                     n.set_notification_id(id);
                     n.set_unit_id(unit);
                     n.set_source_event_id("ev-" + id);
                     n.set_title("问题上报：" + id);
                     *n.mutable_create_time() = ToProtoTimestamp(absl::Now());
                     EXPECT_TRUE(store::InsertNotification(tx, n, true, std::nullopt));
                     store::AppendFeed(tx, unit, id, false, absl::Now());
                     return absl::OkStatus();
                   })
                    .ok());
  }

  std::unique_ptr<sql::Store> db_;
};

TEST_P(FeedHubTest, AWakeDeliversAtOnceWhileThePollIsHoursAway) {
  FeedHub hub(db_.get(), absl::Hours(1));
  hub.Start();
  RecordingSubscriber leader, other;
  ASSERT_TRUE(hub.Add("leader-equipment", "wang.qiang", &leader).ok());
  ASSERT_TRUE(hub.Add("dept-zrj", "li.hua", &other).ok());
  Commit("nt-1", "leader-equipment");
  hub.Wake();
  // Only the wake can bring it: the next poll is an hour away.
  EXPECT_EQ(leader.WaitFor(1, absl::Seconds(30)), std::vector<std::string>{"nt-1"});
  Commit("nt-2", "leader-equipment");
  Commit("nt-3", "leader-equipment");
  hub.Wake();
  hub.Wake();
  EXPECT_EQ(leader.WaitFor(3, absl::Seconds(30)),
            (std::vector<std::string>{"nt-1", "nt-2", "nt-3"}));
  EXPECT_TRUE(other.WaitFor(1, absl::Milliseconds(200)).empty()) << "another unit's feed";
  hub.Remove("leader-equipment", "wang.qiang", &leader);
  hub.Remove("dept-zrj", "li.hua", &other);
  hub.Stop();
}

TEST_P(FeedHubTest, WithoutAWakeThePollStillBringsWhatAnotherReplicaWrote) {
  FeedHub hub(db_.get(), absl::Milliseconds(20));
  hub.Start();
  RecordingSubscriber leader;
  ASSERT_TRUE(hub.Add("leader-equipment", "wang.qiang", &leader).ok());
  Commit("nt-elsewhere", "leader-equipment");  // no Wake: written by another replica
  EXPECT_EQ(leader.WaitFor(1, absl::Seconds(30)), std::vector<std::string>{"nt-elsewhere"});
  hub.Remove("leader-equipment", "wang.qiang", &leader);
  hub.Stop();
}

TEST_P(FeedHubTest, StopReturnsAtOnceWhileThePollIsHoursAway) {
  FeedHub hub(db_.get(), absl::Hours(1));
  hub.Start();
  // Without the wake in Stop this waits out the hour and ctest's timeout
  // fails the test.
  hub.Stop();
}

TEST_P(FeedHubTest, OpenFeedsAreLimitedPerCallerAndInAll) {
  RecordingSubscriber a, b, c, d;  // outlive the hub, which closes them as it stops
  FeedLimits limits;
  limits.per_principal = 2;
  limits.total = 3;
  FeedHub hub(db_.get(), absl::Hours(1), limits);
  EXPECT_TRUE(hub.Add("dept-zrj", "li.hua", &a).ok());
  EXPECT_TRUE(hub.Add("dept-zrj", "li.hua", &b).ok());
  EXPECT_EQ(hub.Add("dept-zrj", "li.hua", &c).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(hub.Add("dept-zrj", "zhao.min", &c).ok());
  EXPECT_EQ(hub.Add("dept-jrj", "qian.li", &d).code(), absl::StatusCode::kResourceExhausted);
  hub.Remove("dept-zrj", "li.hua", &a);
  EXPECT_TRUE(hub.Add("dept-jrj", "qian.li", &d).ok());
  EXPECT_EQ(hub.subscribers(), 3u);
}

// On PostgreSQL a feed row's number is taken at insert and the row is seen
// at commit: a write that took its number first and commits after a
// later one was read must still reach the feed (the hub once read past it
// for good: notify_bench with two replicas lost ~10 % of a feed).
TEST(FeedHubOnPostgresTest, ARowCommittedAfterAHigherNumberedOneWasReadStillArrives) {
  absl::StatusOr<std::unique_ptr<sql::Store>> opened =
      sql::OpenStore(testing::NewDatabaseUrl(), {CommonMigrations(), NotifyMigrations()});
  ASSERT_TRUE(opened.ok()) << opened.status();
  sql::Store& db = **opened;
  FeedHub hub(&db, absl::Milliseconds(20));
  hub.Start();
  RecordingSubscriber leader;
  ASSERT_TRUE(hub.Add("leader-equipment", "wang.qiang", &leader).ok());
  auto insert = [](sql::Connection& tx, const std::string& id) {
    v1::Notice n;
    n.set_notification_id(id);
    n.set_unit_id("leader-equipment");
    n.set_source_event_id("ev-" + id);
    *n.mutable_create_time() = ToProtoTimestamp(absl::Now());
    EXPECT_TRUE(store::InsertNotification(tx, n, true, std::nullopt));
    store::AppendFeed(tx, "leader-equipment", id, false, absl::Now());
  };
  std::mutex mu;
  std::condition_variable cv;
  bool inserted = false, released = false;
  std::thread slow([&] {
    EXPECT_TRUE(db.Write([&](sql::Connection& tx) {
                    insert(tx, "nt-slow");  // takes its number first
                    std::unique_lock<std::mutex> lock(mu);
                    inserted = true;
                    cv.notify_all();
                    cv.wait(lock, [&] { return released; });
                    return absl::OkStatus();
                  }).ok());
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return inserted; });
  }
  ASSERT_TRUE(db.Write([&](sql::Connection& tx) {
                  insert(tx, "nt-fast");
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(leader.WaitFor(1, absl::Seconds(30)), std::vector<std::string>{"nt-fast"});
  absl::SleepFor(absl::Milliseconds(200));  // polls read past nt-slow's number
  {
    std::lock_guard<std::mutex> lock(mu);
    released = true;
  }
  cv.notify_all();
  slow.join();
  EXPECT_EQ(leader.WaitFor(2, absl::Seconds(30)), (std::vector<std::string>{"nt-fast", "nt-slow"}));
  hub.Remove("leader-equipment", "wang.qiang", &leader);
  hub.Stop();
}

INSTANTIATE_TEST_SUITE_P(Engines, FeedHubTest, testing::EveryEngine(), testing::EngineTestName);

}  // namespace
}  // namespace uplift::notify

// Tests of the outbox and its relay against a real redis-server.
#include "common/outbox.h"

#include <google/protobuf/wrappers.pb.h>
#include <gtest/gtest.h>

#include <set>

#include "common/common_schema.h"
#include "common/stream_event.h"
#include "tests/support/test_env.h"

namespace uplift {
namespace {

class OutboxTest : public ::testing::Test {
 protected:
  OutboxTest()
      : redis_(dir_.File("redis")),
        clock_(absl::FromUnixSeconds(1685205000)),
        db_(*Database::Open(dir_.File("o.db"), {CommonMigrations()})),
        outbox_("uplift-test", &clock_) {
    redis_.Start();
    client_ = std::make_unique<RedisClient>(RedisOptions{redis_.address()});
    relay_ = std::make_unique<OutboxRelay>(db_.get(), client_.get(), &clock_);
  }

  // Appends `n` events (values start..start+n-1) in one committed transaction.
  void Append(int start, int n) {
    ASSERT_TRUE(db_->Write([&](SQLite::Database& tx) -> absl::Status {
                     for (int i = start; i < start + n; ++i) {
                       google::protobuf::Int32Value v;
                       v.set_value(i);
                       absl::StatusOr<std::string> id =
                           outbox_.Append(tx, "uplift:test", std::to_string(i), v);
                       if (!id.ok()) return id.status();
                     }
                     return absl::OkStatus();
                   }).ok());
  }

  std::vector<StreamEvent> Stream() {
    RedisClient reader({redis_.address()});
    std::vector<StreamEvent> out;
    auto reply = reader.Command({"XRANGE", "uplift:test", "-", "+"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    for (const auto& entry : reply->elements) out.push_back(*ParseStreamEntry(entry));
    return out;
  }

  testing::TempDir dir_;
  testing::RedisServer redis_;
  ManualClock clock_;
  std::unique_ptr<Database> db_;
  Outbox outbox_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<OutboxRelay> relay_;
};

TEST_F(OutboxTest, PublishesInOrderWithTheEnvelope) {
  Append(0, 3);
  EXPECT_EQ(*relay_->PendingCount(), 3);
  EXPECT_EQ(*relay_->PublishBatch(), 3);
  EXPECT_EQ(*relay_->PendingCount(), 0);
  std::vector<StreamEvent> events = Stream();
  ASSERT_EQ(events.size(), 3u);
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].type, "google.protobuf.Int32Value");
    EXPECT_EQ(events[i].source, "uplift-test");
    EXPECT_EQ(events[i].subject, std::to_string(i));
    EXPECT_EQ(events[i].occurred_at, "2023-05-27T16:30:00.000Z");
    EXPECT_EQ(events[i].event_id.size(), 36u);
    ids.insert(events[i].event_id);
    google::protobuf::Int32Value v;
    ASSERT_TRUE(events[i].UnpackTo(&v).ok());
    EXPECT_EQ(v.value(), i);
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(*relay_->PublishBatch(), 0) << "nothing is published twice";
}

TEST_F(OutboxTest, RolledBackChangesPublishNothing) {
  ASSERT_FALSE(db_->Write([&](SQLite::Database& tx) -> absl::Status {
                    google::protobuf::Int32Value v;
                    (void)outbox_.Append(tx, "uplift:test", "x", v);
                    return absl::AbortedError("changed my mind");
                  }).ok());
  EXPECT_EQ(*relay_->PendingCount(), 0);
}

TEST_F(OutboxTest, EventsWaitWhileRedisIsDownAndLeaveWhenItIsBack) {
  redis_.Stop();
  Append(0, 5);
  absl::StatusOr<int> failed = relay_->PublishBatch();
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(*relay_->PendingCount(), 5);
  redis_.Start();
  EXPECT_EQ(*relay_->PublishBatch(), 5);
  EXPECT_EQ(Stream().size(), 5u);
}

TEST_F(OutboxTest, RelayThreadDrainsOnCommit) {
  relay_->Start();
  Append(0, 600);  // more than one batch
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (*relay_->PendingCount() > 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  relay_->Stop();
  std::vector<StreamEvent> events = Stream();
  ASSERT_EQ(events.size(), 600u);
  for (int i = 0; i < 600; ++i) EXPECT_EQ(events[i].subject, std::to_string(i));
}

TEST_F(OutboxTest, PurgesSentRowsAfterTheRetention) {
  Append(0, 2);
  ASSERT_EQ(*relay_->PublishBatch(), 2);
  Append(2, 1);  // still pending: never purged
  clock_.Advance(absl::Hours(24 * 8));
  ASSERT_TRUE(relay_->PurgeSent().ok());
  int rows = 0;
  ASSERT_TRUE(db_->Read([&](SQLite::Database& c) {
                  rows = c.execAndGet("SELECT COUNT(*) FROM outbox").getInt();
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(*relay_->PendingCount(), 1);
}

}  // namespace
}  // namespace uplift

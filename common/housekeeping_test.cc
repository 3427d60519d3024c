// Housekeeping of what grows without end: idempotency keys and processed
// event ids go after their retention (the applied versions stay, so an old
// event arriving after the purge is still refused), and the Redis memory
// alarm rises past its threshold against a real redis-server.
#include <gtest/gtest.h>

#include "common/common_schema.h"
#include "common/idempotency.h"
#include "common/processed_events.h"
#include "common/redis_memory_alarm.h"
#include "common/sql/query.h"
#include "common/sql/store.h"
#include "google/protobuf/wrappers.pb.h"
#include "tests/support/test_env.h"
#include "tests/support/test_store.h"

namespace uplift {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

class HousekeepingTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  HousekeepingTest()
      : clock_(kStart), db_(testing::OpenTestStore(GetParam(), {CommonMigrations()})) {}

  int64_t Count(const std::string& table) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](sql::Connection& db) {
                     n = sql::ScalarInt64(db, "SELECT COUNT(*) FROM " + table);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  ManualClock clock_;
  std::unique_ptr<sql::Store> db_;
};

TEST_P(HousekeepingTest, IdempotencyKeysGoAfterTheirRetentionAndYoungerOnesStay) {
  const IdempotencyKeys keys(&clock_);
  const Principal who = testing::TestPrincipal(auth::v1::ROLE_DEPARTMENT, "dept-zrj", "clerk");
  google::protobuf::StringValue request, response;
  request.set_value("raise");
  response.set_value("problem-1");
  ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                   keys.Remember(tx, who, "RaiseProblem", "old", request, response);
                   return absl::OkStatus();
                 })
                  .ok());
  clock_.Advance(absl::Hours(20));
  ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                   keys.Remember(tx, who, "RaiseProblem", "young", request, response);
                   return absl::OkStatus();
                 })
                  .ok());
  clock_.Advance(absl::Hours(5));  // "old" is 25 h old, "young" 5 h

  int64_t purged = -1;
  ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                   purged = PurgeIdempotencyKeys(tx, clock_.Now(), kIdempotencyRetention);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(purged, 1);
  EXPECT_EQ(Count("idempotency"), 1);
  bool found = false;
  ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                   google::protobuf::StringValue stored;
                   found = *keys.Lookup(tx, who, "RaiseProblem", "young", request, &stored);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_TRUE(found);
}

TEST_P(HousekeepingTest, ProcessedIdsGoAfterTheirRetentionButVersionsStay) {
  const std::string stream = "uplift:events:registry";
  ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                   EXPECT_TRUE(MarkEventProcessed(tx, "e-old", stream, clock_.Now()));
                   SetAppliedVersion(tx, stream, "unit/u1", 7);
                   return absl::OkStatus();
                 })
                  .ok());
  clock_.Advance(absl::Hours(24 * 31));
  ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                   EXPECT_TRUE(MarkEventProcessed(tx, "e-young", stream, clock_.Now()));
                   EXPECT_EQ(PurgeProcessedEvents(tx, clock_.Now(), absl::Hours(24 * 30)), 1);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(Count("processed_events"), 1);
  ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                   // The young id is still known; the subject's version outlives the purge.
                   EXPECT_FALSE(MarkEventProcessed(tx, "e-young", stream, clock_.Now()));
                   EXPECT_EQ(AppliedVersion(tx, stream, "unit/u1"), 7);
                   return absl::OkStatus();
                 })
                  .ok());
}

TEST(RedisMemoryAlarm, RisesPastItsThresholdAndStaysDownBelowIt) {
  testing::TempDir dir;
  testing::RedisServer redis(dir.File("redis"));
  redis.Start();
  RedisClient client(RedisOptions{redis.address()});

  RedisMemoryAlarm roomy(&client, int64_t{1} << 40);  // 1 TiB
  const absl::StatusOr<int64_t> used = roomy.Check(kStart);
  ASSERT_TRUE(used.ok()) << used.status();
  EXPECT_GT(*used, 0);
  EXPECT_FALSE(roomy.raised());

  RedisMemoryAlarm tight(&client, *used / 2);
  ASSERT_TRUE(tight.Check(kStart).ok());
  EXPECT_TRUE(tight.raised());
}

INSTANTIATE_TEST_SUITE_P(Engines, HousekeepingTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift

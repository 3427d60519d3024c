// processed_events and applied_versions on both engines: an event id is
// applied once, a subject's version never goes back, old ids are purged.
#include "common/processed_events.h"

#include <gtest/gtest.h>

#include "common/common_schema.h"
#include "common/sql/store.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_env.h"

namespace uplift {
namespace {

class ProcessedEventsTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  void SetUp() override {
    auto opened =
        sql::OpenStore(GetParam() == sql::Engine::kSqlite ? "sqlite:" + dir_.File("consumer.db")
                                                          : testing::NewDatabaseUrl(),
                       {CommonMigrations()});
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }
  // Runs `fn` in a write that must succeed.
  void InWrite(const std::function<void(sql::Connection&)>& fn) {
    ASSERT_TRUE(store_
                    ->Write([&](sql::Connection& tx) {
                      fn(tx);
                      return absl::OkStatus();
                    })
                    .ok());
  }
  testing::TempDir dir_;
  std::unique_ptr<sql::Store> store_;
  const std::string stream_ = "uplift:events:registry";
  const absl::Time now_ = absl::FromUnixSeconds(1764720000);
};

TEST_P(ProcessedEventsTest, AnEventIsAppliedOnce) {
  InWrite([&](sql::Connection& tx) {
    EXPECT_TRUE(MarkEventProcessed(tx, "e-1", stream_, now_));
    EXPECT_FALSE(MarkEventProcessed(tx, "e-1", stream_, now_)) << "redelivered";
    EXPECT_TRUE(MarkEventProcessed(tx, "e-2", stream_, now_));
  });
}

TEST_P(ProcessedEventsTest, ASubjectsVersionNeverGoesBack) {
  InWrite([&](sql::Connection& tx) {
    EXPECT_EQ(AppliedVersion(tx, stream_, "unit/u1"), 0);
    SetAppliedVersion(tx, stream_, "unit/u1", 7);
    SetAppliedVersion(tx, stream_, "unit/u1", 5);  // late
    EXPECT_EQ(AppliedVersion(tx, stream_, "unit/u1"), 7);
    SetAppliedVersion(tx, stream_, "unit/u1", 9);
    EXPECT_EQ(AppliedVersion(tx, stream_, "unit/u1"), 9);
    EXPECT_EQ(AppliedVersion(tx, "uplift:other", "unit/u1"), 0) << "per stream";
  });
}

TEST_P(ProcessedEventsTest, OldIdsArePurgedYoungOnesKept) {
  InWrite([&](sql::Connection& tx) {
    EXPECT_TRUE(MarkEventProcessed(tx, "e-old", stream_, now_));
    EXPECT_TRUE(MarkEventProcessed(tx, "e-young", stream_, now_ + absl::Hours(24 * 31)));
    EXPECT_EQ(PurgeProcessedEvents(tx, now_ + absl::Hours(24 * 31), absl::Hours(24 * 30)), 1);
    EXPECT_FALSE(MarkEventProcessed(tx, "e-young", stream_, now_)) << "still known";
  });
}

INSTANTIATE_TEST_SUITE_P(Engines, ProcessedEventsTest,
                         ::testing::Values(sql::Engine::kSqlite, sql::Engine::kPostgres),
                         [](const ::testing::TestParamInfo<sql::Engine>& info) {
                           return std::string(sql::EngineName(info.param));
                         });

}  // namespace
}  // namespace uplift

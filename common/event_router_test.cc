// Tests of the typed event router: signatures checked before anything,
// redeliveries dropped, and events of one subject delivered in any order
// ending in the newest state, also through a real consumer group on a real
// redis-server.
#include "common/event_router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "common/common_schema.h"
#include "common/sql/dialect.h"
#include "common/sql/query.h"
#include "common/stream_consumer.h"
#include "common/suite_catalog.h"
#include "tests/support/test_env.h"
#include "tests/support/test_events.h"
#include "tests/support/test_store.h"
#include "uplift/registry/v1/registry_events.pb.h"

namespace uplift {
namespace {

namespace rv1 = uplift::registry::v1;
constexpr char kStream[] = "uplift:events:registry";

class EventRouterTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  EventRouterTest()
      : keys_(dir_.File("auth")),
        clock_(absl::FromUnixSeconds(1700000000)),
        db_(testing::OpenTestStore(GetParam(), {CommonMigrations(),
                                                {"test",
                                                 {{1, "names",
                                                   "CREATE TABLE names(unit TEXT PRIMARY KEY,"
                                                   " name TEXT NOT NULL)"}}}})),
        signer_(*Ed25519PrivateKey::FromPemFile(
            "events.key", keys_.secrets_dir("uplift-registry") + "/events.key")),
        verifier_(*EventVerifier::FromDirectory(keys_.public_keys_dir())),
        router_(db_.get(), &clock_, verifier_.get()) {
    router_.On<rv1::UnitUpdated>(
        [this](sql::Connection& tx, const rv1::UnitUpdated& e, const StreamEvent&) {
          ++applied_;
          sql::Query s(tx, sql::UpsertSql("names", "unit, name", "unit"));
          s.Bind(1, e.after().unit_id());
          s.Bind(2, e.after().name());
          s.Exec();
          // After writing, as a handler that fails half-way would.
          if (e.after().name() == fail_on_) return absl::UnavailableError("the disk is full");
          return absl::OkStatus();
        });
  }

  // The `version`th rename of unit u1, signed as the registry signs.
  StreamEvent Rename(int64_t version, const std::string& signer_service = "uplift-registry") {
    rv1::UnitUpdated e;
    e.mutable_after()->set_unit_id("u1");
    e.mutable_after()->set_name("N" + std::to_string(version));
    StreamEvent ev = testing::TestEvent(e, "uplift-registry", "unit/u1", version, clock_.Now());
    if (signer_service == "uplift-registry") {
      signer_.Sign(kStream, &ev);
    } else {
      EventSigner(*Ed25519PrivateKey::FromPemFile(
                      "events.key", keys_.secrets_dir(signer_service) + "/events.key"))
          .Sign(kStream, &ev);
    }
    return ev;
  }

  std::string Name() {
    std::string name;
    EXPECT_TRUE(db_->Read([&](sql::Connection& db) {
                     sql::Query q(db, "SELECT name FROM names WHERE unit='u1'");
                     if (q.Step()) name = q.Text(0);
                     return absl::OkStatus();
                   })
                    .ok());
    return name;
  }

  testing::TempDir dir_;
  testing::TestKeys keys_;
  ManualClock clock_;
  std::unique_ptr<sql::Store> db_;
  EventSigner signer_;
  std::unique_ptr<EventVerifier> verifier_;
  EventRouter router_;
  int applied_ = 0;
  std::string fail_on_;  // the handler fails on this name
};

TEST_P(EventRouterTest, ABatchIsAppliedTogetherAndOneFailingEventLeavesNoTraceAndStopsNoOther) {
  fail_on_ = "N4";
  const std::vector<absl::Status> results =
      router_.HandleBatch(kStream, {Rename(1), Rename(2, "uplift-tasks"), Rename(4)});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_TRUE(IsPoison(results[1])) << "forged";
  EXPECT_EQ(results[2].code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Name(), "N1") << "what the failing handler wrote was rolled back";
  EXPECT_EQ(router_.counts().applied, 1);
  // Retried, it is not taken for a duplicate: its mark went with it.
  fail_on_.clear();
  EXPECT_TRUE(router_.HandleBatch(kStream, {Rename(4), Rename(1)})[0].ok());
  EXPECT_EQ(Name(), "N4");
  EXPECT_EQ(router_.counts().applied, 2);
  EXPECT_EQ(router_.counts().stale, 1) << "the older rename, delivered again";
}

TEST_P(EventRouterTest, EventsOfOneSubjectInAnyOrderEndInTheNewestState) {
  std::vector<StreamEvent> events;
  for (int v = 1; v <= 20; ++v) events.push_back(Rename(v));
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(events.begin(), events.end(), rng);
    for (const StreamEvent& e : events) ASSERT_TRUE(router_.Handle(kStream, e).ok());
    EXPECT_EQ(Name(), "N20") << "round " << round;
  }
  const EventRouter::Counts c = router_.counts();
  EXPECT_EQ(c.applied + c.stale + c.duplicate, 100);
  EXPECT_EQ(c.duplicate, 80) << "every later round only redelivers";
}

TEST_P(EventRouterTest, AnOlderEventArrivingLateNeverBringsBackOlderState) {
  // N1 failed once and is reclaimed after N2 was applied.
  const StreamEvent n1 = Rename(1), n2 = Rename(2);
  ASSERT_TRUE(router_.Handle(kStream, n2).ok());
  ASSERT_TRUE(router_.Handle(kStream, n1).ok());
  EXPECT_EQ(Name(), "N2");
  // The router's count, not the handler's calls: on PostgreSQL a write
  // (and its handler) may run twice, the first run undone.
  EXPECT_EQ(router_.counts().applied, 1);
  EXPECT_EQ(router_.counts().stale, 1);
}

TEST_P(EventRouterTest, ForgedAndUnsignedEntriesArePoisonAndChangeNothing) {
  StreamEvent unsigned_entry = Rename(1);
  unsigned_entry.signature.clear();
  StreamEvent other_key = Rename(2, "uplift-tasks");  // right source, wrong key
  StreamEvent wrong_source = Rename(3);
  wrong_source.source = "uplift-tasks";
  StreamEvent altered = Rename(4);
  altered.payload[altered.payload.size() - 1] ^= 1;
  for (const StreamEvent& e : {unsigned_entry, other_key, wrong_source, altered}) {
    absl::Status s = router_.Handle(kStream, e);
    EXPECT_TRUE(IsPoison(s)) << s;
  }
  EXPECT_EQ(applied_, 0);
  EXPECT_EQ(Name(), "");
}

TEST_P(EventRouterTest, APayloadThatDoesNotParseIsPoisonAndUnknownTypesAreSkipped) {
  StreamEvent garbage = Rename(1);
  garbage.payload = "\xff\xff\xff";
  signer_.Sign(kStream, &garbage);
  EXPECT_TRUE(IsPoison(router_.Handle(kStream, garbage)));
  StreamEvent other = Rename(2);
  other.type = "uplift.registry.v1.SomethingNew";
  signer_.Sign(kStream, &other);
  EXPECT_TRUE(router_.Handle(kStream, other).ok());
  EXPECT_EQ(router_.counts().skipped, 1);
}

TEST_P(EventRouterTest, ShuffledEntriesThroughARealConsumerGroupEndInTheNewestState) {
  testing::RedisServer redis(dir_.File("redis"));
  redis.Start();
  RedisClient client({redis.address()});
  std::vector<StreamEvent> events;
  for (int v = 1; v <= 30; ++v) events.push_back(Rename(v));
  std::mt19937 rng(11);
  std::shuffle(events.begin(), events.end(), rng);
  for (const StreamEvent& e : events) {
    ASSERT_TRUE(client.Command(XAddCommand(kStream, "*", e)).ok());
  }
  ConsumerOptions o;
  o.stream = kStream;
  o.group = "uplift-tasks";
  o.consumer = "c1";
  o.block = absl::Milliseconds(10);
  StreamConsumer consumer(&client, o,
                          [this](const StreamEvent& e) { return router_.Handle(kStream, e); });
  ASSERT_EQ(*consumer.PollOnce(), 30);
  EXPECT_EQ(Name(), "N30");
}

INSTANTIATE_TEST_SUITE_P(Engines, EventRouterTest, testing::EveryEngine(), testing::EngineTestName);

}  // namespace
}  // namespace uplift

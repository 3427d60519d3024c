// Tests of the outbox and its relay against a real redis-server: order and
// envelope, signatures, versions per subject, entry ids that make a re-send
// harmless, progress per stream, one relay per database, and a stream that
// is ahead of a restored database; ids that grow when a lower seq commits
// late; writers of one stream that do not conflict on PostgreSQL.
#include "common/outbox.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "common/common_schema.h"
#include "common/event_signature.h"
#include "common/sql/postgres_database.h"
#include "common/sql/query.h"
#include "common/stream_event.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_env.h"
#include "tests/support/test_store.h"
#include "uplift/auth/v1/revocation.pb.h"
#include "uplift/registry/v1/registry_events.pb.h"

namespace uplift {
namespace {

constexpr char kStream[] = "uplift:events:registry";

class OutboxTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  OutboxTest()
      : keys_(dir_.File("auth")),
        redis_(dir_.File("redis")),
        clock_(absl::FromUnixSeconds(1685205000)),
        db_(testing::OpenTestStore(GetParam(), dir_.File("o.db"), {CommonMigrations()})),
        outbox_("uplift-registry", &clock_),
        signer_(*Ed25519PrivateKey::FromPemFile(
            "events.key", keys_.secrets_dir("uplift-registry") + "/events.key")),
        verifier_(*EventVerifier::FromDirectory(keys_.public_keys_dir())) {
    redis_.Start();
    client_ = std::make_unique<RedisClient>(RedisOptions{redis_.address()});
    relay_ = MakeRelay("replica-a");
  }

  std::unique_ptr<OutboxRelay> MakeRelay(const std::string& holder) {
    OutboxRelayOptions o;
    o.service = "uplift-registry";
    o.holder = holder;
    return std::make_unique<OutboxRelay>(db_.get(), client_.get(), &clock_, &signer_, o);
  }

  // Appends `n` UnitCreated events (units u<start>..) in one transaction.
  void Append(int start, int n, const std::string& subject = "") {
    const absl::Status written = db_->Write([&](sql::Connection& tx) -> absl::Status {
      for (int i = start; i < start + n; ++i) {
        registry::v1::UnitCreated e;
        e.mutable_unit()->set_unit_id("u" + std::to_string(i));
        absl::StatusOr<std::string> id =
            outbox_.Append(tx, subject.empty() ? "unit/u" + std::to_string(i) : subject, e);
        if (!id.ok()) return id.status();
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(written.ok()) << written;
  }

  std::vector<StreamEvent> Stream(const std::string& stream = kStream) {
    RedisClient reader({redis_.address()});
    std::vector<StreamEvent> out;
    auto reply = reader.Command({"XRANGE", stream, "-", "+"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    for (const auto& entry : reply->elements) out.push_back(*ParseStreamEntry(entry));
    return out;
  }

  void ForgetSent() {
    ASSERT_TRUE(db_->Write([](sql::Connection& tx) {
                     tx.ExecScript("UPDATE outbox SET sent_at = NULL");
                     return absl::OkStatus();
                   })
                    .ok());
  }

  testing::TempDir dir_;
  testing::TestKeys keys_;
  testing::RedisServer redis_;
  ManualClock clock_;
  std::unique_ptr<sql::Store> db_;
  Outbox outbox_;
  EventSigner signer_;
  std::unique_ptr<EventVerifier> verifier_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<OutboxRelay> relay_;
};

TEST_P(OutboxTest, PublishesInOrderWithASignedEnvelope) {
  Append(0, 3);
  EXPECT_EQ(*relay_->PendingCount(), 3);
  EXPECT_EQ(*relay_->PublishBatch(), 3);
  EXPECT_EQ(*relay_->PendingCount(), 0);
  std::vector<StreamEvent> events = Stream();
  ASSERT_EQ(events.size(), 3u);
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].type, "uplift.registry.v1.UnitCreated");
    EXPECT_EQ(events[i].source, "uplift-registry");
    EXPECT_EQ(events[i].subject, "unit/u" + std::to_string(i));
    EXPECT_EQ(events[i].version, 1);
    EXPECT_EQ(events[i].occurred_at, "2023-05-27T16:30:00.000Z");
    EXPECT_EQ(events[i].event_id.size(), 36u);
    EXPECT_TRUE(verifier_->Verify(kStream, events[i]).ok());
    ids.insert(events[i].event_id);
    registry::v1::UnitCreated e;
    ASSERT_TRUE(events[i].UnpackTo(&e).ok());
    EXPECT_EQ(e.unit().unit_id(), "u" + std::to_string(i));
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(*relay_->PublishBatch(), 0) << "nothing is published twice";
}

TEST_P(OutboxTest, TheSignatureCoversEveryFieldAndTheStream) {
  Append(0, 1);
  ASSERT_EQ(*relay_->PublishBatch(), 1);
  const StreamEvent e = Stream()[0];
  EXPECT_FALSE(verifier_->Verify("uplift:events:tasks", e).ok()) << "replayed on another stream";
  for (auto tamper : std::vector<std::function<void(StreamEvent*)>>{
           [](StreamEvent* x) { x->payload += "x"; }, [](StreamEvent* x) { x->version = 9; },
           [](StreamEvent* x) { x->subject = "unit/other"; },
           [](StreamEvent* x) { x->type = "uplift.registry.v1.TierAwarded"; },
           [](StreamEvent* x) { x->source = "uplift-tasks"; }}) {
    StreamEvent forged = e;
    tamper(&forged);
    EXPECT_EQ(verifier_->Verify(kStream, forged).code(), absl::StatusCode::kUnauthenticated);
  }
}

TEST_P(OutboxTest, EachSubjectCountsItsOwnVersions) {
  Append(0, 3, "enterprise/A");
  Append(0, 2, "enterprise/B");
  Append(0, 1, "enterprise/A");
  ASSERT_EQ(*relay_->PublishBatch(), 6);
  std::vector<int64_t> a, b;
  for (const StreamEvent& e : Stream()) (e.subject == "enterprise/A" ? a : b).push_back(e.version);
  EXPECT_EQ(a, (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(b, (std::vector<int64_t>{1, 2}));
}

TEST_P(OutboxTest, ARowSentAgainAfterACrashMakesNoSecondEntry) {
  Append(0, 5);
  ASSERT_EQ(*relay_->PublishBatch(), 5);
  // The relay died between Redis accepting the entries and marking them.
  ForgetSent();
  EXPECT_EQ(*relay_->PublishBatch(), 5) << "found in the stream and marked sent";
  EXPECT_EQ(*relay_->PendingCount(), 0);
  EXPECT_EQ(Stream().size(), 5u);
}

TEST_P(OutboxTest, OneRelayPerDatabasePublishes) {
  std::unique_ptr<OutboxRelay> other = MakeRelay("replica-b");
  Append(0, 4);
  EXPECT_EQ(*relay_->PublishBatch(), 4);
  Append(4, 4);
  EXPECT_EQ(*other->PublishBatch(), 0) << "replica-a holds the relay's lease";
  EXPECT_EQ(*relay_->PublishBatch(), 4);
  EXPECT_EQ(Stream().size(), 8u);
  // When the holder stops, the lease passes on (once the other asks again).
  relay_->Stop();
  clock_.Advance(absl::Seconds(6));
  Append(8, 1);
  EXPECT_EQ(*other->PublishBatch(), 1);
  EXPECT_EQ(Stream().size(), 9u);
}

TEST_P(OutboxTest, AStreamThatRefusesHoldsUpOnlyItself) {
  // A Redis user that may write the registry's events but not revocations:
  // the revocation fails on every pass, the registry's events go on, and
  // nothing is written twice.
  ASSERT_TRUE(client_
                  ->Command({"ACL", "SETUSER", "limited", "on", ">pw", "resetkeys", "-@all",
                             "+ping", "~uplift:events:registry", "+xadd", "+xrange"})
                  .ok());
  RedisClient limited(RedisOptions{redis_.address(), "pw", "limited"});
  OutboxRelayOptions o;
  o.service = "uplift-registry";
  OutboxRelay relay(db_.get(), &limited, &clock_, &signer_, o);
  ASSERT_TRUE(db_->Write([&](sql::Connection& tx) -> absl::Status {
                   uplift::auth::v1::TokenRevoked revoked;
                   revoked.mutable_token()->set_token_id("t1");
                   return outbox_.Append(tx, "token/t1", revoked).status();
                 })
                  .ok());
  Append(0, 3);
  EXPECT_EQ(*relay.PublishBatch(), 3);
  clock_.Advance(absl::Seconds(1));  // the failing stream's back-off passes
  Append(3, 2);
  for (int i = 0; i < 5; ++i) {
    (void)relay.PublishBatch();
    clock_.Advance(absl::Seconds(10));
  }
  EXPECT_EQ(Stream().size(), 5u) << "every registry event once";
  EXPECT_EQ(*relay.PendingCount(), 1) << "the revocation waits";
  EXPECT_TRUE(Stream("uplift:revocations").empty());
}

TEST_P(OutboxTest, AStreamAheadOfARestoredDatabaseGetsTheNewEventsAfterItsOwn) {
  // Entries from before a restore: the stream's top is far ahead.
  StreamEvent old;
  old.event_id = "old";
  old.type = "x";
  old.occurred_at = "2030-01-01T00:00:00Z";
  old.source = "uplift-registry";
  old.subject = "unit/old";
  old.version = 1;
  ASSERT_TRUE(client_->Command(XAddCommand(kStream, "1900000000000-0", old)).ok());
  Append(0, 3);
  EXPECT_FALSE(relay_->PublishBatch().ok()) << "refused once; the rows are moved past the top";
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(*relay_->PublishBatch(), 3);
  std::vector<StreamEvent> events = Stream();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].event_id, "old");
  for (int i = 1; i < 4; ++i) EXPECT_EQ(events[i].subject, "unit/u" + std::to_string(i - 1));
}

TEST_P(OutboxTest, ARowCommittedAfterAHigherSeqWasPublishedIsPublishedAfterIt) {
  // Two writers: the one with the lower seq commits last (held back here).
  Append(0, 3);
  auto hold = [&](const char* sent_at) {
    ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                     sql::Query q(tx, "UPDATE outbox SET sent_at=? WHERE subject='unit/u1'");
                     q.Bind(1, std::string(sent_at));
                     q.Exec();
                     return absl::OkStatus();
                   })
                    .ok());
  };
  hold("not yet committed");
  ASSERT_EQ(*relay_->PublishBatch(), 2);
  ASSERT_TRUE(db_->Write([&](sql::Connection& tx) {
                   tx.ExecScript("UPDATE outbox SET sent_at=NULL WHERE subject='unit/u1'");
                   return absl::OkStatus();
                 })
                  .ok());
  absl::StatusOr<int> late = relay_->PublishBatch();
  ASSERT_TRUE(late.ok()) << late.status() << ": refused as smaller than the stream's top";
  EXPECT_EQ(*late, 1);
  std::vector<std::string> subjects;
  for (const StreamEvent& e : Stream()) subjects.push_back(e.subject);
  EXPECT_EQ(subjects, (std::vector<std::string>{"unit/u0", "unit/u2", "unit/u1"}));
}

TEST_P(OutboxTest, RolledBackChangesPublishNothing) {
  ASSERT_FALSE(db_->Write([&](sql::Connection& tx) -> absl::Status {
                    registry::v1::UnitCreated e;
                    (void)outbox_.Append(tx, "unit/x", e);
                    return absl::AbortedError("changed my mind");
                  })
                   .ok());
  EXPECT_EQ(*relay_->PendingCount(), 0);
}

TEST_P(OutboxTest, AMessageWithoutAStreamIsRefused) {
  absl::Status s = db_->Write([&](sql::Connection& tx) -> absl::Status {
    registry::v1::EnterpriseRef not_an_event;
    return outbox_.Append(tx, "x", not_an_event).status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(s.message().find("no (uplift.suite.v1.stream) option"), std::string::npos);
}

TEST_P(OutboxTest, EventsWaitWhileRedisIsDownAndLeaveWhenItIsBack) {
  redis_.Stop();
  Append(0, 5);
  absl::StatusOr<int> failed = relay_->PublishBatch();
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(*relay_->PendingCount(), 5);
  redis_.Start();
  EXPECT_EQ(*relay_->PublishBatch(), 5);
  EXPECT_EQ(Stream().size(), 5u);
}

TEST_P(OutboxTest, RelayThreadDrainsOnCommit) {
  relay_->Start();
  Append(0, 600);  // more than one batch
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (*relay_->PendingCount() > 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  relay_->Stop();
  std::vector<StreamEvent> events = Stream();
  ASSERT_EQ(events.size(), 600u);
  for (int i = 0; i < 600; ++i) EXPECT_EQ(events[i].subject, "unit/u" + std::to_string(i));
}

TEST_P(OutboxTest, AnIdleRelayWaitsForCommitsOrItsPollInsteadOfSpinning) {
  relay_->Start();
  Append(0, 3);
  ASSERT_TRUE(testing::WaitUntil([&] { return *relay_->PendingCount() == 0; }, absl::Seconds(20)));
  absl::SleepFor(absl::Milliseconds(300));  // the passes its own commits woke
  const int64_t before = relay_->passes();
  absl::SleepFor(absl::Seconds(1));  // two polls (every 500 ms)
  const int64_t idle = relay_->passes() - before;
  relay_->Stop();
  EXPECT_LE(idle, 5) << "passes in an idle second: the relay woke itself";
}

TEST_P(OutboxTest, PurgesSentRowsAfterTheRetention) {
  Append(0, 2);
  ASSERT_EQ(*relay_->PublishBatch(), 2);
  Append(2, 1);  // still pending: never purged
  clock_.Advance(absl::Hours(24 * 8));
  ASSERT_TRUE(relay_->PurgeSent().ok());
  int rows = 0;
  ASSERT_TRUE(db_->Read([&](sql::Connection& c) {
                   sql::Query q(c, "SELECT COUNT(*) FROM outbox");
                   rows = q.Step() ? q.Int(0) : -1;
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(*relay_->PendingCount(), 1);
}

// A relay that waits for one replica (o.wait_replicas = 1).
std::unique_ptr<OutboxRelay> MakeWaitingRelay(sql::Store* db, RedisClient* redis,
                                              const Clock* clock, const EventSigner* signer) {
  OutboxRelayOptions o;
  o.service = "uplift-registry";
  o.holder = "replica-a";
  o.wait_replicas = 1;
  o.wait_timeout = absl::Milliseconds(200);
  return std::make_unique<OutboxRelay>(db, redis, clock, signer, o);
}

TEST_P(OutboxTest, WithReplicasRequiredARowIsSentOnlyOnceAnAttachedReplicaHasIt) {
  testing::RedisServer replica(dir_.File("replica"));
  replica.ReplicaOf(redis_.port());
  replica.Start();
  RedisClient on_replica({replica.address()});
  ASSERT_TRUE(replica.WaitForMasterLink());
  relay_.reset();
  std::unique_ptr<OutboxRelay> waiting =
      MakeWaitingRelay(db_.get(), client_.get(), &clock_, &signer_);
  // Stopped, the replica stays attached to the master and acknowledges nothing.
  ASSERT_EQ(kill(replica.pid(), SIGSTOP), 0);
  Append(0, 3);
  EXPECT_FALSE(waiting->PublishBatch().ok()) << "the replica does not have the entries";
  EXPECT_EQ(*waiting->PendingCount(), 3) << "so none is marked sent";

  ASSERT_EQ(kill(replica.pid(), SIGCONT), 0);
  int sent = 0;
  EXPECT_TRUE(testing::WaitUntil(
      [&] {
        clock_.Advance(absl::Seconds(10));  // past the stream's backoff
        absl::StatusOr<int> n = waiting->PublishBatch();
        if (n.ok()) sent += *n;
        return sent == 3;
      },
      absl::Seconds(30)));
  EXPECT_EQ(*waiting->PendingCount(), 0);
  auto length = on_replica.Command({"XLEN", kStream});
  ASSERT_TRUE(length.ok()) << length.status();
  EXPECT_EQ(length->integer, 3) << "sent once, found in the stream the second time";
}

TEST_P(OutboxTest, AMasterWithoutReplicasAttachedIsWaitedForAlone) {
  // After a failover the promoted replica stands alone: escalations go on.
  relay_.reset();
  std::unique_ptr<OutboxRelay> waiting =
      MakeWaitingRelay(db_.get(), client_.get(), &clock_, &signer_);
  Append(0, 3);
  absl::StatusOr<int> sent = waiting->PublishBatch();
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 3);
  EXPECT_EQ(*waiting->PendingCount(), 0);
}

// Writers of one stream share no row: on PostgreSQL two transactions
// appending to it at once both commit at their first attempt (a stamp row
// per stream made the second wait for the first, then fail to serialize).
TEST(OutboxOnPostgresTest, WritersOfOneStreamNeitherWaitForNorConflictWithEachOther) {
  sql::PostgresDatabaseOptions options;
  options.connection.url = testing::NewDatabaseUrl();
  options.attempts = 1;
  options.conflict_patience = absl::ZeroDuration();
  absl::StatusOr<std::unique_ptr<sql::PostgresDatabase>> db =
      sql::PostgresDatabase::Open(options, {CommonMigrations()});
  ASSERT_TRUE(db.ok()) << db.status();
  ManualClock clock(absl::FromUnixSeconds(1685205000));
  const Outbox outbox("uplift-registry", &clock);
  std::mutex mu;
  std::condition_variable cv;
  int appended = 0;
  bool both_open = true;
  auto writer = [&](const std::string& unit) {
    return (*db)->Write([&](sql::Connection& tx) -> absl::Status {
      registry::v1::UnitCreated e;
      e.mutable_unit()->set_unit_id(unit);
      absl::StatusOr<std::string> id = outbox.Append(tx, "unit/" + unit, e);
      if (!id.ok()) return id.status();
      std::unique_lock<std::mutex> lock(mu);
      ++appended;
      cv.notify_all();
      // Commit only once the other has appended too (or gave up waiting).
      if (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return appended >= 2; })) {
        both_open = false;
      }
      return absl::OkStatus();
    });
  };
  absl::Status a, b;
  std::thread first([&] { a = writer("a"); });
  std::thread second([&] { b = writer("b"); });
  first.join();
  second.join();
  EXPECT_TRUE(a.ok()) << a;
  EXPECT_TRUE(b.ok()) << b;
  EXPECT_TRUE(both_open) << "one writer waited for the other's transaction to end";
  int64_t rows = 0;
  ASSERT_TRUE((*db)
                  ->Read([&](sql::Connection& c) {
                    sql::Query q(c, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
                    rows = q.Step() ? q.Int64(0) : -1;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(rows, 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, OutboxTest, testing::EveryEngine(), testing::EngineTestName);

}  // namespace
}  // namespace uplift

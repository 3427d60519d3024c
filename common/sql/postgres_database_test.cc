// PostgresDatabase against a real PostgreSQL: writes commit or leave
// nothing, concurrent writes that conflict run again and each counts once,
// a connection lost in a write or at its COMMIT neither loses nor doubles
// it, the pool is bounded, a read sees one snapshot.
#include "common/sql/postgres_database.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "common/sql/query.h"
#include "tests/support/postgres_server.h"

namespace uplift::sql {
namespace {

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { options_.connection.url = uplift::testing::NewDatabaseUrl(); }
  std::unique_ptr<PostgresDatabase> OpenDb() {
    auto db = PostgresDatabase::Open(options_);
    EXPECT_TRUE(db.ok()) << db.status();
    EXPECT_TRUE((*db)
                    ->Write([](Connection& c) {
                      c.ExecScript(
                          "CREATE TABLE IF NOT EXISTS counter (id INT PRIMARY KEY, n BIGINT);"
                          "INSERT INTO counter VALUES (1, 0) ON CONFLICT DO NOTHING");
                      return absl::OkStatus();
                    })
                    .ok());
    return std::move(*db);
  }
  static absl::Status Increment(Connection& c) {
    Query read(c, "SELECT n FROM counter WHERE id = 1");
    const int64_t n = read.Step() ? read.Int64(0) : -1;
    Query write(c, "UPDATE counter SET n = ? WHERE id = 1");
    write.Bind(1, n + 1).Exec();
    return absl::OkStatus();
  }
  // A write of Increment that counts how often it ran.
  static absl::Status IncrementCountingRuns(PostgresDatabase& db, int* runs) {
    return db.Write([runs](Connection& c) {
      ++*runs;
      return Increment(c);
    });
  }
  int64_t Count(PostgresDatabase& db) {
    int64_t n = -1;
    EXPECT_TRUE(db.Read([&](Connection& c) {
                    Query q(c, "SELECT n FROM counter WHERE id = 1");
                    if (q.Step()) n = q.Int64(0);
                    return absl::OkStatus();
                  }).ok());
    return n;
  }
  // Ends `victim`'s server process from another connection, as a server
  // restart or a network cut would.
  void Terminate(PostgresConnection& victim) {
    auto admin = PostgresConnection::Open(options_.connection);
    Query kill(*admin, "SELECT pg_terminate_backend(?::int)");
    kill.Bind(1, victim.BackendPid());
    kill.Exec();
  }

  PostgresDatabaseOptions options_;
};

MigrationSet Catalog(int versions) {
  MigrationSet set{"catalog", {}};
  const std::vector<Migration> all = {
      {1, "items",
       "CREATE TABLE items (seq INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL);"
       "CREATE TABLE applied (migration INTEGER NOT NULL);"
       // Slow enough that replicas starting together overlap.
       "SELECT pg_sleep(0.3)"},
      {2, "a column and a row",
       "ALTER TABLE items ADD COLUMN at_ms INTEGER NOT NULL DEFAULT 0;"
       "INSERT INTO applied VALUES (2)"},
  };
  set.migrations.assign(all.begin(), all.begin() + versions);
  return set;
}

TEST_F(PostgresDatabaseTest, AWriteCommitsOrLeavesNothing) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Write(Increment).ok());
  EXPECT_EQ(db->Write([](Connection& c) {
                (void)Increment(c);
                return absl::FailedPreconditionError("changed its mind");
              }).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(db->Write([](Connection& c) -> absl::Status {
                (void)Increment(c);
                throw std::runtime_error("a defect");
              }).code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(db->Write([](Connection& c) {
                (void)Increment(c);
                Query(c, "INSERT INTO counter VALUES (1, 5)").Exec();  // a duplicate key
                return absl::OkStatus();
              }).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(*db), 1);
}

TEST_F(PostgresDatabaseTest, ConflictingWritesRunAgainAndEachCountsOnce) {
  options_.attempts = 50;  // four threads on one row conflict often
  auto db = OpenDb();
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (!db->Write(Increment).ok()) ++failed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(Count(*db), 100) << "a lost update or a write applied twice";
}

// A write that keeps losing serialization conflicts runs again past its
// `attempts` while the patience lasts, and gives up at `attempts` runs
// without it. The server itself reports the conflict (SQLSTATE 40001).
TEST_F(PostgresDatabaseTest, AWriteLosingConflictsRunsAgainWhileThePatienceLasts) {
  options_.attempts = 2;
  auto losing_first = [](int losses, int* runs) {
    return [losses, runs](Connection& c) {
      if ((*runs)++ < losses) {
        c.ExecScript(
            "DO $$ BEGIN RAISE EXCEPTION 'lost' USING ERRCODE = 'serialization_failure'; END $$");
      }
      return Increment(c);
    };
  };
  int runs = 0;
  {
    auto patient = OpenDb();
    EXPECT_TRUE(patient->Write(losing_first(5, &runs)).ok());
    EXPECT_EQ(runs, 6);
    EXPECT_EQ(patient->Conflicts(), 5);
  }
  options_.conflict_patience = absl::ZeroDuration();
  auto impatient = OpenDb();
  runs = 0;
  EXPECT_EQ(impatient->Write(losing_first(5, &runs)).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(Count(*impatient), 1) << "the patient write counted once, the other not at all";
}

// Two replicas whose every write updates one row: left alone they fail
// each other's serialization (the control run shows it); queued on the
// row's table, none conflicts and none is lost.
TEST_F(PostgresDatabaseTest, WritesQueuedOnATableDoNotConflictAcrossReplicas) {
  options_.attempts = 200;  // the control run conflicts often
  auto run = [&](bool queued) {
    auto a = OpenDb();
    auto b = OpenDb();
    if (queued) {
      a->QueueWritesOn("counter");
      b->QueueWritesOn("counter");
    }
    const int64_t start = Count(*a);
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (PostgresDatabase* db : {a.get(), b.get(), a.get(), b.get()}) {
      threads.emplace_back([&, db] {
        for (int i = 0; i < 20; ++i) {
          absl::Status s = db->Write([](Connection& c) {
            Query read(c, "SELECT n FROM counter WHERE id = 1");
            const int64_t n = read.Step() ? read.Int64(0) : -1;
            c.ExecScript("SELECT pg_sleep(0.002)");  // others read meanwhile
            Query(c, "UPDATE counter SET n = ? WHERE id = 1").Bind(1, n + 1).Exec();
            return absl::OkStatus();
          });
          if (!s.ok()) ++failed;
        }
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(failed, 0);
    EXPECT_EQ(Count(*a), start + 80) << "a lost update or a write applied twice";
    return a->Conflicts() + b->Conflicts();
  };
  EXPECT_GT(run(/*queued=*/false), 0) << "the control run should conflict";
  EXPECT_EQ(run(/*queued=*/true), 0);
}

TEST_F(PostgresDatabaseTest, AConnectionLostInAWriteRunsItAgainOnAnother) {
  auto db = OpenDb();
  int runs = 0;
  ASSERT_TRUE(db->Write([&](Connection& c) {
                  if (++runs == 1) Terminate(static_cast<PostgresConnection&>(c));
                  return Increment(c);
                }).ok());
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(Count(*db), 1);
}

TEST_F(PostgresDatabaseTest, ARehearsedWriteRunsTwiceAndCommitsOnce) {
  options_.rehearse = true;
  auto db = OpenDb();
  int runs = 0;
  ASSERT_TRUE(IncrementCountingRuns(*db, &runs).ok());
  EXPECT_EQ(runs, 2) << "a run undone, then the run that commits";
  EXPECT_EQ(Count(*db), 1);
}

TEST_F(PostgresDatabaseTest, AReadLosingItsConnectionAfterItsFunctionBeganIsNotRunAgain) {
  auto db = OpenDb();
  int runs = 0;
  const absl::Status read = db->Read([&](Connection& c) {
    ++runs;
    Terminate(static_cast<PostgresConnection&>(c));
    Query q(c, "SELECT n FROM counter WHERE id = 1");
    q.Step();
    return absl::OkStatus();
  });
  EXPECT_EQ(read.code(), absl::StatusCode::kUnavailable) << read;
  EXPECT_EQ(runs, 1) << "what the function filled in may be partial: the caller asks again";
}

TEST_F(PostgresDatabaseTest, AConnectionLostBeforeCommitRunsAgainOnce) {
  int commits_tried = 0;
  options_.before_commit = [&](PostgresConnection& c) {
    if (++commits_tried == 2) Terminate(c);  // the first commit is OpenDb's table
  };
  auto db = OpenDb();
  int runs = 0;
  ASSERT_TRUE(IncrementCountingRuns(*db, &runs).ok());
  EXPECT_EQ(runs, 2) << "the COMMIT failed, so the write ran again";
  EXPECT_EQ(db->CommitsFoundByReceipt(), 0);
  EXPECT_EQ(Count(*db), 1);
}

TEST_F(PostgresDatabaseTest, ACommitWhoseAnswerWasLostIsFoundByItsReceiptNotRunAgain) {
  int commits = 0;
  options_.after_commit = [&](PostgresConnection& c) {
    if (++commits != 2) return;
    Terminate(c);  // the COMMIT went through; its answer "never arrived"
    throw Error(ErrorKind::kUnavailable, "server closed the connection unexpectedly");
  };
  auto db = OpenDb();
  int runs = 0;
  ASSERT_TRUE(IncrementCountingRuns(*db, &runs).ok());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(db->CommitsFoundByReceipt(), 1);
  EXPECT_EQ(Count(*db), 1) << "the write was applied twice";
}

TEST_F(PostgresDatabaseTest, ThePoolIsBoundedAndAWaitForItIsToo) {
  options_.pool_size = 1;
  options_.pool_wait = absl::Milliseconds(200);
  ASSERT_TRUE(PostgresDatabase::Open(options_, {Catalog(2)}).ok())
      << "migrating needs no second connection of the pool";
  auto db = OpenDb();
  absl::Status inner;
  ASSERT_TRUE(db->Read([&](Connection&) {
                  // The one connection is held here.
                  inner = db->Read([](Connection&) { return absl::OkStatus(); });
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(inner.code(), absl::StatusCode::kUnavailable) << inner;
  EXPECT_TRUE(db->Read([](Connection&) { return absl::OkStatus(); }).ok())
      << "the connection was given back";
}

TEST_F(PostgresDatabaseTest, AReadSeesOneSnapshotAndCannotWrite) {
  auto db = OpenDb();
  int64_t first = -1, second = -1;
  ASSERT_TRUE(db->Read([&](Connection& c) {
                  Query a(c, "SELECT n FROM counter WHERE id = 1");
                  first = a.Step() ? a.Int64(0) : -1;
                  std::thread([&] { EXPECT_TRUE(db->Write(Increment).ok()); }).join();
                  Query b(c, "SELECT n FROM counter WHERE id = 1");
                  second = b.Step() ? b.Int64(0) : -1;
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 0) << "a write committed during the read showed through";
  EXPECT_EQ(Count(*db), 1);
  EXPECT_EQ(db->Read([](Connection& c) { return Increment(c); }).code(),
            absl::StatusCode::kInternal);  // read-only transaction (SQLSTATE 25006)
}

TEST_F(PostgresDatabaseTest, AServerThatIsNotThereFailsToOpen) {
  options_.connection.url =
      "postgresql://uplift:x@127.0.0.1:" + std::to_string(uplift::testing::FreePort()) + "/x";
  options_.connection.connect_timeout = absl::Seconds(2);
  EXPECT_EQ(PostgresDatabase::Open(options_).status().code(), absl::StatusCode::kUnavailable);
}

// deploy/compose.ha.yml gives each service a URL without its password and
// the password in a libpq password file (PGPASSFILE), mode 0600.
TEST_F(PostgresDatabaseTest, APasswordFileStandsInForThePasswordTheUrlLeavesOut) {
  const std::string url = options_.connection.url;  // postgresql://uplift:<pw>@127.0.0.1:<port>/<db>
  const size_t colon = url.find(':', std::string("postgresql://").size());
  const size_t at = url.find('@');
  const std::string password = url.substr(colon + 1, at - colon - 1);
  const std::string database = url.substr(url.rfind('/') + 1);
  const std::string without_password = url.substr(0, colon) + url.substr(at);
  uplift::testing::TempDir dir;
  const std::string file = dir.path() + "/pgpass";
  {
    std::ofstream out(file);
    out << "127.0.0.1:" << uplift::testing::SharedPostgresServer().port() << ":" << database
        << ":uplift:" << password << "\n";
  }
  ASSERT_EQ(chmod(file.c_str(), 0600), 0);
  options_.connection.url = without_password;
  options_.connection.connect_timeout = absl::Seconds(5);
  setenv("PGPASSFILE", (dir.path() + "/none").c_str(), 1);
  const absl::Status refused = PostgresDatabase::Open(options_).status();
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.message().find(password), std::string::npos) << refused;
  setenv("PGPASSFILE", file.c_str(), 1);
  auto db = PostgresDatabase::Open(options_);
  ASSERT_TRUE(db.ok()) << db.status();
  const absl::Status read = (*db)->Read([](Connection& c) {
    Query q(c, "SELECT 1");
    return q.Step() && q.Int64(0) == 1 ? absl::OkStatus() : absl::InternalError("no row");
  });
  EXPECT_TRUE(read.ok()) << read;
  db->reset();
  unsetenv("PGPASSFILE");
}

// Rows migration 2 inserted: one per time it was applied.
int64_t CountApplied(PostgresDatabase& db) {
  int64_t applied = -1;
  EXPECT_TRUE(db.Read([&](Connection& c) {
                  Query q(c, "SELECT COUNT(*) FROM applied");
                  applied = q.Step() ? q.Int64(0) : -1;
                  return absl::OkStatus();
                }).ok());
  return applied;
}

TEST_F(PostgresDatabaseTest, MigrationsApplyOnceInPostgresDdl) {
  auto db = PostgresDatabase::Open(options_, {Catalog(1)});
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(*(*db)->SchemaVersion("catalog"), 1);
  db = PostgresDatabase::Open(options_, {Catalog(2)});
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(*(*db)->SchemaVersion("catalog"), 2);
  // An identity column, BYTEA and a 64-bit integer, as DdlFor made them.
  ASSERT_TRUE((*db)
                  ->Write([](Connection& c) {
                    Query insert(c, "INSERT INTO items (body, at_ms) VALUES (?, ?) RETURNING seq");
                    insert.BindBlob(1, std::string("\0\xff", 2)).Bind(2, int64_t{1764720000000});
                    EXPECT_TRUE(insert.Step());
                    EXPECT_EQ(insert.Int64(0), 1);
                    return absl::OkStatus();
                  })
                  .ok());
  db = PostgresDatabase::Open(options_, {Catalog(2)});
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(CountApplied(**db), 1);
  EXPECT_EQ(PostgresDatabase::Open(options_, {Catalog(1)}).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "a database newer than the binary was used";
}

TEST_F(PostgresDatabaseTest, AReplicasCommitWakesTheOthersListenersAndARolledBackOneDoesNot) {
  auto a = OpenDb();
  auto b = OpenDb();  // another replica: its own pool, the same database
  std::atomic<int> woken{0};
  int runs = 0;
  const int id = b->AddCommitListener([&] { ++woken; });
  // The listener wakes once when it starts listening (commits it missed).
  ASSERT_TRUE(uplift::testing::WaitUntil([&] { return woken > 0; }, absl::Seconds(30)));
  absl::SleepFor(absl::Milliseconds(300));
  const int before = woken;
  ASSERT_FALSE(a->Write([](Connection& c) {
                  (void)Increment(c);
                  return absl::AbortedError("changed my mind");
                }).ok());
  ASSERT_TRUE(IncrementCountingRuns(*a, &runs).ok());
  EXPECT_TRUE(uplift::testing::WaitUntil([&] { return woken > before; }, absl::Seconds(30)))
      << "the commit on another replica woke nobody";
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(woken, before + 1) << "one commit, one wake-up; the rolled-back write sent none";

  // The listening connection lost (a server restart): it listens again.
  auto admin = PostgresConnection::Open(options_.connection);
  Query(*admin,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "
        "uplift_commit'")
      .Step();
  absl::SleepFor(absl::Seconds(1));
  const int after_restart = woken;
  EXPECT_TRUE(uplift::testing::WaitUntil(
      [&] {
        EXPECT_TRUE(IncrementCountingRuns(*a, &runs).ok());
        return woken > after_restart;
      },
      absl::Seconds(30)))
      << "no wake-up after the listening connection was lost";
  b->RemoveCommitListener(id);
}

TEST_F(PostgresDatabaseTest, ReplicasStartingTogetherApplyEachMigrationOnce) {
  std::vector<std::thread> replicas;
  std::atomic<int> failed{0};
  for (int r = 0; r < 4; ++r) {
    replicas.emplace_back([&] {
      auto opened = PostgresDatabase::Open(options_, {Catalog(2)});
      if (!opened.ok()) {
        ++failed;
        ADD_FAILURE() << opened.status();
      }
    });
  }
  for (std::thread& t : replicas) t.join();
  EXPECT_EQ(failed, 0);
  auto db = PostgresDatabase::Open(options_);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(CountApplied(**db), 1);
  EXPECT_EQ(*(*db)->SchemaVersion("catalog"), 2);
}

}  // namespace
}  // namespace uplift::sql

// Tests of the SQLite store: migrations, transactions, savepoints, errors.
#include "common/sqlite_db.h"

#include <gtest/gtest.h>

#include "tests/support/test_env.h"

namespace uplift {
namespace {

MigrationSet Widgets(int upto) {
  MigrationSet set{"widgets", {}};
  std::vector<Migration> all = {
      {1, "widgets", "CREATE TABLE widgets(id INTEGER PRIMARY KEY, name TEXT UNIQUE)"},
      {2, "colour", "ALTER TABLE widgets ADD COLUMN colour TEXT NOT NULL DEFAULT ''"},
  };
  for (int i = 0; i < upto; ++i) set.migrations.push_back(all[i]);
  return set;
}

int Count(Database& db, const std::string& table) {
  int n = -1;
  EXPECT_TRUE(db.Read([&](SQLite::Database& c) {
                  n = c.execAndGet("SELECT COUNT(*) FROM " + table).getInt();
                  return absl::OkStatus();
                }).ok());
  return n;
}

TEST(Database, AppliesMigrationsOnceAndInOrder) {
  testing::TempDir dir;
  const std::string path = dir.File("w.db");
  {
    auto db = Database::Open(path, {Widgets(1)});
    ASSERT_TRUE(db.ok()) << db.status();
    EXPECT_EQ(*(*db)->SchemaVersion("widgets"), 1);
  }
  auto db = Database::Open(path, {Widgets(2)});
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(*(*db)->SchemaVersion("widgets"), 2);
  EXPECT_EQ(Count(**db, "schema_migrations"), 2);
  // The column of migration 2 exists.
  EXPECT_TRUE((*db)->Write([](SQLite::Database& c) {
                  c.exec("INSERT INTO widgets(name, colour) VALUES('a', 'red')");
                  return absl::OkStatus();
                }).ok());
}

TEST(Database, RefusesADatabaseNewerThanTheBinary) {
  testing::TempDir dir;
  const std::string path = dir.File("w.db");
  ASSERT_TRUE(Database::Open(path, {Widgets(2)}).ok());
  auto older = Database::Open(path, {Widgets(1)});
  ASSERT_FALSE(older.ok());
  EXPECT_EQ(older.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(older.status().message().find("newer than this binary"), std::string::npos);
}

TEST(Database, UsesWriteAheadLogging) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("w.db"), {Widgets(1)});
  ASSERT_TRUE(db.ok());
  std::string mode;
  ASSERT_TRUE((*db)->Read([&](SQLite::Database& c) {
                  mode = c.execAndGet("PRAGMA journal_mode").getString();
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(mode, "wal");
}

TEST(Database, FailedWriteChangesNothing) {
  auto db = Database::Open(":memory:", {Widgets(1)});
  ASSERT_TRUE(db.ok());
  absl::Status s = (*db)->Write([](SQLite::Database& c) {
    c.exec("INSERT INTO widgets(name) VALUES('a')");
    return absl::InvalidArgumentError("name: no");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count(**db, "widgets"), 0);
}

TEST(Database, AnyExceptionRollsBackAndFreesTheWriteLock) {
  testing::TempDir dir;
  auto db = *Database::Open(dir.File("x.db"), {Widgets(1)});
  for (int i = 0; i < 3; ++i) {
    absl::Status s = db->Write([&](SQLite::Database& tx) -> absl::Status {
      tx.exec("INSERT INTO widgets(name) VALUES('w" + std::to_string(i) + "')");
      if (i == 0) throw std::runtime_error("a bug in a handler");
      if (i == 1) throw 42;
      return absl::OkStatus();
    });
    if (i < 2) {
      EXPECT_EQ(s.code(), absl::StatusCode::kInternal) << i;
    } else {
      EXPECT_TRUE(s.ok());
    }
  }
  EXPECT_EQ(Count(*db, "widgets"), 1) << "the two failed writes left nothing";
  // Another connection (another replica) can write at once: no lock held.
  auto other = *Database::Open(dir.File("x.db"), {Widgets(1)});
  EXPECT_TRUE(other->Write([](SQLite::Database& tx) {
                     tx.exec("INSERT INTO widgets(name) VALUES('other')");
                     return absl::OkStatus();
                   }).ok());
}

TEST(Database, UniqueViolationIsAlreadyExistsAndRollsBack) {
  auto db = Database::Open(":memory:", {Widgets(1)});
  ASSERT_TRUE(db.ok());
  absl::Status s = (*db)->Write([](SQLite::Database& c) {
    c.exec("INSERT INTO widgets(name) VALUES('a')");
    c.exec("INSERT INTO widgets(name) VALUES('a')");
    return absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(**db, "widgets"), 0);
}

TEST(Database, SavepointUndoesOnlyItsOwnChanges) {
  auto db = Database::Open(":memory:", {Widgets(1)});
  ASSERT_TRUE(db.ok());
  std::vector<absl::Status> rows;
  ASSERT_TRUE((*db)->Write([&](SQLite::Database& c) {
                  for (const char* name : {"a", "b", "a", "c"}) {
                    rows.push_back(WithSavepoint(c, [&]() -> absl::Status {
                      SQLite::Statement s(c, "INSERT INTO widgets(name) VALUES(?)");
                      s.bind(1, name);
                      s.exec();
                      return absl::OkStatus();
                    }));
                  }
                  return absl::OkStatus();
                }).ok());
  EXPECT_TRUE(rows[0].ok());
  EXPECT_TRUE(rows[1].ok());
  EXPECT_EQ(rows[2].code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(rows[3].ok());
  EXPECT_EQ(Count(**db, "widgets"), 3);
}

TEST(Database, NotifiesListenersAfterCommitsOnly) {
  auto db = Database::Open(":memory:", {Widgets(1)});
  ASSERT_TRUE(db.ok());
  int commits = 0;
  const int id = (*db)->AddCommitListener([&] { ++commits; });
  const auto insert = [](const char* name) {
    return [name](SQLite::Database& c) {
      c.exec(std::string("INSERT INTO widgets(name) VALUES('") + name + "')");
      return absl::OkStatus();
    };
  };
  ASSERT_TRUE((*db)->Write(insert("a")).ok());
  ASSERT_FALSE((*db)
                   ->Write([](SQLite::Database& c) {
                     c.exec("INSERT INTO widgets(name) VALUES('b')");
                     return absl::InternalError("x");
                   })
                   .ok());
  ASSERT_TRUE((*db)->Write([](SQLite::Database&) { return absl::OkStatus(); }).ok());
  EXPECT_EQ(commits, 1) << "a rolled-back write and one that changed nothing wake nobody";
  (*db)->RemoveCommitListener(id);
  ASSERT_TRUE((*db)->Write(insert("c")).ok());
  EXPECT_EQ(commits, 1) << "a removed listener is not called";
}

// The commit generation moves with every commit that changed rows, by this
// Database or by another connection to the file (another replica), and
// stands still while nothing commits, reads included.
TEST(Database, CommitGenerationMovesWithEveryCommitFromAnyConnection) {
  testing::TempDir dir;
  auto mine = Database::Open(dir.File("w.db"), {Widgets(1)});
  auto other = Database::Open(dir.File("w.db"), {Widgets(1)});
  ASSERT_TRUE(mine.ok() && other.ok());
  auto insert = [](Database& db, const std::string& name) {
    return db.Write([&](SQLite::Database& c) {
      c.exec("INSERT INTO widgets(name) VALUES('" + name + "')");
      return absl::OkStatus();
    });
  };
  const absl::StatusOr<uint64_t> start = (*mine)->CommitGeneration();
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(Count(**mine, "widgets"), 0);
  EXPECT_EQ(*(*mine)->CommitGeneration(), *start) << "nothing committed";
  ASSERT_TRUE(insert(**mine, "a").ok());
  const uint64_t after_mine = *(*mine)->CommitGeneration();
  EXPECT_NE(after_mine, *start) << "this Database's own commit";
  ASSERT_TRUE(insert(**other, "b").ok());
  const uint64_t after_other = *(*mine)->CommitGeneration();
  EXPECT_NE(after_other, after_mine) << "another connection's commit";
  EXPECT_EQ(*(*mine)->CommitGeneration(), after_other);

  auto memory = Database::Open(":memory:", {Widgets(1)});
  ASSERT_TRUE(memory.ok());
  const uint64_t before = *(*memory)->CommitGeneration();
  ASSERT_TRUE(insert(**memory, "c").ok());
  EXPECT_NE(*(*memory)->CommitGeneration(), before) << "in memory";
}

}  // namespace
}  // namespace uplift

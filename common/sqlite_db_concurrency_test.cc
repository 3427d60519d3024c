// Tests of the store under concurrent callers: writes committed together
// (group commit) with each write still undone alone, and reads on
// connections of their own, each in one snapshot, beside the writer.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/sqlite_db.h"
#include "tests/support/test_env.h"

namespace uplift {
namespace {

MigrationSet Widgets() {
  return {"widgets",
          {{1, "widgets", "CREATE TABLE widgets(id INTEGER PRIMARY KEY, name TEXT UNIQUE)"}}};
}

std::unique_ptr<Database> OpenFile(testing::TempDir& dir) {
  auto db = Database::Open(dir.File("w.db"), {Widgets()});
  EXPECT_TRUE(db.ok()) << db.status();
  return std::move(*db);
}

absl::Status Insert(Database& db, const std::string& name) {
  return db.Write([&](SQLite::Database& c) {
    SQLite::Statement s(c, "INSERT INTO widgets(name) VALUES(?)");
    s.bind(1, name);
    s.exec();
    return absl::OkStatus();
  });
}

int Count(Database& db) {
  int n = -1;
  EXPECT_TRUE(db.Read([&](SQLite::Database& c) {
                  n = c.execAndGet("SELECT COUNT(*) FROM widgets").getInt();
                  return absl::OkStatus();
                }).ok());
  return n;
}

// A write that inserts `name` and holds the writer until Release(), so the
// writes queued meanwhile all land in the next batch.
class HeldWrite {
 public:
  HeldWrite(Database& db, std::string name) {
    thread_ = std::thread([this, &db, name] {
      status_ = db.Write([&](SQLite::Database& c) {
        SQLite::Statement s(c, "INSERT INTO widgets(name) VALUES(?)");
        s.bind(1, name);
        s.exec();
        entered_.set_value();
        release_.get_future().wait();
        return absl::OkStatus();
      });
    });
    entered_.get_future().wait();
  }
  absl::Status Release() {
    release_.set_value();
    thread_.join();
    return status_;
  }

 private:
  std::promise<void> entered_, release_;
  absl::Status status_;
  std::thread thread_;
};

TEST(DatabaseGroupCommit, WritesWaitingTogetherShareOneTransactionAndFailAlone) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = OpenFile(dir);
  const Database::WriteCounts before = db->Counts();
  constexpr int kWaiting = 20;
  HeldWrite first(*db, "first");
  std::vector<std::future<absl::Status>> results;
  for (int i = 0; i < kWaiting; ++i) {
    results.push_back(std::async(std::launch::async, [&, i] {
      if (i == 7) {  // fails after writing: only its own row is undone
        return db->Write([](SQLite::Database& c) {
          c.exec("INSERT INTO widgets(name) VALUES('undone')");
          return absl::InvalidArgumentError("widget: refused");
        });
      }
      if (i == 11) return Insert(*db, "first");  // a unique violation, in the batch
      return Insert(*db, "w" + std::to_string(i));
    }));
  }
  while (db->QueuedWrites() < kWaiting) std::this_thread::yield();
  ASSERT_TRUE(first.Release().ok());
  for (int i = 0; i < kWaiting; ++i) {
    const absl::Status s = results[i].get();
    if (i == 7) {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    } else if (i == 11) {
      EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
    } else {
      EXPECT_TRUE(s.ok()) << i << ": " << s;
    }
  }
  const Database::WriteCounts after = db->Counts();
  EXPECT_EQ(after.writes - before.writes, kWaiting + 1);
  EXPECT_EQ(after.batches - before.batches, 2);  // the first alone, then the 20 together
  EXPECT_EQ(Count(*db), 1 + kWaiting - 2);
  EXPECT_TRUE(db->Read([](SQLite::Database& c) {
                  EXPECT_EQ(
                      c.execAndGet("SELECT COUNT(*) FROM widgets WHERE name='undone'").getInt(), 0);
                  return absl::OkStatus();
                }).ok());
}

TEST(DatabaseGroupCommit, AThrowingWriteInABatchIsUndoneAndTheRestCommit) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = OpenFile(dir);
  HeldWrite first(*db, "first");
  auto thrower = std::async(std::launch::async, [&] {
    return db->Write([](SQLite::Database& c) -> absl::Status {
      c.exec("INSERT INTO widgets(name) VALUES('thrown')");
      throw std::runtime_error("boom");
    });
  });
  auto after = std::async(std::launch::async, [&] { return Insert(*db, "after"); });
  while (db->QueuedWrites() < 2) std::this_thread::yield();
  ASSERT_TRUE(first.Release().ok());
  EXPECT_EQ(thrower.get().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(after.get().ok());
  EXPECT_EQ(Count(*db), 2);
}

TEST(DatabaseReaders, AReadRunsWhileAWriteHoldsTheWriter) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = OpenFile(dir);
  ASSERT_TRUE(Insert(*db, "a").ok());
  std::promise<int> read_done;
  std::future<int> seen = read_done.get_future();
  ASSERT_TRUE(db->Write([&](SQLite::Database& c) {
                  c.exec("INSERT INTO widgets(name) VALUES('uncommitted')");
                  std::thread reader([&] { read_done.set_value(Count(*db)); });
                  // With one connection the read would wait for this write: a deadlock.
                  const bool done =
                      seen.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
                  reader.join();
                  EXPECT_TRUE(done);
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(seen.get(), 1);  // the last commit, not the write in progress
  EXPECT_EQ(Count(*db), 2);
}

TEST(DatabaseReaders, EveryStatementOfAReadSeesOneSnapshot) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = OpenFile(dir);
  ASSERT_TRUE(Insert(*db, "a").ok());
  int first = -1, second = -1;
  ASSERT_TRUE(db->Read([&](SQLite::Database& c) {
                  first = c.execAndGet("SELECT COUNT(*) FROM widgets").getInt();
                  EXPECT_TRUE(Insert(*db, "b").ok());  // committed meanwhile
                  second = c.execAndGet("SELECT COUNT(*) FROM widgets").getInt();
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
  EXPECT_EQ(Count(*db), 2);  // the next read sees it
}

TEST(DatabaseReaders, AReadCannotWrite) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = OpenFile(dir);
  const absl::Status s = db->Read([](SQLite::Database& c) {
    c.exec("INSERT INTO widgets(name) VALUES('sneaked')");
    return absl::OkStatus();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count(*db), 0);
}

TEST(DatabaseReaders, ManyThreadsReadAndWriteTogether) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = OpenFile(dir);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!Insert(*db, absl::StrCat("t", t, "-", i)).ok()) ++failures;
        if (Count(*db) < i + 1) ++failures;  // a read sees at least this thread's own writes
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count(*db), 400);
}

// A listener that throws is logged; the committer still hands over, so
// the writes waiting behind it are committed and nothing hangs.
TEST(DatabaseGroupCommit, AThrowingCommitListenerStrandsNoWrite) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = OpenFile(dir);
  std::atomic<int> calls{0};
  db->AddCommitListener([&] {
    ++calls;
    throw std::runtime_error("listener broke");
  });
  const int64_t batches_before = db->Counts().batches;  // the migrations'
  std::vector<std::future<absl::Status>> writes;
  for (int i = 0; i < 40; ++i) {
    writes.push_back(
        std::async(std::launch::async, [&, i] { return Insert(*db, absl::StrCat("w", i)); }));
  }
  for (auto& w : writes) EXPECT_TRUE(w.get().ok());
  EXPECT_EQ(Count(*db), 40);
  EXPECT_EQ(calls.load(), db->Counts().batches - batches_before);
}

// Savepoints' sub-journals in memory (2 = MEMORY) and the larger checkpoint
// interval, on the writer and on every reader alike.
TEST(DatabaseConnections, WriterAndReadersKeepTempDataInMemory) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = OpenFile(dir);
  auto pragmas = [](SQLite::Database& c) {
    return std::make_pair(c.execAndGet("PRAGMA temp_store").getInt(),
                          c.execAndGet("PRAGMA wal_autocheckpoint").getInt());
  };
  std::pair<int, int> writer, reader;
  ASSERT_TRUE(db->Write([&](SQLite::Database& c) {
                  writer = pragmas(c);
                  return absl::OkStatus();
                }).ok());
  ASSERT_TRUE(db->Read([&](SQLite::Database& c) {
                  reader = pragmas(c);
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(writer, std::make_pair(2, 10000));
  EXPECT_EQ(reader, std::make_pair(2, 10000));
}

}  // namespace
}  // namespace uplift

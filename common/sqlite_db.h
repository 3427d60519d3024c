// The embedded store: one SQLite file per service in WAL mode, versioned
// migrations applied at start, and transactions that return absl::Status.
// Writes from concurrent threads are committed together (group commit: one
// transaction, one flush, each write in a savepoint of its own); reads run on
// a pool of read-only connections, each in one snapshot, beside the writer.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/sql/commit_listeners.h"
#include "common/sql/migration.h"
#include "common/statement_cache.h"

namespace uplift {

class Database {
 public:
  // Opens (creating if needed) `path` and applies the pending migrations of
  // every set, each in its own transaction. A database newer than this
  // binary is refused. ":memory:" gives a private in-memory database.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path, const std::vector<MigrationSet>& sets);

  // Runs `fn` in a write transaction: its changes are committed (durably)
  // before Write returns OK, and undone on any other way out of `fn` (an
  // error, an exception of any type); a failed commit fails it. Exceptions
  // become statuses: SQLite's by their code, others INTERNAL.
  //
  // Writes of concurrent threads share one IMMEDIATE transaction and one
  // flush, applied one after another in arrival order, each in a savepoint
  // of its own: one write failing undoes only its own changes. A write sees
  // every write committed before it and those ahead of it in its batch.
  absl::Status Write(const std::function<absl::Status(SQLite::Database&)>& fn);
  // Runs `fn` in one read transaction (one consistent snapshot of the last
  // commit) on a read-only connection of its own, beside writes and other
  // reads. An in-memory database has one connection: reads wait for it.
  absl::Status Read(const std::function<absl::Status(SQLite::Database&)>& fn);

  // A number that differs from every earlier answer once anything has
  // committed to the file since, by any connection of any process (SQLite's
  // `PRAGMA data_version` on a connection of its own that never writes; a
  // commit count in memory). Taken before a Read, an unchanged answer
  // afterwards means nothing that Read saw has changed. UNAVAILABLE if the
  // file cannot be read.
  absl::StatusOr<uint64_t> CommitGeneration();

  // Called after every committed Write (outside the writer's lock); e.g. to
  // wake the outbox relay. Listeners must be quick and must not add or
  // remove listeners. Returns the listener's id for RemoveCommitListener.
  int AddCommitListener(std::function<void()> listener);
  // Once this returns, the listener is not running and is not called again
  // (its owner may then be destroyed).
  void RemoveCommitListener(int id);

  // Replaces this database's whole content with `source`'s (SQLite's online
  // backup). Fuzz targets start every input from one seeded database.
  absl::Status RestoreFrom(Database& source);

  // The highest applied migration of `component`, 0 if none.
  absl::StatusOr<int> SchemaVersion(const std::string& component);

  // Transactions committed (or tried) and writes they carried, since Open.
  struct WriteCounts {
    int64_t batches = 0;
    int64_t writes = 0;
  };
  WriteCounts Counts();
  // Writes waiting for a batch (tests wait on it to line writes up).
  size_t QueuedWrites();

 private:
  // A write waiting for its batch's commit. Its thread sleeps on `wake`
  // until the write is done or the thread is made the next committer, so a
  // commit wakes the threads of its batch and one successor, not every
  // waiting thread.
  struct PendingWrite {
    const std::function<absl::Status(SQLite::Database&)>* fn = nullptr;
    absl::Status status;
    bool done = false;
    bool commits = false;  // this thread commits the next batches
    std::condition_variable wake;
  };
  // Commits batches from the queue until `me` is done, then hands the
  // committing over to the oldest write still waiting. Called with `lock`
  // held and committing_ set.
  void CommitUntilDone(PendingWrite& me, std::unique_lock<std::mutex>& lock);
  static constexpr size_t kMaxBatch = 128;

  Database(std::string path, std::unique_ptr<SQLite::Database> db)
      : path_(std::move(path)), db_(std::move(db)) {}
  absl::Status Migrate(const MigrationSet& set);
  // Runs `batch` in one transaction on the writer connection and sets each
  // write's status; returns whether it changed a row (a batch that only read wakes
  // no commit listener: a listener whose own pass is a write would
  // otherwise wake itself for ever).
  bool CommitBatch(const std::vector<PendingWrite*>& batch);
  void RollbackIfOpen();
  bool InMemory() const;
  // A read-only connection from the pool (opened if none is idle), and back.
  struct Reader {
    std::unique_ptr<SQLite::Database> db;
    StatementCache statements;  // destroyed before its connection
  };
  absl::StatusOr<std::unique_ptr<Reader>> TakeReader();
  void ReturnReader(std::unique_ptr<Reader> reader);

  const std::string path_;
  std::mutex mu_;  // the writer connection
  std::unique_ptr<SQLite::Database> db_;
  StatementCache writer_statements_;  // db_'s; destroyed before it
  sql::CommitListeners commit_listeners_;

  std::mutex queue_mu_;  // writes waiting, and whether a thread is committing them
  std::deque<PendingWrite*> queue_;
  bool committing_ = false;
  WriteCounts counts_;

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Reader>> idle_readers_;

  // CommitGeneration's: its own connection (opened on first use) on a file,
  // the count of commits that changed rows in memory (changed under mu_).
  std::mutex generation_mu_;
  std::unique_ptr<SQLite::Database> generation_db_;
  std::unique_ptr<SQLite::Statement> data_version_;
  uint64_t generation_epoch_ = 0;  // times generation_db_ was opened
  std::atomic<uint64_t> memory_commits_{0};
};

// Runs `fn` on `db`, turning exceptions into statuses (SQLite's by their
// code, others INTERNAL).
absl::Status GuardedCall(SQLite::Database& db,
                         const std::function<absl::Status(SQLite::Database&)>& fn);

// Runs `fn` inside a SAVEPOINT of the caller's open transaction: if it fails,
// only its own changes are undone (bulk imports keep the good rows).
absl::Status WithSavepoint(SQLite::Database& tx,
                           const std::function<absl::Status()>& fn);

// Maps a SQLite error to a status: constraint violations become
// ALREADY_EXISTS or FAILED_PRECONDITION, a busy database UNAVAILABLE.
absl::Status SqliteErrorToStatus(const SQLite::Exception& e);

}  // namespace uplift

// Transactions on PostgreSQL for a service: a bounded pool of connections,
// Write and Read as Database (common/sqlite_db.h) offers them, on the
// store interface. Writes run SERIALIZABLE (as SQLite's one writer does:
// a store's read-check-write holds), and a write that loses to a
// concurrent one, or whose connection is lost, runs again on another
// connection; so `fn` may run more than once and must not act outside its
// transaction. A write is never applied twice: each commits a receipt of
// its own, and when the connection is lost during COMMIT the receipt tells
// whether it committed.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/sql/commit_listeners.h"
#include "common/sql/migration.h"
#include "common/sql/postgres_connection.h"
#include "common/sql/store.h"

namespace uplift::sql {

struct PostgresDatabaseOptions {
  PostgresOptions connection;
  int pool_size = 8;                             // connections at most
  absl::Duration pool_wait = absl::Seconds(10);  // for a free connection
  int attempts = 10;  // a failing write's runs (at least, for conflicts: below)
  // A write that keeps losing serialization conflicts runs again past
  // `attempts` until this long after its first run: under a burst of
  // writers with close keys (page-level predicate locks) one in four runs
  // can conflict, and ten losses in a row happened on a loaded machine.
  absl::Duration conflict_patience = absl::Seconds(10);
  // Test seams: called on the write's connection before and after its
  // COMMIT (a test stops the connection there).
  std::function<void(PostgresConnection&)> before_commit;
  std::function<void(PostgresConnection&)> after_commit;
  // TESTS ONLY: every Write runs its function once more before the real
  // run, in a transaction rolled back, as a serialization conflict makes
  // it do. A function that adds to what it captured (not setting it
  // afresh) shows up as doubled results. (A Read never runs its function
  // twice: it retries only a connection lost before the function ran.)
  bool rehearse = false;
};

class PostgresDatabase : public Store {
 public:
  // Connects (an unreachable server fails here, UNAVAILABLE), makes the
  // receipts and schema_migrations tables if missing, and applies the
  // pending migrations of every set (common/sql/migration.h), each in its
  // own transaction, in PostgreSQL's DDL (sql::DdlFor). Replicas starting
  // together apply each migration once: they take turns on an advisory
  // lock. A database newer than the binary is refused.
  static absl::StatusOr<std::unique_ptr<PostgresDatabase>> Open(
      const PostgresDatabaseOptions& options, const std::vector<MigrationSet>& sets = {});

  // The highest applied migration of `component`, 0 if none.
  absl::StatusOr<int> SchemaVersion(const std::string& component);

  // Runs `fn` in a transaction committed before Write returns OK; any
  // other way out of `fn` undoes it. Statuses as Database::Write's, and
  // UNAVAILABLE when no connection is free within pool_wait or the server
  // stays away for every attempt.
  Engine engine() const override { return Engine::kPostgres; }
  absl::Status Write(const std::function<absl::Status(Connection&)>& fn) override;
  // Runs `fn` in one read-only snapshot; again on a new connection if the
  // connection is lost.
  absl::Status Read(const std::function<absl::Status(Connection&)>& fn) override;
  // Listeners hear this process's commits at once, and every other
  // replica's through LISTEN/NOTIFY: each write sends NOTIFY uplift_commit
  // with its commit, and a thread of this database (started with the first
  // listener) listens on a connection of its own, reconnecting when it is
  // lost.
  int AddCommitListener(std::function<void()> listener) override;
  void RemoveCommitListener(int id) override { commit_listeners_.Remove(id); }
  std::optional<PoolUse> pool_use() override;
  // `table` must be a plain identifier (checked: a bad one is ignored and
  // logged).
  void QueueWritesOn(const std::string& table) override;
  ~PostgresDatabase() override;

  // Transactions committed since Open.
  int64_t Commits();
  // Writes whose COMMIT lost its connection and was found by its receipt.
  int64_t CommitsFoundByReceipt();
  // Runs of writes ended by a serialization conflict (and run again).
  int64_t Conflicts();

 private:
  explicit PostgresDatabase(PostgresDatabaseOptions options);
  // A connection of the pool (a new one if none is idle and the pool is
  // not full), waiting up to pool_wait; back with Return (nullptr: one
  // dropped).
  // *pool_full tells a full pool from a server that could not be reached.
  absl::StatusOr<std::unique_ptr<PostgresConnection>> Take(bool* pool_full);
  void Return(std::unique_ptr<PostgresConnection> connection);
  // One run of a write; sets *retry when another run may succeed.
  // The `rehearse` run of a write: `fn` in a transaction rolled back.
  void Rehearse(const std::function<absl::Status(Connection&)>& fn);
  // BEGIN of a write (and QueueWritesOn's lock, in the same round trip).
  void BeginWrite(PostgresConnection& c);
  absl::Status TryWrite(const std::function<absl::Status(Connection&)>& fn,
                        const std::string& receipt, bool* retry, bool* wrote);
  // Creates the runner's own tables, then applies `sets` holding the
  // migration lock on `c` (outside any transaction, so each migration's
  // snapshot starts after the lock is held).
  absl::Status Prepare(PostgresConnection& c, const std::vector<MigrationSet>& sets);
  absl::Status Migrate(const MigrationSet& set);
  // Whether `receipt` committed, asked on a fresh connection.
  absl::StatusOr<bool> ReceiptCommitted(const std::string& receipt);

  const PostgresDatabaseOptions options_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
  int open_ = 0;  // connections out of the pool or idle in it
  int64_t commits_ = 0;
  int64_t found_by_receipt_ = 0;
  int64_t conflicts_ = 0;
  std::string begin_write_ = "BEGIN ISOLATION LEVEL SERIALIZABLE";  // + QueueWritesOn's lock
  CommitListeners commit_listeners_;
  // The LISTEN thread: wakes the listeners on other replicas' commits. A
  // commit's NOTIFY carries `instance_`, so this process's own commits,
  // whose listeners Write already woke, do not wake them a second time.
  void ListenForCommits();
  const std::string instance_;
  std::mutex listen_mu_;
  std::condition_variable listen_stop_cv_;
  bool listen_stop_ = false;
  std::thread listener_;
};

}  // namespace uplift::sql

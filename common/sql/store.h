// A service's database on either engine, as code on the store interface
// uses it: Write and Read hand it a sql::Connection inside a transaction.
// OpenStore picks the engine from the database URL (`--database-url`):
//   sqlite:<path>                         the embedded default (Database:
//                                         group commit, reader pool)
//   postgresql://user:pw@host:port/db     PostgresDatabase (pool, retries,
//                                         commit receipts)
// Both apply the service's migrations when opened.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/sql/connection.h"
#include "common/sql/migration.h"

namespace uplift {
class Database;
}

namespace uplift::sql {

class Store {
 public:
  virtual ~Store() = default;
  virtual Engine engine() const = 0;
  // Committed before OK; undone on any other way out of `fn`. On
  // PostgreSQL `fn` runs again after a serialization conflict, so it must
  // set what it hands out afresh on each run (clear a vector it fills,
  // count into a local and assign), never add to what an earlier run left;
  // and it must not act outside the database (send, publish). The tests
  // run every PostgreSQL write twice to keep this so (`rehearse`).
  virtual absl::Status Write(const std::function<absl::Status(Connection&)>& fn) = 0;
  // One consistent snapshot.
  virtual absl::Status Read(const std::function<absl::Status(Connection&)>& fn) = 0;
  // A number that differs from every earlier answer once anything has
  // committed to the database since, from any connection of any process,
  // known without a round trip; nullopt where the engine cannot tell so
  // (PostgreSQL) or cannot now. Taken before a Read, the same number
  // afterwards means nothing that Read saw has changed: a cache of what
  // Reads returned is current while it holds.
  virtual std::optional<uint64_t> CommitGeneration() { return std::nullopt; }
  // For a store whose writes nearly all update one row (a counter): they
  // would fail each other's serialization over and over on PostgreSQL.
  // After this, every write first takes
  // `table`'s EXCLUSIVE lock, before its snapshot, so writes queue instead;
  // reads are not held up. SQLite's writes queue anyway.
  virtual void QueueWritesOn(const std::string& table) {}
  // Called after every commit of this process's writes (outside any lock of
  // the store); e.g. to wake the outbox relay. Listeners must be quick and
  // must not add or remove listeners. Returns an id for
  // RemoveCommitListener, after which the listener is not running and is
  // not called again.
  virtual int AddCommitListener(std::function<void()> listener) = 0;
  virtual void RemoveCommitListener(int id) = 0;
  // The connection pool, for metrics; none on an engine without one.
  struct PoolUse {
    int size;    // connections at most
    int open;    // in use or idle
    int in_use;  // taken by a transaction now
  };
  virtual std::optional<PoolUse> pool_use() { return std::nullopt; }
};

// The SQLite engine's store: a Database, whose own Write/Read (on
// SQLite::Database) the code not yet moved keeps using.
class SqliteStore : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Database> db);
  ~SqliteStore() override;
  Engine engine() const override { return Engine::kSqlite; }
  absl::Status Write(const std::function<absl::Status(Connection&)>& fn) override;
  absl::Status Read(const std::function<absl::Status(Connection&)>& fn) override;
  std::optional<uint64_t> CommitGeneration() override;
  int AddCommitListener(std::function<void()> listener) override;
  void RemoveCommitListener(int id) override;
  Database& database() { return *db_; }

 private:
  std::unique_ptr<Database> db_;
};

struct OpenStoreOptions {
  // TESTS ONLY (PostgreSQL): each transaction's function runs twice, the
  // first run undone (PostgresDatabaseOptions::rehearse).
  bool rehearse_transactions = false;
};

// INVALID_ARGUMENT naming --database-url for a URL of neither engine.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url,
                                                 const std::vector<MigrationSet>& sets,
                                                 const OpenStoreOptions& options = {});

}  // namespace uplift::sql

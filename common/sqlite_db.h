// The embedded store: one SQLite file per service in WAL mode, versioned
// migrations applied at start, and transactions that return absl::Status.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace uplift {

struct Migration {
  int version;       // 1, 2, 3... in order; never renumber a shipped one
  std::string name;  // what it does
  std::string sql;   // one or more statements
};

// Migrations of one component ("common", "registry", ...), tracked apart so
// the shared tables and a service's tables evolve independently.
struct MigrationSet {
  std::string component;
  std::vector<Migration> migrations;
};

class Database {
 public:
  // Opens (creating if needed) `path` and applies the pending migrations of
  // every set, each in its own transaction. A database newer than this
  // binary is refused. ":memory:" gives a private in-memory database.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path, const std::vector<MigrationSet>& sets);

  // Runs `fn` in one IMMEDIATE transaction: committed if it returns OK,
  // rolled back on any other way out (an error, an exception of any type, a
  // failed commit). Exceptions become statuses: SQLite's by their code,
  // others INTERNAL.
  absl::Status Write(const std::function<absl::Status(SQLite::Database&)>& fn);
  // Runs `fn` with the connection, outside a write transaction.
  absl::Status Read(const std::function<absl::Status(SQLite::Database&)>& fn);

  // Called after every committed Write (outside the lock); e.g. to wake the
  // outbox relay.
  void AddCommitListener(std::function<void()> listener);

  // Replaces this database's whole content with `source`'s (SQLite's online
  // backup). Fuzz targets start every input from one seeded database.
  absl::Status RestoreFrom(Database& source);

  // The highest applied migration of `component`, 0 if none.
  absl::StatusOr<int> SchemaVersion(const std::string& component);

 private:
  explicit Database(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
  absl::Status Migrate(const MigrationSet& set);
  absl::Status Guarded(const std::function<absl::Status(SQLite::Database&)>& fn);
  void RollbackIfOpen();

  std::mutex mu_;
  std::unique_ptr<SQLite::Database> db_;
  std::vector<std::function<void()>> commit_listeners_;
};

// Runs `fn` inside a SAVEPOINT of the caller's open transaction: if it fails,
// only its own changes are undone (bulk imports keep the good rows).
absl::Status WithSavepoint(SQLite::Database& tx,
                           const std::function<absl::Status()>& fn);

// Maps a SQLite error to a status: constraint violations become
// ALREADY_EXISTS or FAILED_PRECONDITION, a busy database UNAVAILABLE.
absl::Status SqliteErrorToStatus(const SQLite::Exception& e);

}  // namespace uplift

// SQLite connection, migrations and transactions.
#include "common/sqlite_db.h"

#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace uplift {

absl::Status SqliteErrorToStatus(const SQLite::Exception& e) {
  const int extended = e.getExtendedErrorCode();
  switch (e.getErrorCode()) {
    case SQLITE_CONSTRAINT:
      if (extended == SQLITE_CONSTRAINT_UNIQUE ||
          extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(absl::StrCat("already exists: ", e.what()));
      }
      return absl::FailedPreconditionError(
          absl::StrCat("constraint violated: ", e.what()));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(absl::StrCat("database busy: ", e.what()));
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return absl::UnavailableError(absl::StrCat("database I/O: ", e.what()));
    default:
      return absl::InternalError(absl::StrCat("database: ", e.what()));
  }
}

absl::Status WithSavepoint(SQLite::Database& tx, const std::function<absl::Status()>& fn) {
  tx.exec("SAVEPOINT row");
  absl::Status status;
  try {
    status = fn();
  } catch (const SQLite::Exception& e) {
    status = SqliteErrorToStatus(e);
  } catch (const std::exception& e) {
    status = absl::InternalError(absl::StrCat("unexpected exception: ", e.what()));
  }
  if (!status.ok()) tx.exec("ROLLBACK TO row");
  tx.exec("RELEASE row");
  return status;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path, const std::vector<MigrationSet>& sets) {
  std::unique_ptr<Database> database;
  try {
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->setBusyTimeout(5000);
    if (path != ":memory:") db->exec("PRAGMA journal_mode=WAL");
    // FULL: a commit survives power loss, not only a process crash.
    db->exec("PRAGMA synchronous=FULL");
    db->exec("PRAGMA foreign_keys=ON");
    db->exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
        " PRIMARY KEY (component, version))");
    database.reset(new Database(std::move(db)));
  } catch (const SQLite::Exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot open database ", path, ": ", e.what()));
  }
  for (const MigrationSet& set : sets) RETURN_IF_ERROR(database->Migrate(set));
  return database;
}

absl::Status Database::Migrate(const MigrationSet& set) {
  ASSIGN_OR_RETURN(const int current, SchemaVersion(set.component));
  const int known = set.migrations.empty() ? 0 : set.migrations.back().version;
  if (current > known) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database schema of ", set.component, " is at version ", current,
        ", newer than this binary knows (", known, "); run a newer release"));
  }
  int expected = 1;
  for (const Migration& m : set.migrations) {
    if (m.version != expected++) {
      return absl::InternalError(absl::StrCat("migrations of ", set.component,
                                              " are not numbered 1, 2, 3..."));
    }
    if (m.version <= current) continue;
    RETURN_IF_ERROR(Write([&](SQLite::Database& db) {
      db.exec(m.sql);
      SQLite::Statement insert(
          db, "INSERT INTO schema_migrations(component, version, name) VALUES(?,?,?)");
      insert.bind(1, set.component);
      insert.bind(2, m.version);
      insert.bind(3, m.name);
      insert.exec();
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Database::SchemaVersion(const std::string& component) {
  int version = 0;
  RETURN_IF_ERROR(Read([&](SQLite::Database& db) {
    SQLite::Statement q(
        db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component=?");
    q.bind(1, component);
    if (q.executeStep()) version = q.getColumn(0).getInt();
    return absl::OkStatus();
  }));
  return version;
}

absl::Status Database::Guarded(
    const std::function<absl::Status(SQLite::Database&)>& fn) {
  try {
    return fn(*db_);
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("unexpected exception: ", e.what()));
  } catch (...) {
    return absl::InternalError("unexpected exception of an unknown type");
  }
}

void Database::RollbackIfOpen() {
  try {
    if (db_->getHandle() != nullptr && sqlite3_get_autocommit(db_->getHandle()) == 0) {
      db_->exec("ROLLBACK");
    }
  } catch (...) {
    // The transaction is already gone; nothing to undo.
  }
}

absl::Status Database::Write(
    const std::function<absl::Status(SQLite::Database&)>& fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Every way out of here but a COMMIT rolls back: a failed status, an
    // exception of any type, a failed COMMIT. The write lock is never left
    // held for the next caller (or the next replica).
    struct RollbackUnlessCommitted {
      Database* db;
      bool committed = false;
      ~RollbackUnlessCommitted() {
        if (!committed) db->RollbackIfOpen();
      }
    } guard{this};
    absl::Status status = Guarded([](SQLite::Database& db) {
      db.exec("BEGIN IMMEDIATE");
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    status = Guarded(fn);
    if (!status.ok()) return status;
    status = Guarded([](SQLite::Database& db) {
      db.exec("COMMIT");
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    guard.committed = true;
  }
  for (const auto& listener : commit_listeners_) listener();
  return absl::OkStatus();
}

absl::Status Database::Read(
    const std::function<absl::Status(SQLite::Database&)>& fn) {
  std::lock_guard<std::mutex> lock(mu_);
  return Guarded(fn);
}

absl::Status Database::RestoreFrom(Database& source) {
  std::scoped_lock lock(mu_, source.mu_);
  try {
    SQLite::Backup backup(*db_, *source.db_);
    backup.executeStep();  // all pages at once
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e);
  }
  return absl::OkStatus();
}

void Database::AddCommitListener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(mu_);
  commit_listeners_.push_back(std::move(listener));
}

}  // namespace uplift

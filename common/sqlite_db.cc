// SQLite connection, migrations and transactions.
#include "common/sqlite_db.h"

#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>

#include <algorithm>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/sql/sqlite_connection.h"
#include "common/sql/transaction.h"
#include "common/status_macros.h"

namespace uplift {

absl::Status SqliteErrorToStatus(const SQLite::Exception& e) {
  return sql::ErrorToStatus(sql::FromSqlite(e));
}

absl::Status WithSavepoint(SQLite::Database& tx, const std::function<absl::Status()>& fn) {
  sql::SqliteConnection connection(tx);
  return sql::WithSavepoint(connection, fn);
}

namespace {

// Settings every connection of a file database gets, the writer's and the
// readers'. Savepoints' sub-journals and sorts stay in memory: on disk, each
// write of a group commit (one savepoint each) copied every page it touched
// to a temp file, two pwrites a page, a fifth of the escalation path's
// throughput. The WAL is checkpointed every 10,000 pages (about 40 MB)
// instead of 1,000: hot pages (the outbox's, the indexes') are copied back
// once per checkpoint however often they changed, so fewer copies. A memory
// map was measured too and was slower (remaps as the file grows).
void TuneConnection(SQLite::Database& db) {
  db.exec("PRAGMA temp_store=MEMORY");
  db.exec("PRAGMA wal_autocheckpoint=10000");
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path, const std::vector<MigrationSet>& sets) {
  std::unique_ptr<Database> database;
  try {
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->setBusyTimeout(5000);
    if (path != ":memory:") db->exec("PRAGMA journal_mode=WAL");
    TuneConnection(*db);
    // FULL: a commit survives power loss, not only a process crash.
    db->exec("PRAGMA synchronous=FULL");
    db->exec("PRAGMA foreign_keys=ON");
    db->exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
        " PRIMARY KEY (component, version))");
    database.reset(new Database(path, std::move(db)));
  } catch (const SQLite::Exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot open database ", path, ": ", e.what()));
  }
  for (const MigrationSet& set : sets) RETURN_IF_ERROR(database->Migrate(set));
  return database;
}

bool Database::InMemory() const { return path_.empty() || path_ == ":memory:"; }

absl::Status Database::Migrate(const MigrationSet& set) {
  ASSIGN_OR_RETURN(const int current, SchemaVersion(set.component));
  RETURN_IF_ERROR(CheckMigrations(set, current));
  for (const Migration& m : set.migrations) {
    if (m.version <= current) continue;
    RETURN_IF_ERROR(Write([&](SQLite::Database& db) {
      db.exec(m.sql);
      if (m.fill) {
        sql::SqliteConnection c(db);
        RETURN_IF_ERROR(m.fill(c));
      }
      CachedStatement insert(
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
    CachedStatement q(db,
                      "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component=?");
    q.bind(1, component);
    if (q.executeStep()) version = q.getColumn(0).getInt();
    return absl::OkStatus();
  }));
  return version;
}

absl::Status GuardedCall(SQLite::Database& db,
                         const std::function<absl::Status(SQLite::Database&)>& fn) {
  try {
    return fn(db);
  } catch (...) {
    return sql::StatusOfCurrentException();
  }
}

namespace {

// One statement without rows, prepared once per connection.
absl::Status Exec(SQLite::Database& db, const char* sql) {
  return GuardedCall(db, [sql](SQLite::Database& c) {
    CachedStatement(c, sql).exec();
    return absl::OkStatus();
  });
}

bool InTransaction(SQLite::Database& db) {
  return db.getHandle() != nullptr && sqlite3_get_autocommit(db.getHandle()) == 0;
}

}  // namespace

void Database::RollbackIfOpen() {
  try {
    if (InTransaction(*db_)) db_->exec("ROLLBACK");
  } catch (...) {
    // The transaction is already gone; nothing to undo.
  }
}

absl::Status Database::Write(
    const std::function<absl::Status(SQLite::Database&)>& fn) {
  PendingWrite me;
  me.fn = &fn;
  std::unique_lock<std::mutex> lock(queue_mu_);
  queue_.push_back(&me);
  if (committing_) {
    // Another thread commits: wait until it committed this write, or made
    // this thread the committer of the writes left waiting.
    me.wake.wait(lock, [&] { return me.done || me.commits; });
    if (me.done) return me.status;
  } else {
    committing_ = true;
  }
  CommitUntilDone(me, lock);
  return me.status;
}

void Database::CommitUntilDone(PendingWrite& me, std::unique_lock<std::mutex>& lock) {
  // Writes arriving while a batch commits wait for the next one.
  while (!me.done) {
    std::vector<PendingWrite*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    if (CommitBatch(batch) &&
        std::any_of(batch.begin(), batch.end(), [](PendingWrite* w) { return w->status.ok(); })) {
      commit_listeners_.Notify();
    }
    lock.lock();
    ++counts_.batches;
    counts_.writes += static_cast<int64_t>(batch.size());
    for (PendingWrite* w : batch) {
      // Woken under the lock: the waiter returns (and its PendingWrite
      // goes) only after this thread lets go of it.
      w->done = true;
      if (w != &me) w->wake.notify_one();
    }
  }
  if (queue_.empty()) {
    committing_ = false;
  } else {
    queue_.front()->commits = true;
    queue_.front()->wake.notify_one();
  }
}

bool Database::CommitBatch(const std::vector<PendingWrite*>& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  UseStatementCache statements(*db_, writer_statements_);
  // Every way out of here but a COMMIT rolls back: the write lock is never
  // left held for the next batch (or the next replica).
  struct RollbackUnlessCommitted {
    Database* db;
    bool committed = false;
    ~RollbackUnlessCommitted() {
      if (!committed) db->RollbackIfOpen();
    }
  } guard{this};
  auto fail_all = [&](const absl::Status& cause, const char* what) {
    for (PendingWrite* w : batch) {
      if (w->status.ok())
        w->status = absl::Status(cause.code(), absl::StrCat(what, cause.message()));
    }
    return false;
  };
  const int64_t changes_before = db_->getTotalChanges();
  if (absl::Status begun = Exec(*db_, "BEGIN IMMEDIATE"); !begun.ok()) {
    return fail_all(begun, "");
  }
  for (PendingWrite* w : batch) {
    if (absl::Status s = Exec(*db_, "SAVEPOINT batched_write"); !s.ok()) {
      return fail_all(s, "not committed: ");
    }
    w->status = GuardedCall(*db_, *w->fn);
    if (!InTransaction(*db_)) {
      // SQLite ended the whole transaction on this write's error (disk full,
      // I/O): the writes before it in the batch are undone too.
      const absl::Status cause =
          w->status.ok() ? absl::UnavailableError("the transaction ended early") : w->status;
      return fail_all(cause, "not committed: a write batched with this one failed: ");
    }
    absl::Status closed =
        w->status.ok() ? absl::OkStatus() : Exec(*db_, "ROLLBACK TO batched_write");
    if (closed.ok()) closed = Exec(*db_, "RELEASE batched_write");
    if (!closed.ok()) return fail_all(closed, "not committed: ");
  }
  if (absl::Status committed = Exec(*db_, "COMMIT"); !committed.ok()) {
    return fail_all(committed, "not committed: ");
  }
  guard.committed = true;
  const bool changed = db_->getTotalChanges() != changes_before;
  if (changed) ++memory_commits_;  // before mu_ lets an in-memory reader see it
  return changed;
}

Database::WriteCounts Database::Counts() {
  std::lock_guard<std::mutex> lock(queue_mu_);
  return counts_;
}

size_t Database::QueuedWrites() {
  std::lock_guard<std::mutex> lock(queue_mu_);
  return queue_.size();
}

absl::Status Database::Read(
    const std::function<absl::Status(SQLite::Database&)>& fn) {
  if (InMemory()) {
    std::lock_guard<std::mutex> lock(mu_);
    UseStatementCache statements(*db_, writer_statements_);
    return GuardedCall(*db_, fn);
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Reader> reader, TakeReader());
  absl::Status status;
  {
    UseStatementCache statements(*reader->db, reader->statements);
    status = GuardedCall(*reader->db, [&](SQLite::Database& db) {
      CachedStatement(db, "BEGIN").exec();  // one snapshot for every statement of `fn`
      return fn(db);
    });
    if (InTransaction(*reader->db)) {
      absl::Status ended = Exec(*reader->db, "COMMIT");
      if (!ended.ok()) return status.ok() ? ended : status;  // the connection is dropped
    }
  }
  ReturnReader(std::move(reader));
  return status;
}

absl::StatusOr<uint64_t> Database::CommitGeneration() {
  if (InMemory()) return memory_commits_.load();
  std::lock_guard<std::mutex> lock(generation_mu_);
  try {
    if (!data_version_) {
      // No busy wait: it may run on gRPC's polling threads, and its callers
      // read the database instead when it cannot answer at once.
      auto db = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READONLY);
      data_version_ = std::make_unique<SQLite::Statement>(*db, "PRAGMA data_version");
      generation_db_ = std::move(db);
      ++generation_epoch_;
    }
    if (!data_version_->executeStep()) return absl::InternalError("PRAGMA data_version: no row");
    // A counter of this connection's (32 bits in SQLite): the epoch keeps
    // a reopened connection's numbers from repeating the last one's.
    const uint64_t generation =
        (generation_epoch_ << 32) | static_cast<uint32_t>(data_version_->getColumn(0).getInt64());
    data_version_->reset();  // ends its read transaction: no snapshot is held between calls
    return generation;
  } catch (const SQLite::Exception& e) {
    data_version_.reset();  // opened again on the next call
    generation_db_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot read the commit generation of ", path_, ": ", e.what()));
  }
}

absl::StatusOr<std::unique_ptr<Database::Reader>> Database::TakeReader() {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Reader> reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  try {
    auto reader = std::make_unique<Reader>();
    reader->db = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READWRITE);
    reader->db->setBusyTimeout(5000);
    reader->db->exec("PRAGMA query_only=ON");
    TuneConnection(*reader->db);
    return reader;
  } catch (const SQLite::Exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot open a reader of ", path_, ": ", e.what()));
  }
}

void Database::ReturnReader(std::unique_ptr<Reader> reader) {
  constexpr size_t kMaxIdleReaders = 8;
  std::lock_guard<std::mutex> lock(readers_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
}

absl::Status Database::RestoreFrom(Database& source) {
  std::scoped_lock lock(mu_, source.mu_);
  try {
    SQLite::Backup backup(*db_, *source.db_);
    backup.executeStep();  // all pages at once
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e);
  }
  ++memory_commits_;
  return absl::OkStatus();
}

int Database::AddCommitListener(std::function<void()> listener) {
  return commit_listeners_.Add(std::move(listener));
}

void Database::RemoveCommitListener(int id) { commit_listeners_.Remove(id); }

}  // namespace uplift

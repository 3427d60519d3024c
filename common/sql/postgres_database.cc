// PostgresDatabase: the pool, the write and read runners, commit receipts.
#include "common/sql/postgres_database.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/sql/dialect.h"
#include "common/sql/query.h"

namespace uplift::sql {
namespace {

constexpr int kTrimReceiptsEvery = 1000;  // commits
// The advisory lock replicas take turns on to migrate ("uplift-m").
constexpr int64_t kMigrationLock = 0x75706c6966742d6d;

void Backoff(int attempt) {
  thread_local std::mt19937 random(std::random_device{}());
  const int ceiling_ms = std::min(200, 5 << std::min(attempt, 6));  // no shift past int
  std::this_thread::sleep_for(
      std::chrono::milliseconds(std::uniform_int_distribution<int>(1, ceiling_ms)(random)));
}

bool WorthAnotherRun(const Error& e) {
  return e.kind() == ErrorKind::kConflict || e.kind() == ErrorKind::kUnavailable;
}

// Runs `fn`; sql::Error passes through (the runner decides on it), any
// other exception becomes INTERNAL.
absl::Status RunGuarded(const std::function<absl::Status(Connection&)>& fn, Connection& c) {
  try {
    return fn(c);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("unexpected exception: ", e.what()));
  } catch (...) {
    return absl::InternalError("unexpected exception");
  }
}

// Ends the open transaction after a failure, if the connection still can.
void RollbackQuietly(PostgresConnection& c) {
  if (!c.Healthy()) return;
  try {
    c.ExecScript("ROLLBACK");
  } catch (const Error&) {
    // The connection went with it; returning it to the pool drops it.
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(
    const PostgresDatabaseOptions& options, const std::vector<MigrationSet>& sets) {
  if (options.pool_size < 1 || options.attempts < 1) {
    return absl::InvalidArgumentError("postgresql: pool_size and attempts must be at least 1");
  }
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(options));
  // A connection of its own, outside the pool: it holds the migration lock
  // while the migrations run on the pool's (a pool of one would wait on
  // itself).
  std::unique_ptr<PostgresConnection> c;
  try {
    c = PostgresConnection::Open(options.connection);
  } catch (const Error& e) {
    return ErrorToStatus(e);
  }
  const absl::Status prepared = db->Prepare(*c, sets);
  if (!prepared.ok()) return prepared;
  return db;
}

PostgresDatabase::PostgresDatabase(PostgresDatabaseOptions options)
    : options_(std::move(options)), instance_(RandomHex(16)) {}

PostgresDatabase::~PostgresDatabase() {
  {
    std::lock_guard<std::mutex> lock(listen_mu_);
    listen_stop_ = true;
  }
  listen_stop_cv_.notify_all();
  if (listener_.joinable()) listener_.join();
}

int PostgresDatabase::AddCommitListener(std::function<void()> listener) {
  const int id = commit_listeners_.Add(std::move(listener));
  std::lock_guard<std::mutex> lock(listen_mu_);
  if (!listener_.joinable() && !listen_stop_)
    listener_ = std::thread([this] { ListenForCommits(); });
  return id;
}

void PostgresDatabase::ListenForCommits() {
  auto stopping = [this](absl::Duration wait) {
    std::unique_lock<std::mutex> lock(listen_mu_);
    return listen_stop_cv_.wait_for(lock, absl::ToChronoMilliseconds(wait),
                                    [this] { return listen_stop_; });
  };
  while (!stopping(absl::ZeroDuration())) {
    std::unique_ptr<PostgresConnection> c;
    try {
      c = PostgresConnection::Open(options_.connection);
      c->ExecScript("LISTEN uplift_commit");
      // Commits missed while not listening: wake the listeners once.
      commit_listeners_.Notify();
      while (!stopping(absl::ZeroDuration())) {
        if (c->WaitForNotifications(absl::Milliseconds(250), instance_) > 0) {
          commit_listeners_.Notify();
        }
      }
    } catch (const Error&) {
      // The server went away: listen again once it is back; meanwhile the
      // listeners' owners poll as they would anyway.
      if (stopping(absl::Seconds(1))) return;
    }
  }
}

// Called last in every write transaction: when it changed something (an
// xid was assigned), stores the transaction's receipt and notifies the
// other replicas; returns 1 then, else 0.
constexpr const char* kMarkCommitFunction =
    "CREATE OR REPLACE FUNCTION uplift_mark_commit(p_receipt TEXT, p_instance TEXT) RETURNS INTEGER"
    " LANGUAGE plpgsql AS $$ BEGIN"
    " IF txid_current_if_assigned() IS NULL THEN RETURN 0; END IF;"
    " INSERT INTO uplift_commit_receipts (receipt) VALUES (p_receipt);"
    " PERFORM pg_notify('uplift_commit', p_instance);"
    " RETURN 1; END $$";

absl::Status PostgresDatabase::Prepare(PostgresConnection& c,
                                       const std::vector<MigrationSet>& sets) {
  try {
    // Replicas take turns from here on: none races another's CREATE.
    Query(c, "SELECT pg_advisory_lock(?)").Bind(1, kMigrationLock).Step();
    for (const char* ddl : {"CREATE TABLE IF NOT EXISTS uplift_commit_receipts ("
                            " receipt TEXT PRIMARY KEY,"
                            " committed_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                            kMarkCommitFunction,
                            "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " component TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL,"
                            " applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                            " PRIMARY KEY (component, version))",
                            PostgresCompatibilityFunctions()}) {
      c.ExecScript(ddl);
    }
  } catch (const Error& e) {
    return ErrorToStatus(e);
  }
  absl::Status status;
  for (const MigrationSet& set : sets) {
    status = Migrate(set);
    if (!status.ok()) break;
  }
  try {
    Query(c, "SELECT pg_advisory_unlock(?)").Bind(1, kMigrationLock).Step();
  } catch (const Error&) {
    // A lost connection released its lock with it.
  }
  return status;
}

absl::Status PostgresDatabase::Migrate(const MigrationSet& set) {
  absl::StatusOr<int> current = SchemaVersion(set.component);
  if (!current.ok()) return current.status();
  if (absl::Status checked = CheckMigrations(set, *current); !checked.ok()) return checked;
  for (const Migration& m : set.migrations) {
    if (m.version <= *current) continue;
    absl::Status applied = Write([&](Connection& c) {
      c.ExecScript(DdlFor(Engine::kPostgres, m.sql));
      if (m.fill) {
        if (absl::Status filled = m.fill(c); !filled.ok()) return filled;
      }
      Query insert(c, "INSERT INTO schema_migrations (component, version, name) VALUES (?, ?, ?)");
      insert.Bind(1, set.component).Bind(2, m.version).Bind(3, m.name).Exec();
      return absl::OkStatus();
    });
    if (!applied.ok()) {
      return absl::Status(applied.code(),
                          absl::StrCat("migration ", m.version, " of ", set.component, " (", m.name,
                                       "): ", applied.message()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> PostgresDatabase::SchemaVersion(const std::string& component) {
  int version = 0;
  absl::Status read = Read([&](Connection& c) {
    Query q(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?");
    q.Bind(1, component);
    if (q.Step()) version = q.Int(0);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return version;
}

absl::StatusOr<std::unique_ptr<PostgresConnection>> PostgresDatabase::Take(bool* pool_full) {
  *pool_full = false;
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(absl::ToInt64Milliseconds(options_.pool_wait));
  while (true) {
    if (!idle_.empty()) {
      std::unique_ptr<PostgresConnection> c = std::move(idle_.back());
      idle_.pop_back();
      if (c->Healthy()) return c;
      --open_;  // lost while idle: dropped
      continue;
    }
    if (open_ < options_.pool_size) {
      ++open_;
      lock.unlock();
      try {
        return PostgresConnection::Open(options_.connection);
      } catch (const Error& e) {
        Return(nullptr);
        return ErrorToStatus(e);
      }
    }
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.pool_size) {
      *pool_full = true;
      return absl::UnavailableError(absl::StrCat("postgresql: no connection of ",
                                                 options_.pool_size, " free within ",
                                                 absl::FormatDuration(options_.pool_wait)));
    }
  }
}

void PostgresDatabase::Return(std::unique_ptr<PostgresConnection> connection) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (connection != nullptr && connection->Healthy()) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  returned_.notify_one();
}

void PostgresDatabase::Rehearse(const std::function<absl::Status(Connection&)>& fn) {
  bool pool_full = false;
  absl::StatusOr<std::unique_ptr<PostgresConnection>> taken = Take(&pool_full);
  if (!taken.ok()) return;  // the real run meets the same and answers for it
  std::unique_ptr<PostgresConnection> c = std::move(*taken);
  try {
    BeginWrite(*c);
    RunGuarded(fn, *c).IgnoreError();
  } catch (const Error&) {
  }
  RollbackQuietly(*c);
  Return(std::move(c));
}

void PostgresDatabase::QueueWritesOn(const std::string& table) {
  const bool plain = !table.empty() && std::all_of(table.begin(), table.end(), [](char ch) {
    return absl::ascii_isalnum(static_cast<unsigned char>(ch)) || ch == '_';
  });
  if (!plain) {
    spdlog::error("QueueWritesOn: \"{}\" is not a plain table name; writes do not queue", table);
    return;
  }
  // LOCK TABLE is not a query: the SERIALIZABLE snapshot is taken by the
  // write's first statement after it, when the writes ahead have committed.
  std::lock_guard<std::mutex> lock(mu_);
  begin_write_ = "BEGIN ISOLATION LEVEL SERIALIZABLE; LOCK TABLE " + table + " IN EXCLUSIVE MODE";
}

void PostgresDatabase::BeginWrite(PostgresConnection& c) {
  std::string begin;
  {
    std::lock_guard<std::mutex> lock(mu_);
    begin = begin_write_;
  }
  c.ExecScript(begin);
}

absl::Status PostgresDatabase::Write(const std::function<absl::Status(Connection&)>& fn) {
  if (options_.rehearse) Rehearse(fn);
  const std::string receipt = RandomHex(16);
  absl::Status status;
  bool wrote = false;
  const absl::Time first_run = absl::Now();
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0) Backoff(attempt);
    bool retry = false;
    status = TryWrite(fn, receipt, &retry, &wrote);
    if (!retry) break;
    const bool conflict = status.code() == absl::StatusCode::kAborted;
    if (conflict) {
      std::lock_guard<std::mutex> lock(mu_);
      ++conflicts_;
    }
    if (attempt + 1 < options_.attempts) continue;
    if (!conflict || absl::Now() - first_run >= options_.conflict_patience) {
      spdlog::warn("postgresql: a write gave up after {} runs: {}", attempt + 1,
                   std::string(status.message()));
      break;
    }
  }
  // A transaction that changed nothing wakes nobody (a listener whose own
  // pass is such a write would otherwise wake itself for ever).
  if (status.ok() && wrote) commit_listeners_.Notify();
  return status;
}

absl::Status PostgresDatabase::TryWrite(const std::function<absl::Status(Connection&)>& fn,
                                        const std::string& receipt, bool* retry, bool* wrote) {
  bool pool_full = false;
  absl::StatusOr<std::unique_ptr<PostgresConnection>> taken = Take(&pool_full);
  if (!taken.ok()) {
    // A server that refused or was not there may be back for the next run;
    // a full pool is the caller's answer at once.
    *retry = !pool_full;
    return taken.status();
  }
  std::unique_ptr<PostgresConnection> c = std::move(*taken);
  try {
    BeginWrite(*c);
    const absl::Status status = RunGuarded(fn, *c);
    if (!status.ok()) {
      RollbackQuietly(*c);  // `fn`'s answer stands, even if the connection went meanwhile
      Return(std::move(c));
      return status;
    }
    // If `fn` changed anything: the receipt, and the NOTIFY that wakes other
    // replicas' listeners (this one's ignore it), in one round trip.
    Query mark(*c, "SELECT uplift_mark_commit(?, ?)");
    mark.Bind(1, receipt).Bind(2, instance_);
    *wrote = mark.Step() && mark.Int64(0) == 1;
    if (options_.before_commit) options_.before_commit(*c);
  } catch (const Error& e) {
    RollbackQuietly(*c);
    Return(std::move(c));
    *retry = WorthAnotherRun(e);
    return ErrorToStatus(e);
  }
  try {
    c->ExecScript("COMMIT");
    if (options_.after_commit) options_.after_commit(*c);
  } catch (const Error& e) {
    Return(std::move(c));
    if (e.kind() != ErrorKind::kUnavailable) {
      *retry = e.kind() == ErrorKind::kConflict;  // a serialization failure at commit
      return ErrorToStatus(e);
    }
    // The connection was lost during COMMIT. A transaction that changed
    // nothing has nothing to lose; else it may have committed, and its
    // receipt, read on another connection, says which.
    if (!*wrote) return absl::OkStatus();
    absl::StatusOr<bool> committed = ReceiptCommitted(receipt);
    if (!committed.ok()) return committed.status();
    if (!*committed) {
      *retry = true;
      return ErrorToStatus(e);
    }
    std::lock_guard<std::mutex> lock(mu_);
    ++found_by_receipt_;
    ++commits_;
    return absl::OkStatus();
  }
  bool trim = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    trim = ++commits_ % kTrimReceiptsEvery == 0;
  }
  if (trim) {
    // A receipt matters for the seconds after its commit; an hour is ample.
    try {
      c->ExecScript(
          "DELETE FROM uplift_commit_receipts WHERE committed_at < now() - interval '1 hour'");
    } catch (const Error&) {
      // Best effort: the next thousandth commit tries again.
    }
  }
  Return(std::move(c));
  return absl::OkStatus();
}

absl::StatusOr<bool> PostgresDatabase::ReceiptCommitted(const std::string& receipt) {
  absl::Status last;
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    if (attempt > 0) Backoff(attempt);
    bool pool_full = false;
    absl::StatusOr<std::unique_ptr<PostgresConnection>> c = Take(&pool_full);
    if (!c.ok()) {
      last = c.status();
      continue;
    }
    try {
      Query q(**c, "SELECT 1 FROM uplift_commit_receipts WHERE receipt = ?");
      q.Bind(1, receipt);
      const bool found = q.Step();
      Return(std::move(*c));
      return found;
    } catch (const Error& e) {
      Return(std::move(*c));
      last = ErrorToStatus(e);
    }
  }
  return absl::UnavailableError(
      absl::StrCat("postgresql: a commit's outcome is unknown (its connection was lost and the "
                   "server could not be asked): ",
                   last.message()));
}

absl::Status PostgresDatabase::Read(const std::function<absl::Status(Connection&)>& fn) {
  absl::Status status;
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    if (attempt > 0) Backoff(attempt);
    bool pool_full = false;
    absl::StatusOr<std::unique_ptr<PostgresConnection>> taken = Take(&pool_full);
    if (!taken.ok()) return taken.status();
    std::unique_ptr<PostgresConnection> c = std::move(*taken);
    bool ran = false;
    try {
      c->ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      ran = true;
      status = RunGuarded(fn, *c);
      c->ExecScript("COMMIT");
      Return(std::move(c));
      return status;
    } catch (const Error& e) {
      RollbackQuietly(*c);
      Return(std::move(c));
      status = ErrorToStatus(e);
      // Only a connection lost before `fn` ran is tried again (a pooled
      // one the server dropped): `fn` may have filled in its answer
      // partly, and a read is not retried after that.
      if (e.kind() != ErrorKind::kUnavailable || ran) return status;
    }
  }
  return status;
}

int64_t PostgresDatabase::Commits() {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

int64_t PostgresDatabase::Conflicts() {
  std::lock_guard<std::mutex> lock(mu_);
  return conflicts_;
}

int64_t PostgresDatabase::CommitsFoundByReceipt() {
  std::lock_guard<std::mutex> lock(mu_);
  return found_by_receipt_;
}

std::optional<Store::PoolUse> PostgresDatabase::pool_use() {
  std::lock_guard<std::mutex> lock(mu_);
  const int idle = static_cast<int>(idle_.size());
  return PoolUse{options_.pool_size, open_, open_ - idle};
}

}  // namespace uplift::sql

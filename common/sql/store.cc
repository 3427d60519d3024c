// SqliteStore and OpenStore.
#include "common/sql/store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sql/postgres_database.h"
#include "common/sql/sqlite_connection.h"
#include "common/sqlite_db.h"
#include "common/validation.h"

namespace uplift::sql {

SqliteStore::SqliteStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
SqliteStore::~SqliteStore() = default;

absl::Status SqliteStore::Write(const std::function<absl::Status(Connection&)>& fn) {
  return db_->Write([&](SQLite::Database& tx) {
    SqliteConnection c(tx);
    return fn(c);
  });
}

absl::Status SqliteStore::Read(const std::function<absl::Status(Connection&)>& fn) {
  return db_->Read([&](SQLite::Database& tx) {
    SqliteConnection c(tx);
    return fn(c);
  });
}

std::optional<uint64_t> SqliteStore::CommitGeneration() {
  absl::StatusOr<uint64_t> generation = db_->CommitGeneration();
  if (!generation.ok()) return std::nullopt;  // the caller reads the database instead
  return *generation;
}

int SqliteStore::AddCommitListener(std::function<void()> listener) {
  return db_->AddCommitListener(std::move(listener));
}

void SqliteStore::RemoveCommitListener(int id) { db_->RemoveCommitListener(id); }

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url,
                                                 const std::vector<MigrationSet>& sets,
                                                 const OpenStoreOptions& store_options) {
  if (absl::StartsWith(url, "sqlite:") && url.size() > 7) {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(url.substr(7), sets);
    if (!db.ok()) return db.status();
    return std::make_unique<SqliteStore>(std::move(*db));
  }
  if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    PostgresDatabaseOptions options;
    options.connection.url = url;
    options.rehearse = store_options.rehearse_transactions;
    absl::StatusOr<std::unique_ptr<PostgresDatabase>> db = PostgresDatabase::Open(options, sets);
    if (!db.ok()) return db.status();
    return std::unique_ptr<Store>(std::move(*db));
  }
  // The URL may hold a password: only its scheme is told.
  return absl::InvalidArgumentError(
      absl::StrCat("--database-url: ", QuoteInput(url.substr(0, url.find(':'))),
                   " is neither sqlite:<path> nor postgresql://user:password@host:port/database"));
}

}  // namespace uplift::sql

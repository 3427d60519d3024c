// The per-connection statement cache and the thread's current connection.
#include "common/statement_cache.h"

namespace uplift {
namespace {

// The connection this thread was given, and its cache.
struct CurrentConnection {
  const SQLite::Database* db = nullptr;
  StatementCache* cache = nullptr;
};
thread_local CurrentConnection current;

}  // namespace

StatementCache* CurrentStatementCache(const SQLite::Database& db) {
  return current.db == &db ? current.cache : nullptr;
}

SQLite::Statement StatementCache::Take(SQLite::Database& db, const std::string& sql) {
  auto it = idle_.find(sql);
  if (it == idle_.end() || it->second.empty()) return SQLite::Statement(db, sql);
  SQLite::Statement statement = std::move(it->second.back());
  it->second.pop_back();
  --size_;
  return statement;
}

void StatementCache::Put(SQLite::Statement statement) {
  if (size_ >= kMaxIdle) {
    idle_.clear();
    size_ = 0;
  }
  // The SQL is copied only the first time it is kept, not on every return.
  auto it = idle_.find(statement.getQuery());
  if (it == idle_.end()) it = idle_.try_emplace(statement.getQuery()).first;
  it->second.push_back(std::move(statement));
  ++size_;
}

void StatementCache::Recycle(SQLite::Statement statement) noexcept {
  try {
    statement.tryReset();  // an error of the last step is the caller's, already seen
    statement.clearBindings();
    Put(std::move(statement));
  } catch (...) {
    // Not kept: finalized here.
  }
}

UseStatementCache::UseStatementCache(const SQLite::Database& db, StatementCache& cache)
    : previous_db_(current.db), previous_cache_(current.cache) {
  current = {&db, &cache};
}

UseStatementCache::~UseStatementCache() { current = {previous_db_, previous_cache_}; }

CachedStatement::CachedStatement(SQLite::Database& db, const std::string& sql)
    : CachedStatement(CurrentStatementCache(db), db, sql) {}

CachedStatement::CachedStatement(StatementCache* cache, SQLite::Database& db,
                                 const std::string& sql)
    : SQLite::Statement(cache != nullptr ? cache->Take(db, sql) : SQLite::Statement(db, sql)),
      cache_(cache) {}

CachedStatement::~CachedStatement() {
  if (cache_ != nullptr) cache_->Recycle(std::move(static_cast<SQLite::Statement&>(*this)));
}

}  // namespace uplift

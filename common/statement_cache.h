// Prepared statements kept per connection. Preparing a statement (parsing
// and planning its SQL) was a sixth of the CPU of a write; a connection of
// Database keeps what it prepared and hands it out again, reset and
// unbound, to the next CachedStatement of the same SQL on it.
//
// A CachedStatement is a SQLite::Statement (every helper taking one takes
// it). It uses the cache of the connection the current thread was given by
// Database::Write or Database::Read; on any other connection it prepares
// afresh, as a plain Statement does. A Column must not outlive its
// statement (the statement is reused).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

namespace uplift {

class StatementCache {
 public:
  // An idle statement of `sql`, or one prepared now on `db`.
  SQLite::Statement Take(SQLite::Database& db, const std::string& sql);
  // Keeps `statement` (reset, unbound) for the next Take of its SQL.
  void Put(SQLite::Statement statement);
  // Resets and unbinds `statement` and keeps it; one that cannot be reset
  // is dropped (finalized).
  void Recycle(SQLite::Statement statement) noexcept;

 private:
  static constexpr size_t kMaxIdle = 512;  // dynamic SQL cannot grow it for ever
  std::unordered_map<std::string, std::vector<SQLite::Statement>> idle_;
  size_t size_ = 0;
};

// While it lives, CachedStatements on `db` in this thread use `cache`.
class UseStatementCache {
 public:
  UseStatementCache(const SQLite::Database& db, StatementCache& cache);
  ~UseStatementCache();
  UseStatementCache(const UseStatementCache&) = delete;
  UseStatementCache& operator=(const UseStatementCache&) = delete;

 private:
  const SQLite::Database* previous_db_;
  StatementCache* previous_cache_;
};

// The cache the current thread uses for statements on `db`, if any.
StatementCache* CurrentStatementCache(const SQLite::Database& db);

class CachedStatement : public SQLite::Statement {
 public:
  CachedStatement(SQLite::Database& db, const std::string& sql);
  ~CachedStatement();
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

 private:
  CachedStatement(StatementCache* cache, SQLite::Database& db, const std::string& sql);
  StatementCache* const cache_;
};

}  // namespace uplift

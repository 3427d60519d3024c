// The SQLite engine of the store interface: a Connection over a
// SQLite::Database that Database (common/sqlite_db.h) opened, its prepared
// statements kept in that connection's StatementCache. SQLite's errors are
// rethrown as sql::Error.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/sql/connection.h"
#include "common/sql/sql_error.h"
#include "common/statement_cache.h"

namespace uplift::sql {

class SqliteConnection : public Connection {
 public:
  // Over a connection Database handed this thread (Write, Read), with its
  // statement cache: code still written against SQLite::Database calls
  // code already written against this interface through it.
  explicit SqliteConnection(SQLite::Database& db)
      : SqliteConnection(db, CurrentStatementCache(db)) {}
  // `db` (and `cache`, if any) outlive this object; without a cache every
  // Prepare parses the SQL afresh.
  SqliteConnection(SQLite::Database& db, StatementCache* cache) : db_(db), cache_(cache) {}

  Engine engine() const override { return Engine::kSqlite; }
  std::unique_ptr<Statement> Prepare(const std::string& sql) override;
  void ExecScript(const std::string& sql) override;

 private:
  SQLite::Database& db_;
  StatementCache* cache_;
};

// The kind of a SQLite failure, with its message and extended code.
Error FromSqlite(const SQLite::Exception& e);

}  // namespace uplift::sql

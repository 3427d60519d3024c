// The store interface both engines implement (SQLite, PostgreSQL): a
// connection prepares statements written with `?` placeholders and runs
// them; a statement binds parameters, runs, and steps through its rows.
// Stores use Query (query.h), which wraps a Statement; the engines live in
// sqlite_connection.h and postgres_connection.h. Every failure is thrown as
// sql::Error (sql_error.h), sorted by kind.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace uplift::sql {

enum class Engine { kSqlite, kPostgres };
const char* EngineName(Engine engine);

// One prepared statement in use: parameters (1-based) are bound, the first
// Step runs it, and columns (0-based) are read while a row is current.
class Statement {
 public:
  virtual ~Statement() = default;
  virtual void BindInt64(int index, int64_t value) = 0;
  virtual void BindDouble(int index, double value) = 0;
  virtual void BindText(int index, std::string_view text) = 0;  // UTF-8
  virtual void BindBlob(int index, std::string_view bytes) = 0;
  virtual void BindNull(int index) = 0;
  // Runs the statement on the first call; moves to the next row on later
  // ones. False when there is no (further) row.
  virtual bool Step() = 0;
  // Makes the statement ready to run again; its parameters stay bound.
  virtual void Reset() = 0;
  // Rows the statement inserted, updated or deleted (after it ran).
  virtual int64_t Changes() = 0;
  virtual int ColumnCount() = 0;
  virtual bool IsNull(int column) = 0;
  virtual int64_t Int64(int column) = 0;  // 0 for NULL
  virtual double Double(int column) = 0;
  virtual std::string Text(int column) = 0;  // "" for NULL
  virtual std::string Blob(int column) = 0;  // the bytes; "" for NULL
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Engine engine() const = 0;
  // A statement of `sql` ready to bind (prepared once per connection and
  // kept: a later Prepare of the same SQL reuses it).
  virtual std::unique_ptr<Statement> Prepare(const std::string& sql) = 0;
  // Runs one or more statements without parameters (migrations, BEGIN).
  virtual void ExecScript(const std::string& sql) = 0;
};

}  // namespace uplift::sql

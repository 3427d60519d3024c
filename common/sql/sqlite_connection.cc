// SqliteConnection: statements over SQLiteCpp, kept in the connection's
// StatementCache between uses.
#include "common/sql/sqlite_connection.h"

#include <sqlite3.h>

namespace uplift::sql {
namespace {

class SqliteStatement : public Statement {
 public:
  SqliteStatement(SQLite::Statement statement, StatementCache* cache)
      : statement_(std::move(statement)), cache_(cache) {}
  ~SqliteStatement() override {
    if (cache_ != nullptr) cache_->Recycle(std::move(statement_));
  }

  void BindInt64(int index, int64_t value) override {
    Guard([&] { statement_.bind(index, static_cast<int64_t>(value)); });
  }
  void BindDouble(int index, double value) override {
    Guard([&] { statement_.bind(index, value); });
  }
  void BindText(int index, std::string_view text) override {
    Guard([&] { statement_.bind(index, std::string(text)); });
  }
  void BindBlob(int index, std::string_view bytes) override {
    // A zero-length blob is still a blob, not NULL.
    static const char kEmpty = 0;
    Guard([&] {
      statement_.bind(index, bytes.empty() ? &kEmpty : bytes.data(),
                      static_cast<int>(bytes.size()));
    });
  }
  void BindNull(int index) override {
    Guard([&] { statement_.bind(index); });
  }
  bool Step() override {
    bool row = false;
    Guard([&] { row = statement_.executeStep(); });
    return row;
  }
  void Reset() override {
    Guard([&] { statement_.reset(); });
  }
  int64_t Changes() override { return statement_.getChanges(); }
  int ColumnCount() override { return statement_.getColumnCount(); }
  bool IsNull(int column) override { return Column(column).isNull(); }
  int64_t Int64(int column) override { return Column(column).getInt64(); }
  double Double(int column) override { return Column(column).getDouble(); }
  std::string Text(int column) override { return Column(column).getString(); }
  std::string Blob(int column) override {
    const SQLite::Column c = Column(column);
    return std::string(static_cast<const char*>(c.getBlob()), c.getBytes());
  }

 private:
  template <typename Fn>
  void Guard(Fn fn) {
    try {
      fn();
    } catch (const SQLite::Exception& e) {
      throw FromSqlite(e);
    }
  }
  SQLite::Column Column(int column) {
    try {
      return statement_.getColumn(column);
    } catch (const SQLite::Exception& e) {
      throw FromSqlite(e);
    }
  }

  SQLite::Statement statement_;
  StatementCache* const cache_;
};

}  // namespace

Error FromSqlite(const SQLite::Exception& e) {
  const int extended = e.getExtendedErrorCode();
  ErrorKind kind = ErrorKind::kOther;
  switch (e.getErrorCode()) {
    case SQLITE_CONSTRAINT:
      kind = extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY
                 ? ErrorKind::kDuplicate
                 : ErrorKind::kConstraint;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
      kind = ErrorKind::kUnavailable;
      break;
    case SQLITE_ERROR:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      kind = ErrorKind::kBadStatement;
      break;
    default:
      break;
  }
  return Error(kind, e.what(), std::to_string(extended));
}

std::unique_ptr<Statement> SqliteConnection::Prepare(const std::string& sql) {
  try {
    return std::make_unique<SqliteStatement>(
        cache_ != nullptr ? cache_->Take(db_, sql) : SQLite::Statement(db_, sql), cache_);
  } catch (const SQLite::Exception& e) {
    throw FromSqlite(e);
  }
}

void SqliteConnection::ExecScript(const std::string& sql) {
  try {
    db_.exec(sql);
  } catch (const SQLite::Exception& e) {
    throw FromSqlite(e);
  }
}

}  // namespace uplift::sql

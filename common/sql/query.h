// What stores write: one statement on a connection of either engine, with
// `?` placeholders (PostgreSQL's own are written for it), bound by
// position, run with Step (rows) or Exec (none), read by column.
//
//   sql::Query q(tx, "SELECT body FROM problems WHERE problem_id=?");
//   q.Bind(1, problem_id);
//   if (q.Step()) return ParseProblem(q.Blob(0));
//
// Text is UTF-8 (TEXT columns); serialized messages and other bytes go in
// BLOB columns with BindBlob / Blob (PostgreSQL's text holds no NUL byte).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/sql/connection.h"

namespace uplift::sql {

class Query {
 public:
  Query(Connection& connection, const std::string& sql);

  template <typename Integer, typename = std::enable_if_t<std::is_integral_v<Integer>>>
  Query& Bind(int index, Integer value) {
    statement_->BindInt64(index, static_cast<int64_t>(value));
    return *this;
  }
  Query& Bind(int index, double value);
  Query& Bind(int index, std::string_view text);
  Query& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Query& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Query& BindBlob(int index, std::string_view bytes);
  Query& BindNull(int index);

  // Runs the statement (first call) or moves on; false when no row is left.
  bool Step() { return statement_->Step(); }
  // Runs a statement that returns no rows; the rows it changed.
  int64_t Exec();
  // Ready to run again (a loop rebinding what changes); bindings stay.
  void Reset() { statement_->Reset(); }

  bool IsNull(int column) { return statement_->IsNull(column); }
  int64_t Int64(int column) { return statement_->Int64(column); }
  int Int(int column) { return static_cast<int>(statement_->Int64(column)); }
  double Double(int column) { return statement_->Double(column); }
  std::string Text(int column) { return statement_->Text(column); }
  std::string Blob(int column) { return statement_->Blob(column); }
  int ColumnCount() { return statement_->ColumnCount(); }

 private:
  std::unique_ptr<Statement> statement_;
};

// The first column of the first row of `sql` (0 or "" when there is none).
int64_t ScalarInt64(Connection& connection, const std::string& sql);
std::string ScalarText(Connection& connection, const std::string& sql);

}  // namespace uplift::sql

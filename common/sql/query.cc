// Query: the engine-neutral statement stores use.
#include "common/sql/query.h"

namespace uplift::sql {

const char* EngineName(Engine engine) {
  return engine == Engine::kPostgres ? "postgresql" : "sqlite";
}

Query::Query(Connection& connection, const std::string& sql)
    : statement_(connection.Prepare(sql)) {}

Query& Query::Bind(int index, double value) {
  statement_->BindDouble(index, value);
  return *this;
}

Query& Query::Bind(int index, std::string_view text) {
  statement_->BindText(index, text);
  return *this;
}

Query& Query::BindBlob(int index, std::string_view bytes) {
  statement_->BindBlob(index, bytes);
  return *this;
}

Query& Query::BindNull(int index) {
  statement_->BindNull(index);
  return *this;
}

int64_t Query::Exec() {
  while (statement_->Step()) {
  }
  return statement_->Changes();
}

int64_t ScalarInt64(Connection& connection, const std::string& sql) {
  Query q(connection, sql);
  return q.Step() ? q.Int64(0) : 0;
}

std::string ScalarText(Connection& connection, const std::string& sql) {
  Query q(connection, sql);
  return q.Step() ? q.Text(0) : "";
}

}  // namespace uplift::sql

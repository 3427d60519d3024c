// PostgresConnection: libpq's synchronous calls with prepared statements;
// a statement's whole result is fetched when it runs (stores read small
// results; pages are bounded by their page size).
#include "common/sql/postgres_connection.h"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sql/placeholders.h"

#include <poll.h>

namespace uplift::sql {
namespace {

constexpr Oid kByteaOid = 17;
constexpr Oid kTextOid = 25;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// bytea's text output ("\x" then two hex digits a byte, the server's
// default bytea_output) as bytes.
std::string DecodeBytea(const char* text, int length) {
  if (length < 2 || text[0] != '\\' || text[1] != 'x') return std::string(text, length);
  std::string bytes;
  bytes.reserve((length - 2) / 2);
  for (int i = 2; i + 1 < length; i += 2) {
    const int hi = HexValue(text[i]), lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) throw Error(ErrorKind::kOther, "bytea: not hex output");
    bytes += static_cast<char>(hi * 16 + lo);
  }
  return bytes;
}

class PostgresStatement : public Statement {
 public:
  PostgresStatement(PGconn* conn, std::string name, int parameters)
      : conn_(conn), name_(std::move(name)), values_(parameters), binary_(parameters, 0) {}
  ~PostgresStatement() override {
    if (result_ != nullptr) PQclear(result_);
  }

  void BindInt64(int index, int64_t value) override { Set(index, std::to_string(value), false); }
  void BindDouble(int index, double value) override {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    Set(index, text, false);
  }
  void BindText(int index, std::string_view text) override { Set(index, std::string(text), false); }
  void BindBlob(int index, std::string_view bytes) override {
    Set(index, std::string(bytes), true);
  }
  void BindNull(int index) override {
    Slot(index) = std::nullopt;
    binary_[index - 1] = 0;
  }

  bool Step() override {
    if (result_ == nullptr) {
      Run();
      row_ = 0;
    } else {
      ++row_;
    }
    return row_ < PQntuples(result_);
  }
  void Reset() override {
    if (result_ != nullptr) PQclear(result_);
    result_ = nullptr;
    row_ = 0;
  }
  int64_t Changes() override {
    if (result_ == nullptr) return 0;
    const char* tuples = PQcmdTuples(result_);
    return *tuples == '\0' ? 0 : std::strtoll(tuples, nullptr, 10);
  }
  int ColumnCount() override { return result_ == nullptr ? 0 : PQnfields(result_); }
  bool IsNull(int column) override { return PQgetisnull(result_, Row(), Checked(column)) != 0; }
  int64_t Int64(int column) override {
    const char* v = PQgetvalue(result_, Row(), Checked(column));
    if (*v == 't') return 1;  // a boolean column
    if (*v == 'f') return 0;
    return std::strtoll(v, nullptr, 10);
  }
  double Double(int column) override {
    return std::strtod(PQgetvalue(result_, Row(), Checked(column)), nullptr);
  }
  std::string Text(int column) override { return Bytes(column); }
  std::string Blob(int column) override { return Bytes(column); }

 private:
  std::optional<std::string>& Slot(int index) {
    if (index < 1 || index > static_cast<int>(values_.size())) {
      throw Error(ErrorKind::kBadStatement,
                  absl::StrCat("parameter ", index, " of ", values_.size(), " bound"));
    }
    return values_[index - 1];
  }
  void Set(int index, std::string value, bool binary) {
    Slot(index) = std::move(value);
    binary_[index - 1] = binary ? 1 : 0;
  }
  void Run() {
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) {
      values[i] = values_[i].has_value() ? values_[i]->data() : nullptr;
      lengths[i] = values_[i].has_value() ? static_cast<int>(values_[i]->size()) : 0;
    }
    result_ = PQexecPrepared(conn_, name_.c_str(), static_cast<int>(values.size()), values.data(),
                             lengths.data(), binary_.data(), /*resultFormat=*/0);
    const ExecStatusType status = PQresultStatus(result_);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      Error error = FromPostgres(result_, conn_);
      PQclear(result_);
      result_ = nullptr;
      throw error;
    }
  }
  int Row() const {
    if (result_ == nullptr || row_ >= PQntuples(result_)) {
      throw Error(ErrorKind::kBadStatement, "a column was read with no current row");
    }
    return row_;
  }
  int Checked(int column) const {
    if (column < 0 || column >= PQnfields(result_)) {
      throw Error(ErrorKind::kBadStatement, absl::StrCat("column ", column, " does not exist"));
    }
    return column;
  }
  std::string Bytes(int column) {
    const int row = Row();
    Checked(column);
    if (PQgetisnull(result_, row, column)) return "";
    const char* v = PQgetvalue(result_, row, column);
    const int length = PQgetlength(result_, row, column);
    return PQftype(result_, column) == kByteaOid ? DecodeBytea(v, length) : std::string(v, length);
  }

  PGconn* const conn_;
  const std::string name_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> binary_;
  PGresult* result_ = nullptr;
  int row_ = 0;
};

bool StartsWith(const char* sqlstate, const char* prefix) {
  return sqlstate != nullptr && absl::StartsWith(sqlstate, prefix);
}

}  // namespace

Error FromPostgres(const PGresult* result, const PGconn* conn) {
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  if (message.empty() && conn != nullptr) message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  ErrorKind kind = ErrorKind::kOther;
  if (StartsWith(sqlstate, "23505")) {
    kind = ErrorKind::kDuplicate;
  } else if (StartsWith(sqlstate, "23")) {
    kind = ErrorKind::kConstraint;
  } else if (StartsWith(sqlstate, "40001") || StartsWith(sqlstate, "40P01") ||
             StartsWith(sqlstate, "55P03")) {
    kind = ErrorKind::kConflict;
  } else if (StartsWith(sqlstate, "08") || StartsWith(sqlstate, "53") ||
             StartsWith(sqlstate, "57") || StartsWith(sqlstate, "58") ||
             (sqlstate == nullptr && conn != nullptr && PQstatus(conn) != CONNECTION_OK)) {
    kind = ErrorKind::kUnavailable;  // lost, shut down, out of resources, cancelled by timeout
  } else if (StartsWith(sqlstate, "42") || StartsWith(sqlstate, "22") ||
             StartsWith(sqlstate, "07")) {
    kind = ErrorKind::kBadStatement;
  }
  return Error(kind, message, sqlstate != nullptr ? sqlstate : "");
}

std::unique_ptr<PostgresConnection> PostgresConnection::Open(const PostgresOptions& options) {
  const std::string connect_timeout =
      std::to_string(std::max<int64_t>(1, absl::ToInt64Seconds(options.connect_timeout)));
  const std::string server_options =
      absl::StrCat("-c statement_timeout=", absl::ToInt64Milliseconds(options.statement_timeout),
                   " -c client_encoding=UTF8");
  const std::string user_timeout =
      std::to_string(absl::ToInt64Milliseconds(options.statement_timeout + absl::Seconds(10)));
  // dbname first: it is expanded from the URL, and the keywords after it
  // add to what the URL says.
  const char* keywords[] = {"dbname",
                            "connect_timeout",
                            "options",
                            "application_name",
                            "keepalives",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "tcp_user_timeout",
                            nullptr};
  const char* values[] = {options.url.c_str(),
                          connect_timeout.c_str(),
                          server_options.c_str(),
                          options.application_name.c_str(),
                          "1",
                          "10",
                          "5",
                          "3",
                          user_timeout.c_str(),
                          nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) throw Error(ErrorKind::kUnavailable, "postgresql: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = PQerrorMessage(conn);
    PQfinish(conn);
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    throw Error(ErrorKind::kUnavailable, "postgresql: cannot connect: " + reason);
  }
  return std::unique_ptr<PostgresConnection>(new PostgresConnection(conn));
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

bool PostgresConnection::Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

int PostgresConnection::BackendPid() const { return PQbackendPID(conn_); }

int PostgresConnection::WaitForNotifications(absl::Duration timeout, const std::string& ignored) {
  auto take = [this, &ignored] {
    int n = 0;
    while (PGnotify* notify = PQnotifies(conn_)) {
      if (ignored.empty() || ignored != notify->extra) ++n;
      PQfreemem(notify);
    }
    return n;
  };
  if (const int n = take(); n > 0) return n;
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  if (fd.fd < 0) throw Error(ErrorKind::kUnavailable, "postgresql: the connection is closed");
  const int ready = ::poll(&fd, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (ready < 0) return 0;  // interrupted: the caller waits again
  if (ready > 0 && PQconsumeInput(conn_) == 0) {
    throw Error(ErrorKind::kUnavailable,
                std::string("postgresql: the connection was lost: ") + PQerrorMessage(conn_));
  }
  return take();
}

std::unique_ptr<Statement> PostgresConnection::Prepare(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    if (prepared_.size() >= kMaxPrepared) {
      ExecScript("DEALLOCATE ALL");
      prepared_.clear();
    }
    const NumberedSql numbered = NumberPlaceholders(sql);
    Prepared prepared{absl::StrCat("u", next_name_++), numbered.parameters};
    // A parameter the SQL skips is declared text (PostgreSQL cannot infer
    // it); the others are inferred from their use.
    std::vector<Oid> types(numbered.parameters, 0);
    for (int n = 0; n < numbered.parameters; ++n) {
      if (!numbered.used[n]) types[n] = kTextOid;
    }
    PGresult* result = PQprepare(conn_, prepared.name.c_str(), numbered.sql.c_str(),
                                 numbered.parameters, types.data());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      Error error = FromPostgres(result, conn_);
      PQclear(result);
      throw error;
    }
    PQclear(result);
    it = prepared_.emplace(sql, std::move(prepared)).first;
  }
  return std::make_unique<PostgresStatement>(conn_, it->second.name, it->second.parameters);
}

void PostgresConnection::ExecScript(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = FromPostgres(result, conn_);
    PQclear(result);
    throw error;
  }
  PQclear(result);
}

}  // namespace uplift::sql

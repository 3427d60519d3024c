// The PostgreSQL engine of the store interface, over libpq: one server
// connection, its statements prepared once (named, server side) and kept,
// parameters sent apart from the SQL (blobs in binary), results read as
// text. Every wait is bounded: connecting by `connect_timeout`, each
// statement by the server's `statement_timeout`, a dead peer by TCP
// keepalives and `tcp_user_timeout`.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "absl/time/time.h"
#include "common/sql/connection.h"
#include "common/sql/sql_error.h"

struct pg_conn;
struct pg_result;

namespace uplift::sql {

struct PostgresOptions {
  // postgresql://user:password@host:port/database[?param=value...]
  std::string url;
  absl::Duration connect_timeout = absl::Seconds(10);
  absl::Duration statement_timeout = absl::Seconds(30);
  std::string application_name = "uplift";
};

class PostgresConnection : public Connection {
 public:
  // Connects; throws sql::Error (kUnavailable) when the server cannot be
  // reached or refuses, with libpq's reason (the password never in it).
  static std::unique_ptr<PostgresConnection> Open(const PostgresOptions& options);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Engine engine() const override { return Engine::kPostgres; }
  std::unique_ptr<Statement> Prepare(const std::string& sql) override;
  void ExecScript(const std::string& sql) override;

  // False once the connection to the server is lost (it is then dropped,
  // not repaired: a pool opens a new one).
  bool Healthy() const;
  // The server's process serving this connection (tests stop it).
  int BackendPid() const;
  // After LISTEN: waits up to `timeout` for notifications and returns how
  // many arrived whose payload is not `ignored` (0 on timeout or when only
  // ignored ones came). Throws sql::Error (kUnavailable) when the
  // connection is lost.
  int WaitForNotifications(absl::Duration timeout, const std::string& ignored = "");

 private:
  explicit PostgresConnection(pg_conn* conn) : conn_(conn) {}
  struct Prepared {
    std::string name;
    int parameters = 0;
  };
  static constexpr size_t kMaxPrepared = 512;  // dynamic SQL cannot grow it for ever

  pg_conn* conn_;
  std::unordered_map<std::string, Prepared> prepared_;
  int next_name_ = 0;
};

// The kind of a failed result (by SQLSTATE), or of a lost connection.
Error FromPostgres(const pg_result* result, const pg_conn* conn);

}  // namespace uplift::sql

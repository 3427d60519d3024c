// A real PostgreSQL server for tests, as RedisServer is redis-server:
// Debian's binaries, `initdb` in a fresh temporary directory (owned by an
// unprivileged user when the tests run as root: PostgreSQL refuses root),
// password authentication (scram-sha-256) on 127.0.0.1 and a free port.
#pragma once

#include <memory>
#include <string>

#include "tests/support/test_env.h"

namespace uplift::testing {

class PostgresServer {
 public:
  PostgresServer();   // initdb; the server is not started yet
  ~PostgresServer();  // stops it and removes its directory
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  void Start();  // waits until it accepts connections
  void Stop();   // a fast shutdown (clients disconnected, nothing lost)
  int port() const { return port_; }
  // postgresql://uplift:<password>@127.0.0.1:<port>/<database>
  std::string Url(const std::string& database = "postgres") const;
  // A new, empty database named `name` (a test's own).
  void CreateDatabase(const std::string& name);
  std::string Log() const;

  // The directory of Debian's PostgreSQL binaries (the newest installed).
  static std::string BinDir();

 private:
  std::string dir_;
  std::string password_;
  int port_;
  std::unique_ptr<Process> process_;
};

// One started server for the tests of this process (initdb takes a second
// or two), stopped and removed when the process exits; each test makes a
// database of its own (NewDatabaseUrl).
PostgresServer& SharedPostgresServer();
// A new database on the shared server, and its URL.
std::string NewDatabaseUrl();

}  // namespace uplift::testing

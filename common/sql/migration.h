// Versioned schema migrations, the same for both engines: written in
// SQLite's DDL (sql::DdlFor gives PostgreSQL's), numbered 1, 2, 3... per
// component, applied in order at start, each in its own transaction, and
// recorded in schema_migrations; a database newer than the binary is
// refused. Database (SQLite) and PostgresDatabase apply them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace uplift {
namespace sql {
class Connection;
}

struct Migration {
  int version;       // 1, 2, 3... in order; never renumber a shipped one
  std::string name;  // what it does
  std::string sql;   // one or more statements
  // Run after `sql` in the same transaction, for what SQL cannot derive
  // (rows of a new table filled from the serialized bodies); optional.
  std::function<absl::Status(sql::Connection&)> fill = nullptr;
};

// Migrations of one component ("common", "registry", ...), tracked apart so
// the shared tables and a service's tables evolve independently.
struct MigrationSet {
  std::string component;
  std::vector<Migration> migrations;
};

// Whether `set` may be applied to a database at version `current` of its
// component: numbered 1, 2, 3... and not older than the database.
absl::Status CheckMigrations(const MigrationSet& set, int current);

}  // namespace uplift

// Where the engines' SQL differs, in one place. Migrations are written in
// SQLite's DDL (as they shipped); DdlFor gives PostgreSQL's: INTEGER is
// BIGINT (SQLite's integers are 64-bit: epoch milliseconds fit), BLOB is
// BYTEA, REAL is DOUBLE PRECISION, `INTEGER PRIMARY KEY AUTOINCREMENT` an
// identity column, and `WITHOUT ROWID` (a SQLite storage choice) goes.
// Quoted text and comments are left alone. Statements stores run are
// written to mean the same on both engines (docs/architecture.md lists
// what to avoid); they need no rewriting beyond their placeholders.
#pragma once

#include <string>
#include <string_view>

#include "common/sql/connection.h"

namespace uplift::sql {

std::string DdlFor(Engine engine, std::string_view sqlite_ddl);

}  // namespace uplift::sql

// Where the engines' SQL differs, in one place. Migrations are written in
// SQLite's DDL (as they shipped); DdlFor gives PostgreSQL's: INTEGER is
// BIGINT (SQLite's integers are 64-bit: epoch milliseconds fit), BLOB is
// BYTEA, REAL is DOUBLE PRECISION, `INTEGER PRIMARY KEY AUTOINCREMENT` an
// identity column, and `WITHOUT ROWID` (a SQLite storage choice) goes;
// every other table gets SQLite's implicit rowid as an identity column
// named rowid, so a store may order by insertion on both engines.
// Quoted text and comments are left alone. Statements stores run are
// written to mean the same on both engines (docs/architecture.md lists
// what to avoid); they need no rewriting beyond their placeholders.
#pragma once

#include <string>
#include <string_view>

#include "common/sql/connection.h"

namespace uplift::sql {

std::string DdlFor(Engine engine, std::string_view sqlite_ddl);

// An insert that replaces the row with the same `key` (SQLite's INSERT OR
// REPLACE, written as both engines read it): INSERT INTO table (columns)
// VALUES (?, ...) ON CONFLICT (key) DO UPDATE SET <the other columns>.
// `columns` is a comma-separated list; parameters bind in its order.
std::string UpsertSql(std::string_view table, std::string_view columns, std::string_view key);

// SQLite's scalar functions that stores use and PostgreSQL lacks, as SQL
// functions made in each PostgreSQL database (instr).
const char* PostgresCompatibilityFunctions();

}  // namespace uplift::sql

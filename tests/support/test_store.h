// A store for a test on either engine, so one test body runs on both
// (TEST_P over EveryEngine()): SQLite in the test's directory, or a fresh
// database on the process's shared PostgreSQL server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/sql/store.h"

namespace uplift::testing {

// Opens (migrating) a store; fails the test if it cannot.
std::unique_ptr<sql::Store> OpenTestStore(sql::Engine engine, const std::string& sqlite_path,
                                          const std::vector<MigrationSet>& sets);

// The same; SQLite in memory.
std::unique_ptr<sql::Store> OpenTestStore(sql::Engine engine,
                                          const std::vector<MigrationSet>& sets);

// The engines a parametrised test runs on, and their names in test names
// (".../sqlite", ".../postgres").
inline auto EveryEngine() {
  return ::testing::Values(sql::Engine::kSqlite, sql::Engine::kPostgres);
}
std::string EngineTestName(const ::testing::TestParamInfo<sql::Engine>& info);

// The engine the integration suite runs its services on this time:
// UPLIFT_TEST_ENGINE=postgresql or (unset) sqlite.
sql::Engine TestEngine();

// The SQLite Database under `store` (tests that reach below the interface:
// backups, raw file access); null on PostgreSQL.
Database* SqliteDatabaseOf(sql::Store& store);

}  // namespace uplift::testing

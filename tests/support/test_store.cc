// OpenTestStore and the engine parameter's names.
#include "tests/support/test_store.h"

#include <cstdlib>

#include "common/sql/connection.h"
#include "tests/support/postgres_server.h"

namespace uplift::testing {

std::unique_ptr<sql::Store> OpenTestStore(sql::Engine engine, const std::string& sqlite_path,
                                          const std::vector<MigrationSet>& sets) {
  const std::string url =
      engine == sql::Engine::kSqlite ? "sqlite:" + sqlite_path : NewDatabaseUrl();
  // On PostgreSQL every transaction runs twice, as a conflict makes it do.
  absl::StatusOr<std::unique_ptr<sql::Store>> store =
      sql::OpenStore(url, sets, {.rehearse_transactions = true});
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

std::unique_ptr<sql::Store> OpenTestStore(sql::Engine engine,
                                          const std::vector<MigrationSet>& sets) {
  return OpenTestStore(engine, ":memory:", sets);
}

std::string EngineTestName(const ::testing::TestParamInfo<sql::Engine>& info) {
  return sql::EngineName(info.param);
}

sql::Engine TestEngine() {
  const char* engine = std::getenv("UPLIFT_TEST_ENGINE");
  return engine != nullptr && std::string(engine) == "postgresql" ? sql::Engine::kPostgres
                                                                  : sql::Engine::kSqlite;
}

Database* SqliteDatabaseOf(sql::Store& store) {
  auto* sqlite = dynamic_cast<sql::SqliteStore*>(&store);
  return sqlite == nullptr ? nullptr : &sqlite->database();
}

}  // namespace uplift::testing

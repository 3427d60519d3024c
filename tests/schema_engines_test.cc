// Every migration set of the suite, as each service opens its database
// (the shared tables, then its own), applies on PostgreSQL through
// sql::DdlFor and gives the same tables and columns as on SQLite; opened a
// second time, it applies nothing.
#include <gtest/gtest.h>

#include <set>

#include "common/common_schema.h"
#include "common/sql/postgres_database.h"
#include "common/sql/query.h"
#include "common/sql/sqlite_connection.h"
#include "common/sqlite_db.h"
#include "services/indicators/indicators_schema.h"
#include "services/notify/notify_schema.h"
#include "services/registry/registry_schema.h"
#include "services/tasks/tasks_schema.h"
#include "services/web/accounts_schema.h"
#include "tests/support/postgres_server.h"

namespace uplift {
namespace {

using Columns = std::set<std::pair<std::string, std::string>>;  // (table, column)

struct ServiceSchema {
  const char* service;
  MigrationSet (*migrations)();
};

class SchemaEnginesTest : public ::testing::TestWithParam<ServiceSchema> {
 protected:
  std::vector<MigrationSet> Sets() const { return {CommonMigrations(), GetParam().migrations()}; }
};

Columns SqliteColumns(const std::vector<MigrationSet>& sets) {
  Columns columns;
  auto db = Database::Open(":memory:", sets);
  EXPECT_TRUE(db.ok()) << db.status();
  EXPECT_TRUE((*db)
                  ->Read([&](SQLite::Database& tx) {
                    sql::SqliteConnection c(tx);
                    sql::Query q(c,
                                 "SELECT m.name, p.name FROM sqlite_master m, "
                                 "pragma_table_info(m.name) p WHERE m.type = 'table' "
                                 "AND m.name NOT LIKE 'sqlite_%'");
                    while (q.Step()) columns.insert({q.Text(0), q.Text(1)});
                    return absl::OkStatus();
                  })
                  .ok());
  return columns;
}

Columns PostgresColumns(sql::PostgresDatabase& db) {
  Columns columns;
  EXPECT_TRUE(db.Read([&](sql::Connection& c) {
                  sql::Query q(c,
                               "SELECT table_name, column_name FROM information_schema.columns "
                               "WHERE table_schema = 'public' "
                               "AND table_name <> 'uplift_commit_receipts' "
                               "AND column_name <> 'rowid'");  // SQLite's is implicit
                  while (q.Step()) columns.insert({q.Text(0), q.Text(1)});
                  return absl::OkStatus();
                }).ok());
  return columns;
}

TEST_P(SchemaEnginesTest, AppliesOnPostgresWithTheSameTablesAsOnSqlite) {
  sql::PostgresDatabaseOptions options;
  options.connection.url = testing::NewDatabaseUrl();
  auto db = sql::PostgresDatabase::Open(options, Sets());
  ASSERT_TRUE(db.ok()) << db.status();
  const Columns on_postgres = PostgresColumns(**db);
  EXPECT_EQ(on_postgres, SqliteColumns(Sets()));
  EXPECT_GT(on_postgres.size(), 20u);
  for (const MigrationSet& set : Sets()) {
    EXPECT_EQ(*(*db)->SchemaVersion(set.component), set.migrations.back().version) << set.component;
  }
  auto again = sql::PostgresDatabase::Open(options, Sets());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(PostgresColumns(**again), on_postgres);
}

INSTANTIATE_TEST_SUITE_P(Services, SchemaEnginesTest,
                         ::testing::Values(ServiceSchema{"registry", registry::RegistryMigrations},
                                           ServiceSchema{"tasks", tasks::TasksMigrations},
                                           ServiceSchema{"notify", notify::NotifyMigrations},
                                           ServiceSchema{"indicators",
                                                         indicators::IndicatorsMigrations},
                                           ServiceSchema{"web", web::AccountsMigrations}),
                         [](const ::testing::TestParamInfo<ServiceSchema>& info) {
                           return std::string(info.param.service);
                         });

}  // namespace
}  // namespace uplift

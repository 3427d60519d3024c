// Tests of CachedStatement: a statement is prepared once per connection and
// handed out again reset and unbound; the same SQL nested gets a statement
// of its own; a connection Database did not hand out prepares afresh.
#include "common/statement_cache.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "common/sqlite_db.h"

namespace uplift {
namespace {

std::unique_ptr<Database> Open() {
  auto db = Database::Open(":memory:", {{"t", {{1, "t", "CREATE TABLE t(x INTEGER)"}}}});
  EXPECT_TRUE(db.ok()) << db.status();
  return std::move(*db);
}

TEST(CachedStatement, IsPreparedOnceAndComesBackResetAndUnbound) {
  std::unique_ptr<Database> db = Open();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(db->Write([&](SQLite::Database& c) {
                    CachedStatement insert(c, "INSERT INTO t(x) VALUES(?)");
                    if (i < 2) insert.bind(1, i);  // the third run binds nothing: NULL
                    insert.exec();
                    return absl::OkStatus();
                  }).ok());
  }
  ASSERT_TRUE(db->Read([&](SQLite::Database& c) {
                  CachedStatement q(c, "SELECT count(*), count(x), sum(x) FROM t");
                  EXPECT_TRUE(q.executeStep());
                  EXPECT_EQ(q.getColumn(0).getInt(), 3);
                  EXPECT_EQ(q.getColumn(1).getInt(), 2);  // bindings were cleared
                  EXPECT_EQ(q.getColumn(2).getInt(), 1);
                  return absl::OkStatus();
                }).ok());
  // The same prepared statement each time: sqlite3_stmt is kept, so the
  // connection counts one statement of that SQL however many runs.
  ASSERT_TRUE(db->Write([&](SQLite::Database& c) {
                  int statements = 0;
                  for (sqlite3_stmt* s = sqlite3_next_stmt(c.getHandle(), nullptr); s != nullptr;
                       s = sqlite3_next_stmt(c.getHandle(), s)) {
                    if (std::string(sqlite3_sql(s)) == "INSERT INTO t(x) VALUES(?)") ++statements;
                  }
                  EXPECT_EQ(statements, 1);
                  return absl::OkStatus();
                }).ok());
}

TEST(CachedStatement, TheSameSqlNestedGetsAStatementOfItsOwn) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(db->Write([](SQLite::Database& c) {
                  c.exec("INSERT INTO t(x) VALUES(1), (2)");
                  return absl::OkStatus();
                }).ok());
  ASSERT_TRUE(db->Read([](SQLite::Database& c) {
                  int pairs = 0;
                  CachedStatement outer(c, "SELECT x FROM t ORDER BY x");
                  while (outer.executeStep()) {
                    CachedStatement inner(c, "SELECT x FROM t ORDER BY x");
                    while (inner.executeStep()) ++pairs;
                  }
                  EXPECT_EQ(pairs, 4);
                  return absl::OkStatus();
                }).ok());
}

TEST(CachedStatement, OnAConnectionOfItsOwnPreparesAfresh) {
  SQLite::Database c(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  c.exec("CREATE TABLE t(x INTEGER)");
  for (int i = 0; i < 2; ++i) {
    CachedStatement insert(c, "INSERT INTO t(x) VALUES(?)");
    insert.bind(1, i);
    insert.exec();
  }
  EXPECT_EQ(sqlite3_next_stmt(c.getHandle(), nullptr), nullptr);  // nothing kept
  EXPECT_EQ(c.execAndGet("SELECT count(*) FROM t").getInt(), 2);
}

}  // namespace
}  // namespace uplift

// The store interface on both engines, the same statements and the same
// expectations: SQLite in memory, and a real PostgreSQL server started for
// this test (a database of its own per test).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <memory>

#include "common/ids.h"
#include "common/sql/postgres_connection.h"
#include "common/sql/query.h"
#include "common/sql/sqlite_connection.h"
#include "common/sqlite_db.h"
#include "tests/support/postgres_server.h"

namespace uplift::sql {
namespace {

using uplift::testing::NewDatabaseUrl;

class SqlEngineTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Engine::kSqlite) {
      sqlite_ = std::make_unique<SQLite::Database>(":memory:",
                                                   SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      connection_ = std::make_unique<SqliteConnection>(*sqlite_, cache_.get());
    } else {
      connection_ = PostgresConnection::Open({NewDatabaseUrl()});
    }
  }
  void TearDown() override {
    connection_.reset();
    cache_.reset();  // its statements before their connection
    sqlite_.reset();
  }
  Connection& db() { return *connection_; }
  // The one column type the engines name differently.
  std::string BlobType() const { return GetParam() == Engine::kPostgres ? "BYTEA" : "BLOB"; }
  void MakeTable() {
    db().ExecScript("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, body " +
                    BlobType() +
                    ", n BIGINT, x DOUBLE PRECISION);"
                    "CREATE UNIQUE INDEX items_name ON items(name);");
  }

  std::unique_ptr<SQLite::Database> sqlite_;
  std::unique_ptr<StatementCache> cache_ = std::make_unique<StatementCache>();
  std::unique_ptr<Connection> connection_;
};

TEST_P(SqlEngineTest, EveryTypeComesBackAsItWasBound) {
  MakeTable();
  const std::string bytes(
      "\0\x01\xff\xfe"
      "a\0b",
      7);
  Query insert(db(), "INSERT INTO items (id, name, body, n, x) VALUES (?, ?, ?, ?, ?)");
  insert.Bind(1, 1).Bind(2, "装备制造产业集群「恒泰」").BindBlob(3, bytes);
  insert.Bind(4, int64_t{-9223372036854775807}).Bind(5, 0.125);
  EXPECT_EQ(insert.Exec(), 1);
  Query empty(db(), "INSERT INTO items (id, name, body, n, x) VALUES (?, ?, ?, ?, ?)");
  empty.Bind(1, 2).Bind(2, "").BindBlob(3, "").BindNull(4).BindNull(5);
  EXPECT_EQ(empty.Exec(), 1);

  Query q(db(), "SELECT name, body, n, x FROM items ORDER BY id");
  ASSERT_TRUE(q.Step());
  EXPECT_EQ(q.Text(0), "装备制造产业集群「恒泰」");
  EXPECT_EQ(q.Blob(1), bytes);
  EXPECT_EQ(q.Int64(2), -9223372036854775807);
  EXPECT_DOUBLE_EQ(q.Double(3), 0.125);
  EXPECT_FALSE(q.IsNull(1));
  ASSERT_TRUE(q.Step());
  EXPECT_EQ(q.Text(0), "");
  EXPECT_FALSE(q.IsNull(1)) << "an empty blob is not NULL";
  EXPECT_EQ(q.Blob(1), "");
  EXPECT_TRUE(q.IsNull(2));
  EXPECT_EQ(q.Int64(2), 0);
  EXPECT_FALSE(q.Step());
}

TEST_P(SqlEngineTest, APreparedStatementIsReusedWithNewParameters) {
  MakeTable();
  for (int i = 1; i <= 3; ++i) {
    Query insert(db(), "INSERT INTO items (id, name) VALUES (?, ?)");
    insert.Bind(1, i).Bind(2, "企业" + std::to_string(i));
    insert.Exec();
  }
  for (int i = 1; i <= 3; ++i) {
    Query q(db(), "SELECT name FROM items WHERE id = ?");
    q.Bind(1, i);
    ASSERT_TRUE(q.Step());
    EXPECT_EQ(q.Text(0), "企业" + std::to_string(i));
  }
  Query unbound(db(), "SELECT name FROM items WHERE id = ?");
  EXPECT_FALSE(unbound.Step()) << "an unbound parameter is NULL, which matches nothing";
}

TEST_P(SqlEngineTest, AQuestionMarkInQuotesIsNoParameter) {
  Query q(db(), "SELECT '是否？?', ?");
  q.Bind(1, "bound");
  ASSERT_TRUE(q.Step());
  EXPECT_EQ(q.Text(0), "是否？?");
  EXPECT_EQ(q.Text(1), "bound");
}

TEST_P(SqlEngineTest, ChangesAndReturningWorkTheSameWay) {
  MakeTable();
  Query insert(db(),
               "INSERT INTO items (id, name, n) VALUES (?, ?, 1), (?, ?, 1), (?, ?, 2) "
               "RETURNING id");
  insert.Bind(1, 7).Bind(2, "a").Bind(3, 8).Bind(4, "b").Bind(5, 9).Bind(6, "c");
  int returned = 0;
  while (insert.Step()) returned += insert.Int(0);
  EXPECT_EQ(returned, 24);
  Query update(db(), "UPDATE items SET n = n + 10 WHERE n = ?");
  update.Bind(1, 1);
  EXPECT_EQ(update.Exec(), 2);
  Query none(db(), "DELETE FROM items WHERE id = ?");
  none.Bind(1, 404);
  EXPECT_EQ(none.Exec(), 0);
}

TEST_P(SqlEngineTest, FailuresAreSortedByKind) {
  MakeTable();
  Query insert(db(), "INSERT INTO items (id, name) VALUES (1, '恒泰')");
  insert.Exec();
  try {
    Query again(db(), "INSERT INTO items (id, name) VALUES (2, '恒泰')");
    again.Exec();
    FAIL() << "a duplicate name was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kDuplicate) << e.what();
    EXPECT_EQ(ErrorToStatus(e).code(), absl::StatusCode::kAlreadyExists);
  }
  try {
    Query no_name(db(), "INSERT INTO items (id, name) VALUES (3, NULL)");
    no_name.Exec();
    FAIL() << "a NULL name was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConstraint) << e.what();
    EXPECT_EQ(ErrorToStatus(e).code(), absl::StatusCode::kFailedPrecondition);
  }
  try {
    Query wrong(db(), "SELEKT 1");
    wrong.Step();
    FAIL() << "a syntax error ran";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadStatement) << e.what();
  }
  Query count(db(), "SELECT COUNT(*) FROM items");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.Int64(0), 1) << "a failed statement changed nothing";
}

TEST_P(SqlEngineTest, ARolledBackTransactionLeavesNothing) {
  MakeTable();
  db().ExecScript("BEGIN");
  Query insert(db(), "INSERT INTO items (id, name) VALUES (?, ?)");
  insert.Bind(1, 1).Bind(2, "x");
  insert.Exec();
  db().ExecScript("ROLLBACK");
  Query count(db(), "SELECT COUNT(*) FROM items");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.Int64(0), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlEngineTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& info) {
                           return std::string(EngineName(info.param));
                         });

// Code on the interface called from code still on SQLite::Database: it
// runs in the caller's transaction, on the connection's statement cache.
TEST(SqliteBridge, RunsInTheCallersWriteWithItsStatementCache) {
  uplift::testing::TempDir dir;
  auto db = Database::Open(dir.File("bridge.db"),
                           {{"bridge", {{1, "items", "CREATE TABLE items (name TEXT UNIQUE)"}}}});
  ASSERT_TRUE(db.ok()) << db.status();
  auto insert = [](SQLite::Database& tx) {
    SqliteConnection c(tx);
    EXPECT_NE(CurrentStatementCache(tx), nullptr);
    Query(c, "INSERT INTO items (name) VALUES (?)").Bind(1, "恒泰").Exec();
  };
  EXPECT_EQ((*db)
                ->Write([&](SQLite::Database& tx) {
                  insert(tx);
                  return absl::AbortedError("undone with the caller's write");
                })
                .code(),
            absl::StatusCode::kAborted);
  ASSERT_TRUE((*db)
                  ->Write([&](SQLite::Database& tx) {
                    insert(tx);
                    return absl::OkStatus();
                  })
                  .ok());
  int64_t rows = -1;
  ASSERT_TRUE((*db)
                  ->Read([&](SQLite::Database& tx) {
                    SqliteConnection c(tx);
                    Query count(c, "SELECT COUNT(*) FROM items");
                    rows = count.Step() ? count.Int64(0) : -1;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(rows, 1);
  EXPECT_EQ((*db)
                ->Write([&](SQLite::Database& tx) {
                  insert(tx);  // the same name again
                  return absl::OkStatus();
                })
                .code(),
            absl::StatusCode::kAlreadyExists)
      << "the interface's error keeps its meaning through Database::Write";
}

// What only PostgreSQL does: the network, the server's timeouts, its
// prepared statements.
class PostgresConnectionTest : public ::testing::Test {
 protected:
  std::string NewDatabase() { return NewDatabaseUrl(); }
};

TEST_F(PostgresConnectionTest, AServerThatIsNotThereIsUnavailableAndThePasswordIsNotTold) {
  const int port = uplift::testing::FreePort();
  PostgresOptions options;
  options.url = "postgresql://uplift:s3cret-word@127.0.0.1:" + std::to_string(port) + "/x";
  options.connect_timeout = absl::Seconds(2);
  try {
    PostgresConnection::Open(options);
    FAIL() << "connected to nothing";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(std::string(e.what()).find("s3cret-word"), std::string::npos) << e.what();
  }
}

TEST_F(PostgresConnectionTest, AWrongPasswordIsRefused) {
  std::string url = NewDatabase();
  url.replace(url.find(':', 13) + 1, 32, std::string(32, '0'));
  EXPECT_THROW(PostgresConnection::Open({url}), Error);
}

TEST_F(PostgresConnectionTest, AStatementPastItsTimeoutIsStopped) {
  PostgresOptions options;
  options.url = NewDatabase();
  options.statement_timeout = absl::Milliseconds(200);
  auto db = PostgresConnection::Open(options);
  const absl::Time start = absl::Now();
  try {
    Query sleep(*db, "SELECT pg_sleep(30)");
    sleep.Step();
    FAIL() << "slept past the statement timeout";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "57014") << e.what();  // query_canceled
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_TRUE(db->Healthy()) << "a cancelled statement leaves the connection usable";
}

TEST_F(PostgresConnectionTest, ALostConnectionIsUnavailableAndUnhealthy) {
  const std::string url = NewDatabase();
  auto db = PostgresConnection::Open({url});
  auto admin = PostgresConnection::Open({url});
  Query kill(*admin, "SELECT pg_terminate_backend(?::int)");
  kill.Bind(1, db->BackendPid());
  kill.Exec();
  try {
    Query q(*db, "SELECT 1");
    q.Step();
    FAIL() << "a terminated connection answered";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
  }
  EXPECT_FALSE(db->Healthy());
}

TEST_F(PostgresConnectionTest, EachSqlIsPreparedOnceOnAConnection) {
  auto db = PostgresConnection::Open({NewDatabase()});
  for (int i = 0; i < 5; ++i) {
    Query q(*db, "SELECT ? + 1 AS prepared_once");
    q.Bind(1, i);
    ASSERT_TRUE(q.Step());
    EXPECT_EQ(q.Int(0), i + 1);
  }
  Query prepared(*db,
                 "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE "
                 "'%prepared_once%' AND statement NOT LIKE '%pg_prepared_statements%'");
  ASSERT_TRUE(prepared.Step());
  EXPECT_EQ(prepared.Int64(0), 1);
}

}  // namespace
}  // namespace uplift::sql

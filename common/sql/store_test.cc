// The same store code, written once on sql::Query, on both engines through
// OpenStore: commits, rollbacks, error kinds and snapshots mean the same.
#include "common/sql/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

#include "common/sql/query.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_env.h"

namespace uplift::sql {
namespace {

// A store of the kind services have, on the interface.
absl::Status AddNote(Connection& c, const std::string& author, const std::string& text) {
  Query(c, "INSERT INTO notes (author, body) VALUES (?, ?)")
      .Bind(1, author)
      .BindBlob(2, text)
      .Exec();
  return absl::OkStatus();
}

std::vector<std::string> Notes(Store& store) {
  std::vector<std::string> out;
  EXPECT_TRUE(store
                  .Read([&](Connection& c) {
                    Query q(c, "SELECT author, body FROM notes ORDER BY seq");
                    while (q.Step()) out.push_back(q.Text(0) + ":" + q.Blob(1));
                    return absl::OkStatus();
                  })
                  .ok());
  return out;
}

const std::vector<MigrationSet> kSets = {
    {"notes",
     {{1, "notes",
       "CREATE TABLE notes (seq INTEGER PRIMARY KEY AUTOINCREMENT, author TEXT NOT NULL UNIQUE,"
       " body BLOB NOT NULL)"}}}};

class StoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    const std::string url = GetParam() == Engine::kSqlite ? "sqlite:" + dir_.File("notes.db")
                                                          : testing::NewDatabaseUrl();
    last_url_ = url;
    auto opened = OpenStore(url, kSets);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
    ASSERT_EQ(store_->engine(), GetParam());
  }
  testing::TempDir dir_;
  std::string last_url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, WritesCommitOrLeaveNothingAndErrorsKeepTheirMeaning) {
  const std::string body("用地\0指标", 13);  // bytes, a NUL among them
  ASSERT_TRUE(store_->Write([&](Connection& c) { return AddNote(c, "乡镇", body); }).ok());
  EXPECT_EQ(store_
                ->Write([](Connection& c) {
                  (void)AddNote(c, "部门", "x");
                  return absl::PermissionDeniedError("not this unit's");
                })
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->Write([](Connection& c) { return AddNote(c, "乡镇", "again"); }).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_
                ->Write([](Connection& c) -> absl::Status {
                  (void)AddNote(c, "市领导", "y");
                  throw std::runtime_error("a defect");
                })
                .code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(Notes(*store_), std::vector<std::string>{"乡镇:" + body});
}

TEST_P(StoreTest, AReadIsOneSnapshot) {
  ASSERT_TRUE(store_->Write([](Connection& c) { return AddNote(c, "a", "1"); }).ok());
  size_t first = 0, second = 0;
  ASSERT_TRUE(store_
                  ->Read([&](Connection& c) {
                    Query a(c, "SELECT COUNT(*) FROM notes");
                    first = a.Step() ? a.Int64(0) : 0;
                    std::thread([&] {
                      EXPECT_TRUE(
                          store_->Write([](Connection& w) { return AddNote(w, "b", "2"); }).ok());
                    }).join();
                    Query b(c, "SELECT COUNT(*) FROM notes");
                    second = b.Step() ? b.Int64(0) : 0;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(second, 1u);
  EXPECT_EQ(Notes(*store_).size(), 2u);
}

// A listener whose own pass is a write (the outbox relay claiming rows, the
// delivery pump) would wake itself for ever if a write that changed nothing
// woke listeners; and on PostgreSQL a commit wakes this process's listeners
// once, not again when its own NOTIFY comes back.
TEST_P(StoreTest, OnlyAWriteThatChangedSomethingWakesTheCommitListenersAndOnce) {
  std::atomic<int> woken{0};
  const int id = store_->AddCommitListener([&] { ++woken; });
  absl::SleepFor(absl::Seconds(1));  // PostgreSQL's LISTEN wakes once when it starts
  const int before = woken;
  ASSERT_TRUE(store_
                  ->Write([](Connection& c) {
                    Query q(c, "SELECT COUNT(*) FROM notes");
                    EXPECT_TRUE(q.Step());
                    return absl::OkStatus();
                  })
                  .ok());
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(woken, before) << "a write that read only woke a listener";
  ASSERT_TRUE(store_->Write([](Connection& c) { return AddNote(c, "乡镇", "1"); }).ok());
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(woken, before + 1) << "one commit, one wake-up";
  store_->RemoveCommitListener(id);
}

// A migration's fill derives what its SQL cannot (here: one row per note,
// from the note's body) in the migration's own transaction; a fill that
// fails leaves the schema where it was, and the next start tries again.
TEST_P(StoreTest, AMigrationsFillRunsInItsTransactionAndAFailureLeavesNothing) {
  ASSERT_TRUE(store_->Write([](Connection& c) { return AddNote(c, "乡镇", "甲,乙"); }).ok());
  store_.reset();
  const std::string url =
      GetParam() == Engine::kSqlite ? "sqlite:" + dir_.File("notes.db") : last_url_;
  bool fail = true;
  std::vector<MigrationSet> sets = kSets;
  sets[0].migrations.push_back(
      {2, "words", "CREATE TABLE words (word TEXT NOT NULL)", [&](Connection& c) -> absl::Status {
         std::vector<std::string> bodies;
         Query q(c, "SELECT body FROM notes");
         while (q.Step()) bodies.push_back(q.Blob(0));
         for (const std::string& body : bodies) {
           for (absl::string_view w : absl::StrSplit(body, ',')) {
             Query(c, "INSERT INTO words (word) VALUES (?)").Bind(1, std::string(w)).Exec();
           }
         }
         if (fail) return absl::DataLossError("a body could not be read");
         return absl::OkStatus();
       }});
  auto failed = OpenStore(url, sets);
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(absl::StrContains(failed.status().message(), "a body could not be read"))
      << failed.status();
  fail = false;
  auto opened = OpenStore(url, sets);
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::vector<std::string> words;
  ASSERT_TRUE((*opened)
                  ->Read([&](Connection& c) {
                    Query q(c, "SELECT word FROM words ORDER BY word");
                    while (q.Step()) words.push_back(q.Text(0));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(words, (std::vector<std::string>{"乙", "甲"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& info) {
                           return std::string(EngineName(info.param));
                         });

TEST(OpenStore, AUrlOfNeitherEngineIsRefusedWithoutItsPassword) {
  for (const char* url : {"mysql://u:secret@h/db", "sqlite:", "", "/var/lib/uplift.db"}) {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(url, kSets);
    EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_TRUE(absl::StrContains(store.status().message(), "--database-url")) << store.status();
    EXPECT_FALSE(absl::StrContains(store.status().message(), "secret")) << store.status();
  }
}

}  // namespace
}  // namespace uplift::sql

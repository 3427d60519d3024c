// Tests of safe trimming against a real redis-server: nothing a group has
// not acknowledged goes, nothing younger than the retention goes, a group
// the suite names but Redis lacks stops trimming, and dead letters go by
// age.
#include "common/stream_trimmer.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

#include "common/suite_catalog.h"
#include "tests/support/test_env.h"

namespace uplift {
namespace {

// uplift:events:indicators: one group (uplift-tasks), retention 168 h.
constexpr char kStream[] = "uplift:events:indicators";
const absl::Time kNow = absl::FromUnixSeconds(1700000000);

class StreamTrimmerTest : public ::testing::Test {
 protected:
  StreamTrimmerTest() : redis_(dir_.File("redis")) {
    redis_.Start();
    client_ = std::make_unique<RedisClient>(RedisOptions{redis_.address()});
    def_ = FindStream(kStream);
  }

  // An entry `age` before kNow.
  void Add(absl::Duration age, int seq) {
    ASSERT_TRUE(client_
                    ->Command({"XADD", kStream,
                               absl::StrCat(absl::ToUnixMillis(kNow - age), "-", seq), "f", "v"})
                    .ok());
  }
  int64_t Length() { return client_->Command({"XLEN", kStream})->integer; }
  void Read(int count) {
    ASSERT_TRUE(client_
                    ->Command({"XREADGROUP", "GROUP", "uplift-tasks", "c", "COUNT",
                               std::to_string(count), "STREAMS", kStream, ">"})
                    .ok());
  }
  void AckAll() {
    auto pending = client_->Command({"XPENDING", kStream, "uplift-tasks", "-", "+", "1000"});
    for (const RedisReply& p : pending->elements) {
      ASSERT_TRUE(client_->Command({"XACK", kStream, "uplift-tasks", p.elements[0].str}).ok());
    }
  }

  testing::TempDir dir_;
  testing::RedisServer redis_;
  std::unique_ptr<RedisClient> client_;
  const suite::v1::Stream* def_;
};

TEST_F(StreamTrimmerTest, WaitsForEveryGroupTheSuiteNames) {
  for (int i = 0; i < 5; ++i) Add(absl::Hours(24 * 30), i + 1);
  absl::StatusOr<TrimOutcome> t = TrimStream(*client_, *def_, kNow);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->waiting_for, "uplift-tasks");
  EXPECT_EQ(Length(), 5) << "the tasks service may not have started yet";
}

TEST_F(StreamTrimmerTest, KeepsWhatIsPendingOrUndeliveredAndWhatIsYoung) {
  ASSERT_TRUE(client_->Command({"XGROUP", "CREATE", kStream, "uplift-tasks", "0", "MKSTREAM"}).ok());
  for (int i = 0; i < 4; ++i) Add(absl::Hours(24 * 30), i + 1);  // old
  for (int i = 0; i < 2; ++i) Add(absl::Hours(1), i + 1);        // young
  Read(2);
  AckAll();  // the first two old ones acknowledged
  Read(1);   // the third read but pending
  absl::StatusOr<TrimOutcome> t = TrimStream(*client_, *def_, kNow);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->removed, 2);
  EXPECT_EQ(Length(), 4) << "pending, undelivered and young entries stay";
  Read(10);
  AckAll();
  t = TrimStream(*client_, *def_, kNow);
  EXPECT_EQ(t->removed, 2) << "the old ones go once acknowledged; the young stay";
  EXPECT_EQ(Length(), 2);
}

TEST_F(StreamTrimmerTest, DeadLettersGoByAge) {
  const std::string dlq = DeadLetterStream(kStream);
  ASSERT_TRUE(client_->Command({"XADD", dlq, "1000-1", "f", "v"}).ok());  // 1970
  ASSERT_TRUE(client_->Command({"XADD", dlq, "*", "f", "v"}).ok());       // now
  absl::StatusOr<TrimOutcome> t = TrimDeadLetters(*client_, kStream, absl::Now());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->removed, 1);
  EXPECT_EQ(client_->Command({"XLEN", dlq})->integer, 1);
}

TEST(StreamId, ParsesAndOrders) {
  EXPECT_EQ(ParseStreamId("1700000000000-5").ms, 1700000000000u);
  EXPECT_EQ(ParseStreamId("1700000000000-5").seq, 5u);
  EXPECT_EQ(ParseStreamId("12").ms, 12u);
  EXPECT_EQ(ParseStreamId("garbage").ms, 0u);
  EXPECT_TRUE(ParseStreamId("1-9") < ParseStreamId("2-0"));
  EXPECT_TRUE(ParseStreamId("2-1") < ParseStreamId("2-2"));
}

}  // namespace
}  // namespace uplift

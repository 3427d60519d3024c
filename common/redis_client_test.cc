// Tests of the hiredis wrapper against a real redis-server: binary-safe
// commands, pipelines, errors, and reconnecting after a restart.
#include "common/redis_client.h"

#include <gtest/gtest.h>

#include "tests/support/test_env.h"

namespace uplift {
namespace {

class RedisClientTest : public ::testing::Test {
 protected:
  RedisClientTest() : redis_(dir_.File("redis")) { redis_.Start(); }
  testing::TempDir dir_;
  testing::RedisServer redis_;
};

TEST_F(RedisClientTest, BinarySafeRoundTrip) {
  RedisClient client({redis_.address()});
  const std::string value("a\0b\xFF承", 7);
  ASSERT_TRUE(client.Command({"SET", "k", value}).ok());
  absl::StatusOr<RedisReply> got = client.Command({"GET", "k"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->str, value);
  EXPECT_TRUE(client.Command({"GET", "missing"})->is_nil());
}

TEST_F(RedisClientTest, ErrorRepliesAreStatuses) {
  RedisClient client({redis_.address()});
  absl::StatusOr<RedisReply> r = client.Command({"NOSUCHCOMMAND"});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(r.status().message().find("redis:"), std::string::npos);
  EXPECT_TRUE(client.Command({"PING"}).ok()) << "the connection survives an error reply";
}

TEST_F(RedisClientTest, PipelineAnswersEachCommand) {
  RedisClient client({redis_.address()});
  auto replies = client.Pipeline({{"INCR", "n"}, {"INCR", "n"}, {"HGET", "n", "x"}});
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[1]->integer, 2);
  EXPECT_FALSE((*replies)[2].ok());  // WRONGTYPE
}

TEST_F(RedisClientTest, UnavailableWhileDownThenReconnectsByItself) {
  RedisClient client({redis_.address()});
  ASSERT_TRUE(client.Command({"SET", "k", "v"}).ok());
  redis_.Stop();
  absl::StatusOr<RedisReply> down = client.Command({"GET", "k"});
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  redis_.Start();
  absl::StatusOr<RedisReply> back = client.Command({"GET", "k"});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->str, "v") << "AOF kept the value across the restart";
}

TEST_F(RedisClientTest, NoticesADeadConnectionAfterIdling) {
  RedisOptions options{redis_.address()};
  options.ping_after_idle = absl::Milliseconds(1);
  RedisClient client(options);
  ASSERT_TRUE(client.Command({"PING"}).ok());
  // Kill this client's connection from the server side.
  RedisClient admin({redis_.address()});
  ASSERT_TRUE(admin.Command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}).ok());
  absl::SleepFor(absl::Milliseconds(5));
  EXPECT_TRUE(client.Command({"PING"}).ok()) << "the idle PING found the dead socket and redialled";
}

TEST_F(RedisClientTest, BadAddressIsInvalidArgument) {
  RedisClient client({"no-port-here"});
  EXPECT_EQ(client.Command({"PING"}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace uplift

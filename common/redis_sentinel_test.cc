// Redis behind Sentinel, against real processes: a master, its replica and
// three sentinels. The client finds the master through the sentinels, and
// after the master dies (or is handed over) it finds the promoted replica,
// where the stream and its consumer group go on.
#include "common/redis_sentinel.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/redis_client.h"
#include "tests/support/redis_sentinels.h"
#include "tests/support/test_env.h"

namespace uplift {
namespace {

using testing::RedisSentinels;
using testing::RedisServer;
using testing::TempDir;

TEST(ParseSentinelAddress, ReadsTheSentinelsAndTheMastersName) {
  auto parsed = ParseSentinelAddress("sentinel://10.0.0.1:26379,redis-b:26380/uplift");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->has_value());
  EXPECT_EQ((*parsed)->sentinels, (std::vector<std::string>{"10.0.0.1:26379", "redis-b:26380"}));
  EXPECT_EQ((*parsed)->master_name, "uplift");
  auto plain = ParseSentinelAddress("127.0.0.1:6379");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->has_value());
}

TEST(ParseSentinelAddress, RefusesWhatIsIncomplete) {
  for (const char* bad :
       {"sentinel://h1:26379", "sentinel://h1:26379/", "sentinel:///uplift", "sentinel://h1/uplift",
        "sentinel://h1:0/uplift", "sentinel://h1:26379,:5/uplift"}) {
    EXPECT_EQ(ParseSentinelAddress(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  RedisClient client({"sentinel://h1:26379"});
  EXPECT_EQ(client.Command({"PING"}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(AttachedReplicas, ReadsTheMastersCount) {
  EXPECT_EQ(AttachedReplicas("# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip="
                             "127.0.0.1,port=1,state=online\r\n"),
            2);
  EXPECT_EQ(AttachedReplicas("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"), 0);
  EXPECT_EQ(AttachedReplicas("role:slave\r\n"), 0);
  EXPECT_EQ(AttachedReplicas("connected_slaves:"), 0);
}

class RedisSentinelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    master_ = std::make_unique<RedisServer>(dir_.File("master"));
    master_->Start();
    replica_ = std::make_unique<RedisServer>(dir_.File("replica"));
    replica_->ReplicaOf(master_->port());
    replica_->Start();
    ASSERT_TRUE(replica_->WaitForMasterLink()) << "the replica did not catch up with the master";
    sentinels_ = std::make_unique<RedisSentinels>(dir_.path(), "uplift", master_->port());
    sentinels_->Start();
    sentinels_->WaitForReplicas(1);
    RedisOptions options;
    options.address = sentinels_->Address();
    client_ = std::make_unique<RedisClient>(options);
  }
  // Retries `args` until the client has a master again.
  absl::StatusOr<RedisReply> UntilAnswered(const std::vector<std::string>& args) {
    absl::StatusOr<RedisReply> reply = absl::UnavailableError("not tried");
    testing::WaitUntil(
        [&] {
          reply = client_->Command(args);
          return reply.ok();
        },
        absl::Seconds(60));
    return reply;
  }
  // Entries on the stream, a group with two of them delivered and not
  // acknowledged, all on the replica too.
  void FillStream() {
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(
          client_->Command({"XADD", "uplift:escalations", "*", "n", std::to_string(i)}).ok());
    }
    ASSERT_TRUE(client_->Command({"XGROUP", "CREATE", "uplift:escalations", "notify", "0"}).ok());
    auto read = client_->Command({"XREADGROUP", "GROUP", "notify", "c1", "COUNT", "2", "STREAMS",
                                  "uplift:escalations", ">"});
    ASSERT_TRUE(read.ok()) << read.status();
    auto replicated = client_->CommandWithTimeout({"WAIT", "1", "5000"}, absl::Seconds(10));
    ASSERT_TRUE(replicated.ok());
    ASSERT_EQ(replicated->integer, 1);
  }
  // The stream and its group as the master the client found has them.
  void ExpectStreamWentOn() {
    auto added = UntilAnswered({"XADD", "uplift:escalations", "*", "n", "after"});
    ASSERT_TRUE(added.ok()) << added.status();
    EXPECT_EQ(sentinels_->MasterPort(), replica_->port());
    auto length = client_->Command({"XLEN", "uplift:escalations"});
    ASSERT_TRUE(length.ok());
    EXPECT_EQ(length->integer, 6);
    auto pending = client_->Command({"XPENDING", "uplift:escalations", "notify"});
    ASSERT_TRUE(pending.ok());
    EXPECT_EQ(pending->elements[0].integer, 2) << "the group's pending entries went with it";
    auto rest = client_->Command(
        {"XREADGROUP", "GROUP", "notify", "c1", "STREAMS", "uplift:escalations", ">"});
    ASSERT_TRUE(rest.ok()) << rest.status();
    ASSERT_EQ(rest->elements.size(), 1u);
    EXPECT_EQ(rest->elements[0].elements[1].elements.size(), 4u)
        << "the group goes on from where it was: three old entries and the new one";
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> master_, replica_;
  std::unique_ptr<RedisSentinels> sentinels_;
  std::unique_ptr<RedisClient> client_;
};

TEST_F(RedisSentinelTest, FindsTheMasterThroughTheSentinels) {
  ASSERT_TRUE(client_->Command({"SET", "k", "v"}).ok());
  RedisClient direct(master_->AdminOptions());
  auto value = direct.Command({"GET", "k"});
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->str, "v") << "the write went to the master";
}

TEST_F(RedisSentinelTest, FollowsTheReplicaPromotedWhenTheMasterDies) {
  FillStream();
  master_->Kill();
  ExpectStreamWentOn();
}

TEST_F(RedisSentinelTest, FollowsAHandOverWhileConnected) {
  FillStream();
  RedisClient sentinel({sentinels_->Address().substr(11, sentinels_->Address().find(',') - 11)});
  // NOGOODSLAVE until the sentinels have the replica's fresh INFO.
  absl::StatusOr<RedisReply> failover;
  testing::WaitUntil(
      [&] {
        failover = sentinel.Command({"SENTINEL", "FAILOVER", "uplift"});
        return failover.ok();
      },
      absl::Seconds(30));
  ASSERT_TRUE(failover.ok()) << failover.status();
  ASSERT_TRUE(testing::WaitUntil([&] { return sentinels_->MasterPort() == replica_->port(); },
                                 absl::Seconds(30)));
  ExpectStreamWentOn();
  RedisClient old_master(master_->AdminOptions());
  EXPECT_TRUE(testing::WaitUntil(
      [&] {
        auto info = old_master.Command({"INFO", "replication"});
        return info.ok() && info->str.find("role:slave") != std::string::npos;
      },
      absl::Seconds(30)))
      << "the old master became a replica, and the client left it";
}

}  // namespace
}  // namespace uplift

// Tests of the revocation watcher against a real redis-server: what the
// registry publishes is honoured, a forged entry is ignored.
#include "common/revocation_watcher.h"

#include <gtest/gtest.h>

#include "common/time_util.h"
#include "tests/support/test_env.h"
#include "tests/support/test_events.h"
#include "uplift/auth/v1/revocation.pb.h"

namespace uplift {
namespace {

constexpr char kStream[] = "uplift:revocations";

class RevocationWatcherTest : public ::testing::Test {
 protected:
  RevocationWatcherTest()
      : keys_(dir_.File("auth")),
        redis_(dir_.File("redis")),
        verifier_(*EventVerifier::FromDirectory(keys_.public_keys_dir())) {
    redis_.Start();
    client_ = std::make_unique<RedisClient>(RedisOptions{redis_.address()});
  }

  void Revoke(const std::string& token_id, const std::string& signed_by) {
    uplift::auth::v1::TokenRevoked revoked;
    revoked.mutable_token()->set_token_id(token_id);
    *revoked.mutable_token()->mutable_expire_time() = ToProtoTimestamp(absl::Now() + absl::Hours(1));
    StreamEvent e = testing::TestEvent(revoked, "uplift-registry", "token/" + token_id, 1);
    EventSigner(*Ed25519PrivateKey::FromPemFile("k", keys_.secrets_dir(signed_by) + "/events.key"))
        .Sign(kStream, &e);
    ASSERT_TRUE(client_->Command(XAddCommand(kStream, "*", e)).ok());
  }

  testing::TempDir dir_;
  testing::TestKeys keys_;
  testing::RedisServer redis_;
  std::unique_ptr<EventVerifier> verifier_;
  std::unique_ptr<RedisClient> client_;
};

TEST_F(RevocationWatcherTest, HonoursWhatTheRegistryPublishedBeforeAndAfterItStarted) {
  RevocationList list;
  RevocationWatcher watcher(client_.get(), verifier_.get(), &list, SystemClock::Get());
  Revoke("before", "uplift-registry");
  ASSERT_EQ(*watcher.PollOnce(absl::Milliseconds(10)), 1);
  Revoke("after", "uplift-registry");
  ASSERT_EQ(*watcher.PollOnce(absl::Milliseconds(10)), 1);
  EXPECT_TRUE(list.IsRevoked("before"));
  EXPECT_TRUE(list.IsRevoked("after"));
}

TEST_F(RevocationWatcherTest, IgnoresARevocationNotSignedByTheRegistry) {
  RevocationList list;
  RevocationWatcher watcher(client_.get(), verifier_.get(), &list, SystemClock::Get());
  Revoke("forged", "uplift-tasks");
  EXPECT_EQ(*watcher.PollOnce(absl::Milliseconds(10)), 0);
  EXPECT_FALSE(list.IsRevoked("forged"));
}

}  // namespace
}  // namespace uplift

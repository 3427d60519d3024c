// Tests of signed tokens and the authenticator.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "common/auth/authenticator.h"
#include "common/auth/token.h"
#include "tests/support/test_env.h"

namespace uplift {
namespace {

using uplift::auth::v1::ROLE_ADMIN;
using uplift::auth::v1::ROLE_TOWNSHIP;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TokenTest : public ::testing::Test {
 protected:
  TokenTest() : keys_(dir_.path()) {}
  std::unique_ptr<Authenticator> MakeAuth(const Clock* clock) {
    return std::make_unique<Authenticator>(*TokenVerifier::FromPemFile(keys_.public_key_file()),
                                           clock);
  }
  testing::TempDir dir_;
  testing::TestKeys keys_;
};

TEST_F(TokenTest, PrivateKeyIsOwnerOnly) {
  struct stat st;
  ASSERT_EQ(stat(keys_.private_key_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_FALSE(GenerateSigningKeyPair(dir_.path()).ok()) << "must not overwrite a key";
}

TEST_F(TokenTest, VerifiesWhatItMinted) {
  auto auth = MakeAuth(SystemClock::Get());
  absl::StatusOr<Principal> p =
      auth->Authenticate("Bearer " + keys_.Token(ROLE_TOWNSHIP, "town-a", "承安镇专班"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->role, ROLE_TOWNSHIP);
  EXPECT_EQ(p->unit_id, "town-a");
  EXPECT_EQ(p->subject, "承安镇专班");
  EXPECT_FALSE(p->token_id.empty());
}

TEST_F(TokenTest, RejectsMissingMalformedAndTamperedTokens) {
  auto auth = MakeAuth(SystemClock::Get());
  EXPECT_EQ(auth->Authenticate("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth->Authenticate("Basic abc").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth->Authenticate("Bearer nonsense").status().code(),
            absl::StatusCode::kUnauthenticated);
  std::string token = keys_.Token(ROLE_ADMIN);
  // Flip a character of the claims: the signature no longer matches.
  token[5] = token[5] == 'A' ? 'B' : 'A';
  absl::Status s = auth->Authenticate("Bearer " + token).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(TokenTest, RejectsTokensOfAnotherKey) {
  testing::TempDir other_dir;
  testing::TestKeys other(other_dir.path());
  auto auth = MakeAuth(SystemClock::Get());
  absl::Status s = auth->Authenticate("Bearer " + other.Token(ROLE_ADMIN)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("does not trust"), std::string::npos);
}

TEST_F(TokenTest, TrustsEveryKeyOfARotation) {
  testing::TempDir other_dir;
  testing::TestKeys other(other_dir.path());
  auto verifier = TokenVerifier::FromPem(ReadAll(keys_.public_key_file()) +
                                         ReadAll(other.public_key_file()));
  ASSERT_TRUE(verifier.ok());
  Authenticator auth(std::move(*verifier), SystemClock::Get());
  EXPECT_TRUE(auth.Authenticate("Bearer " + keys_.Token(ROLE_ADMIN)).ok());
  EXPECT_TRUE(auth.Authenticate("Bearer " + other.Token(ROLE_ADMIN)).ok());
}

TEST_F(TokenTest, ExpiryFollowsTheInjectedClock) {
  ManualClock clock(absl::Now());
  auto auth = MakeAuth(&clock);
  const std::string header = "Bearer " + keys_.Token(ROLE_ADMIN, "", "a", absl::Minutes(5));
  EXPECT_TRUE(auth->Authenticate(header).ok());
  clock.Advance(absl::Minutes(6));
  absl::Status s = auth->Authenticate(header).status();  // cached, still checked
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("expired"), std::string::npos);
}

TEST_F(TokenTest, PublicKeyFileWithoutKeysIsRefused) {
  std::ofstream(dir_.File("empty.pub")) << "not a key\n";
  EXPECT_FALSE(TokenVerifier::FromPemFile(dir_.File("empty.pub")).ok());
  EXPECT_EQ(TokenVerifier::FromPemFile(dir_.File("missing.pub")).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace uplift

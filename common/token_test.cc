// Tests of signed tokens and the authenticator.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "common/auth/authenticator.h"
#include "common/auth/token.h"
#include "common/deployment_secrets.h"
#include "common/secret_files.h"
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
  std::unique_ptr<Authenticator> MakeAuth(const Clock* clock,
                                          const RevocationList* revoked = nullptr) {
    return std::make_unique<Authenticator>(*TokenVerifier::FromPemFile(keys_.public_key_file()),
                                           clock, "uplift-registry", revoked);
  }
  // A token signed with the test key, claims as given.
  std::string Sign(TokenClaims claims) {
    return TokenSigner::FromPemFile(keys_.private_key_file())->Mint(std::move(claims));
  }
  testing::TempDir dir_;
  testing::TestKeys keys_;
};

TEST_F(TokenTest, PrivateKeyIsOwnerOnlyInAnOwnerOnlyDirectory) {
  struct stat st;
  ASSERT_EQ(stat(keys_.private_key_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  ASSERT_EQ(stat(std::filesystem::path(keys_.private_key_file()).parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
  ASSERT_EQ(stat(keys_.secrets_dir("uplift-tasks").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
  EXPECT_FALSE(GenerateEd25519KeyPair(keys_.private_key_file(), dir_.File("x.pub")).ok())
      << "must not overwrite a key";
}

TEST_F(TokenTest, KeysAreNeverReadOrWrittenThroughALink) {
  std::filesystem::create_symlink(keys_.private_key_file(), dir_.File("link.key"));
  absl::StatusOr<TokenSigner> through_link = TokenSigner::FromPemFile(dir_.File("link.key"));
  EXPECT_EQ(through_link.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(through_link.status().message().find("symbolic link"), std::string::npos);
  // A link planted where a new key would go is not followed.
  std::filesystem::create_symlink(dir_.File("elsewhere.key"), dir_.File("new.key"));
  EXPECT_FALSE(GenerateEd25519KeyPair(dir_.File("new.key"), dir_.File("new.pub")).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.File("elsewhere.key")));
  // A directory that is a link is refused too.
  std::filesystem::create_directory_symlink(dir_.path(), dir_.File("linked-dir"));
  EXPECT_EQ(EnsurePrivateDir(dir_.File("linked-dir")).code(),
            absl::StatusCode::kFailedPrecondition);
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
  Authenticator auth(std::move(*verifier), SystemClock::Get(), "uplift-registry");
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

TEST_F(TokenTest, AcceptsOnlyTokensForItsOwnAudience) {
  auto auth = MakeAuth(SystemClock::Get());
  EXPECT_TRUE(auth->Authenticate("Bearer " + keys_.Token(ROLE_ADMIN, "", "a", absl::Hours(1),
                                                          {"uplift-registry"}))
                  .ok());
  // A SERVICE token of the tasks service for the tasks service is not one
  // for the registry.
  absl::Status s = auth->Authenticate("Bearer " + keys_.Token(uplift::auth::v1::ROLE_SERVICE, "",
                                                              "uplift-tasks", absl::Hours(1),
                                                              {"uplift-tasks"}))
                       .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("not issued for uplift-registry"), std::string::npos);
}

TEST_F(TokenTest, RefusesScopedRolesWithoutAUnit) {
  auto auth = MakeAuth(SystemClock::Get());
  for (Role role : {ROLE_TOWNSHIP, uplift::auth::v1::ROLE_LEADER, uplift::auth::v1::ROLE_DEPARTMENT,
                    uplift::auth::v1::ROLE_PROVINCE, uplift::auth::v1::ROLE_PLAN_OWNER}) {
    absl::Status s = auth->Authenticate("Bearer " + keys_.Token(role, "")).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << RoleName(role);
    EXPECT_NE(s.message().find("names none"), std::string::npos);
  }
  EXPECT_TRUE(auth->Authenticate("Bearer " + keys_.Token(uplift::auth::v1::ROLE_VIEWER, "")).ok());
}

TEST_F(TokenTest, RefusesTokensThatNeverExpireOrLiveTooLong) {
  auto auth = MakeAuth(SystemClock::Get());
  TokenClaims claims;
  claims.set_token_id("t1");
  claims.set_subject("forever");
  claims.set_role(ROLE_ADMIN);
  claims.add_audiences("uplift-registry");
  claims.set_issued_at_unix(absl::ToUnixSeconds(absl::Now()));
  absl::Status never = auth->Authenticate("Bearer " + Sign(claims)).status();
  EXPECT_EQ(never.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(never.message().find("never expire"), std::string::npos);
  claims.set_expires_at_unix(absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 401)));
  absl::Status long_lived = auth->Authenticate("Bearer " + Sign(claims)).status();
  EXPECT_EQ(long_lived.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(long_lived.message().find("400 days"), std::string::npos);
}

TEST_F(TokenTest, RevokedTokensAreRefusedAtOnceEvenWhenCachedAndDuringAStream) {
  RevocationList revoked;
  auto auth = MakeAuth(SystemClock::Get(), &revoked);
  const std::string token = keys_.Token(ROLE_TOWNSHIP, "town-a", "承安镇专班");
  absl::StatusOr<Principal> p = auth->Authenticate("Bearer " + token);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(auth->StillValid(*p).ok());
  revoked.Add(p->token_id, absl::Now() + absl::Hours(1));
  EXPECT_EQ(auth->Authenticate("Bearer " + token).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth->StillValid(*p).code(), absl::StatusCode::kUnauthenticated);
  revoked.PurgeExpired(absl::Now() + absl::Hours(2));
  EXPECT_EQ(revoked.size(), 0u);
}

TEST_F(TokenTest, AnUnsignedKeyIdIsQuotedCutAndEscapedNeverEchoedWhole) {
  auto auth = MakeAuth(SystemClock::Get());
  TokenClaims claims;
  claims.set_key_id("\n[critical] forged line " + std::string(2 * 1024 * 1024, 'x'));
  claims.set_subject("x");
  const std::string body = "v1." + absl::WebSafeBase64Escape(claims.SerializeAsString());
  absl::Status s = auth->Authenticate("Bearer " + body + ".AAAA").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  // The token is longer than any token may be: refused before parsing.
  EXPECT_LT(s.message().size(), 200u);
  claims.set_key_id("\n[critical] forged line");
  const std::string small = "v1." + absl::WebSafeBase64Escape(claims.SerializeAsString()) + ".AAAA";
  s = auth->Authenticate("Bearer " + small).status();
  EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("\\x0a[critical]"), std::string::npos) << s.message();
}

TEST_F(TokenTest, PublicKeyFileWithoutKeysIsRefused) {
  std::ofstream(dir_.File("empty.pub")) << "not a key\n";
  EXPECT_FALSE(TokenVerifier::FromPemFile(dir_.File("empty.pub")).ok());
  EXPECT_EQ(TokenVerifier::FromPemFile(dir_.File("missing.pub")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(TokenTest, AServiceTokenNamingOtherServicesThanItCallsIsMintedAnew) {
  // uplift-notify's token from before it called uplift-web names only the registry.
  const std::string path = ServiceSecretsDir(dir_.path(), "uplift-notify") + "/service.token";
  const absl::StatusOr<std::string> old = MintToken(keys_.private_key_file(), "uplift-notify",
                                                    uplift::auth::v1::ROLE_SERVICE, "",
                                                    absl::Hours(24 * 300), {"uplift-registry"});
  ASSERT_TRUE(old.ok()) << old.status();
  std::filesystem::remove(path);
  std::ofstream(path) << *old << "\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write);
  const absl::StatusOr<std::vector<std::string>> made = Provision({dir_.path(), ""});
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_NE(std::find(made->begin(), made->end(), "a SERVICE token for uplift-notify"),
            made->end());
  const absl::StatusOr<TokenClaims> claims = ReadUnverifiedClaims(ReadAll(path));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(std::set<std::string>(claims->audiences().begin(), claims->audiences().end()),
            (std::set<std::string>{"uplift-registry", "uplift-web"}));
  // Right as it is: kept.
  const absl::StatusOr<std::vector<std::string>> again = Provision({dir_.path(), ""});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->empty());
}

TEST(ServiceTokenWarning, SaysWhenTheOwnTokenNearsItsEnd) {
  testing::TempDir dir;
  testing::TestKeys keys(dir.path());
  const absl::Time now = absl::Now();
  EXPECT_EQ(ServiceTokenWarning(
                keys.Token(auth::v1::ROLE_SERVICE, "", "uplift-tasks", absl::Hours(24 * 90)), now),
            "");
  const std::string soon = ServiceTokenWarning(
      keys.Token(auth::v1::ROLE_SERVICE, "", "uplift-tasks", absl::Hours(24 * 10)), now);
  EXPECT_NE(soon.find("expires on"), std::string::npos) << soon;
  EXPECT_NE(soon.find("upliftctl auth init"), std::string::npos) << soon;
  const std::string gone = ServiceTokenWarning(
      keys.Token(auth::v1::ROLE_SERVICE, "", "uplift-tasks", -absl::Hours(1)), now);
  EXPECT_NE(gone.find("expired on"), std::string::npos) << gone;
  EXPECT_NE(ServiceTokenWarning("not a token", now), "");
}

}  // namespace
}  // namespace uplift

// Unit tests of accounts and sessions on an in-memory database and a
// manual clock: argon2id hashes, the password policy, the ADMIN's account
// management, lockout after five failures, the per-address throttle,
// sessions (idle and maximum age, token renewal, ending) and the
// revocation of the tokens of ended sessions.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/common_schema.h"
#include "common/sql/query.h"
#include "common/time_util.h"
#include "services/web/accounts_schema.h"
#include "services/web/accounts_service.h"
#include "services/web/password_policy.h"
#include "tests/support/test_env.h"
#include "tests/support/test_store.h"

namespace uplift::web {
namespace {

using uplift::testing::TempDir;
using uplift::testing::TestKeys;
using uplift::testing::TestPrincipal;
namespace av1 = uplift::auth::v1;
namespace rv1 = uplift::registry::v1;

class FakeUnits : public UnitDirectory {
 public:
  absl::StatusOr<rv1::Unit> FindUnit(const std::string& unit_id) override {
    rv1::Unit unit;
    unit.set_unit_id(unit_id);
    if (unit_id == "town-chengan") {
      unit.set_name("承安镇");
      unit.set_kind(rv1::UNIT_KIND_TOWNSHIP);
    } else if (unit_id == "dept-kgx") {
      unit.set_name("市科工信局");
      unit.set_kind(rv1::UNIT_KIND_DEPARTMENT);
    } else {
      return absl::NotFoundError("no unit");
    }
    return unit;
  }
};

constexpr char kGood[] = "Xinle-2023-good";

class AccountsTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  AccountsTest()
      : keys_(dir_.path()),
        clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 9, 0, 0), absl::UTCTimeZone())),
        hasher_(PasswordCost::Minimal()),
        throttle_(&clock_) {
    db_ = testing::OpenTestStore(GetParam(), {CommonMigrations(), AccountsMigrations()});
    signer_ = std::make_unique<TokenSigner>(*TokenSigner::FromPemFile(keys_.private_key_file()));
    verifier_ = *TokenVerifier::FromPemFile(keys_.public_key_file());
    SessionOptions options;
    options.audiences = {"uplift-registry", "uplift-tasks", "uplift-web"};
    sessions_ = std::make_unique<SessionManager>(db_.get(), &clock_, &hasher_, signer_.get(),
                                                 &throttle_, options);
    accounts_ =
        std::make_unique<AccountsService>(db_.get(), &clock_, &hasher_, sessions_.get(), &units_);
  }

  acv1::Account Create(const std::string& login, av1::Role role, const std::string& unit,
                       const std::string& password = kGood) {
    acv1::CreateAccountRequest req;
    req.mutable_account()->set_login(login);
    req.mutable_account()->set_display_name("张三");
    req.mutable_account()->set_role(role);
    req.mutable_account()->set_unit_id(unit);
    req.set_initial_password(password);
    absl::StatusOr<acv1::CreateAccountResponse> r = accounts_->CreateAccount(admin_, req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->account() : acv1::Account();
  }

  absl::StatusOr<SignedIn> SignIn(const std::string& login, const std::string& password,
                                  const std::string& address = "10.0.0.1") {
    acv1::SignInRequest req;
    req.set_login(login);
    req.set_password(password);
    return sessions_->SignIn(req, address);
  }

  // Signs in and changes the first password; the new session's id.
  std::string SettledSession(const std::string& login, const std::string& password) {
    absl::StatusOr<SignedIn> first = SignIn(login, kGood);
    EXPECT_TRUE(first.ok()) << first.status();
    acv1::ChangePasswordRequest change;
    change.set_current_password(kGood);
    change.set_new_password(password);
    EXPECT_TRUE(
        accounts_
            ->ChangePassword(TestPrincipal(first->account.role(), first->account.unit_id(), login),
                             change)
            .ok());
    absl::StatusOr<SignedIn> second = SignIn(login, password);
    EXPECT_TRUE(second.ok()) << second.status();
    return second.ok() ? second->session_id : "";
  }

  int AuditCount(const std::string& action) {
    int n = 0;
    (void)db_->Read([&](sql::Connection& db) {
      sql::Query q(db, "SELECT COUNT(*) FROM audit_log WHERE action=?");
      q.Bind(1, action);
      q.Step();
      n = q.Int(0);
      return absl::OkStatus();
    });
    return n;
  }

  TempDir dir_;
  TestKeys keys_;
  ManualClock clock_;
  PasswordHasher hasher_;
  SignInThrottle throttle_;
  FakeUnits units_;
  std::unique_ptr<sql::Store> db_;
  std::unique_ptr<TokenSigner> signer_;
  std::unique_ptr<TokenVerifier> verifier_;
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<AccountsService> accounts_;
  const Principal admin_ = TestPrincipal(av1::ROLE_ADMIN, "", "ops");
};

TEST(PasswordHasherTest, HashesWithArgon2idAndVerifiesOnlyTheRightPassword) {
  PasswordHasher hasher(PasswordCost::Minimal());
  absl::StatusOr<std::string> hash = hasher.Hash("correct horse 1");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(hasher.Verify(*hash, "correct horse 1"));
  EXPECT_FALSE(hasher.Verify(*hash, "correct horse 2"));
  EXPECT_FALSE(hasher.Verify("not a hash", "correct horse 1"));
  EXPECT_NE(*hasher.Hash("correct horse 1"), *hash);  // salted
}

TEST(PasswordHasherTest, TheRealCostIsArgon2idWith64MiBAndTwoPasses) {
  PasswordHasher hasher;  // what uplift-web uses unless told otherwise
  absl::StatusOr<std::string> hash = hasher.Hash("correct horse 1");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(hasher.Verify(*hash, "correct horse 1"));
}

TEST(PasswordPolicyTest, RefusesWeakPasswordsNamingTheFieldAndTheRule) {
  const auto message = [](const std::string& p) {
    return std::string(CheckPasswordStrength("new_password", p, "zhang.san").message());
  };
  EXPECT_EQ(message("Short-1"), "new_password: must be at least 10 characters");
  EXPECT_EQ(message("onlyletterslong"),
            "new_password: must mix at least two kinds of characters: letters, digits, others");
  EXPECT_EQ(message("zhang.san-2023"), "new_password: must not contain the login name");
  EXPECT_EQ(message("Password2023"),
            "new_password: is too easy to guess: it contains a well-known password");
  EXPECT_TRUE(CheckPasswordStrength("p", "新乐市装备制造2023", "zhang.san").ok());
  for (int i = 0; i < 20; ++i) {
    const std::string generated = GeneratePassword();
    EXPECT_TRUE(CheckPasswordStrength("p", generated, "").ok()) << generated;
  }
}

TEST_P(AccountsTest, AnAdminCreatesAnAccountThatMustChangeItsPassword) {
  const acv1::Account a = Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  EXPECT_TRUE(a.must_change_password());
  EXPECT_EQ(a.unit_name(), "承安镇");
  std::string stored;
  (void)db_->Read([&](sql::Connection& db) {
    stored = FindAccount(db, "zhang.san", clock_.Now())->password_hash;
    return absl::OkStatus();
  });
  EXPECT_EQ(stored.find(kGood), std::string::npos);
  EXPECT_EQ(AuditCount("CreateAccount"), 1);

  acv1::CreateAccountRequest again;
  *again.mutable_account() = a;
  again.set_initial_password(kGood);
  EXPECT_EQ(accounts_->CreateAccount(admin_, again).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(accounts_->CreateAccount(TestPrincipal(av1::ROLE_PLAN_OWNER, "dept-kgx", "p"), again)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(AccountsTest, BadAccountFieldsAreRefusedNamingTheFieldAndNothingIsCreated) {
  acv1::CreateAccountRequest req;
  req.mutable_account()->set_login("li.si");
  req.mutable_account()->set_display_name("李四");
  req.mutable_account()->set_role(av1::ROLE_TOWNSHIP);
  req.mutable_account()->set_unit_id("town-nowhere");
  EXPECT_EQ(accounts_->CreateAccount(admin_, req).status().message(),
            "account.unit_id: no unit \"town-nowhere\" in the registry");
  req.mutable_account()->set_unit_id("town-chengan");
  req.mutable_account()->set_mobile("1380000");
  EXPECT_EQ(accounts_->CreateAccount(admin_, req).status().message(),
            "account.mobile: must be an 11-digit mobile number starting with 1");
  req.mutable_account()->set_mobile("");
  req.mutable_account()->set_login("Li Si");
  EXPECT_EQ(accounts_->CreateAccount(admin_, req).status().code(),
            absl::StatusCode::kInvalidArgument);
  req.mutable_account()->set_login("li.si");
  req.mutable_account()->set_role(av1::ROLE_SERVICE);
  EXPECT_EQ(accounts_->CreateAccount(admin_, req).status().code(),
            absl::StatusCode::kInvalidArgument);
  acv1::ListAccountsRequest list;
  EXPECT_EQ(accounts_->ListAccounts(admin_, list)->accounts_size(), 0);
}

// A role acts for a unit of its kind: a township person for a 乡镇 (or 街道,
// 开发区), a department's for a 市直部门, and so on, at creation and when
// an update changes the role or the unit.
TEST_P(AccountsTest, AnAccountActsForAUnitOfTheKindItsRoleActsFor) {
  acv1::CreateAccountRequest req;
  req.mutable_account()->set_login("li.si");
  req.mutable_account()->set_display_name("李四");
  req.mutable_account()->set_role(av1::ROLE_TOWNSHIP);
  req.mutable_account()->set_unit_id("dept-kgx");
  req.set_initial_password(kGood);
  absl::Status s = accounts_->CreateAccount(admin_, req).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "account.unit_id: 市科工信局 (dept-kgx) is a 市直部门; a TOWNSHIP account acts for a "
            "乡镇、街道或开发区");
  req.mutable_account()->set_role(av1::ROLE_LEADER);
  EXPECT_EQ(accounts_->CreateAccount(admin_, req).status().code(),
            absl::StatusCode::kInvalidArgument);
  acv1::ListAccountsRequest list;
  EXPECT_EQ(accounts_->ListAccounts(admin_, list)->accounts_size(), 0);

  Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  acv1::UpdateAccountRequest update;
  update.mutable_account()->set_login("zhang.san");
  update.mutable_account()->set_role(av1::ROLE_DEPARTMENT);
  update.mutable_update_mask()->add_paths("role");
  s = accounts_->UpdateAccount(admin_, update).status();
  EXPECT_TRUE(absl::StartsWith(s.message(),
                               "account.role: 承安镇 (town-chengan) is a 乡镇; a "
                               "DEPARTMENT account acts for a 市直部门"))
      << s;
  update.mutable_account()->set_unit_id("dept-kgx");
  update.mutable_update_mask()->add_paths("unit_id");
  ASSERT_TRUE(accounts_->UpdateAccount(admin_, update).ok());
  update.mutable_account()->set_unit_id("town-chengan");
  update.mutable_update_mask()->clear_paths();
  update.mutable_update_mask()->add_paths("unit_id");
  s = accounts_->UpdateAccount(admin_, update).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "account.unit_id: 承安镇 (town-chengan) is a 乡镇"))
      << s;
  absl::StatusOr<acv1::ListAccountsResponse> all = accounts_->ListAccounts(admin_, list);
  ASSERT_TRUE(all.ok() && all->accounts_size() == 1) << all.status();
  EXPECT_EQ(all->accounts(0).unit_id(), "dept-kgx");
  EXPECT_EQ(all->accounts(0).unit_name(), "市科工信局");
}

TEST_P(AccountsTest, FiveFailuresLockTheAccountForFifteenMinutes) {
  Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(SignIn("zhang.san", "Wrong-password-1").status().code(),
              absl::StatusCode::kUnauthenticated);
  }
  absl::StatusOr<SignedIn> fifth = SignIn("zhang.san", "Wrong-password-1");
  EXPECT_EQ(fifth.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(fifth.status().message().find("locked until"), absl::string_view::npos);
  // The right password does not open a locked account.
  EXPECT_EQ(SignIn("zhang.san", kGood).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AuditCount("SignInFailed"), 5);  // four wrong passwords, one while locked
  EXPECT_EQ(AuditCount("LockAccount"), 1);
  clock_.Advance(absl::Minutes(15));
  EXPECT_TRUE(SignIn("zhang.san", kGood).ok());
  EXPECT_EQ(AuditCount("SignIn"), 1);
}

TEST_P(AccountsTest, AnUnknownLoginAndAWrongPasswordGetTheSameAnswer) {
  Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  const absl::Status unknown = SignIn("wang.wu", kGood).status();
  const absl::Status wrong = SignIn("zhang.san", "Wrong-password-1").status();
  EXPECT_EQ(unknown, wrong);
}

TEST_P(AccountsTest, OneAddressIsThrottledAcrossAccounts) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(SignIn("user" + std::to_string(i), kGood, "10.9.9.9").status().code(),
              absl::StatusCode::kUnauthenticated);
  }
  const absl::Status throttled = SignIn("user99", kGood, "10.9.9.9").status();
  EXPECT_EQ(throttled.code(), absl::StatusCode::kResourceExhausted) << throttled;
  EXPECT_EQ(SignIn("user99", kGood, "10.9.9.8").status().code(),
            absl::StatusCode::kUnauthenticated);  // another address is not
  clock_.Advance(absl::Seconds(6));
  EXPECT_EQ(SignIn("user99", kGood, "10.9.9.9").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_P(AccountsTest, ASessionCarriesATokenForThePersonRenewedWhileInUse) {
  Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  // Before the first password is changed the token reaches uplift-web only.
  absl::StatusOr<SignedIn> first = SignIn("zhang.san", kGood);
  ASSERT_TRUE(first.ok());
  absl::StatusOr<TokenClaims> claims =
      verifier_->Verify(sessions_->Resume(first->session_id)->token);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(std::vector<std::string>(claims->audiences().begin(), claims->audiences().end()),
            std::vector<std::string>{"uplift-web"});

  const std::string session = SettledSession("zhang.san", "Chengan-2023-new");
  EXPECT_EQ(sessions_->Resume(first->session_id).status().code(),
            absl::StatusCode::kUnauthenticated);  // the change ended it
  absl::StatusOr<ActiveSession> active = sessions_->Resume(session);
  ASSERT_TRUE(active.ok()) << active.status();
  claims = verifier_->Verify(active->token);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->subject(), "zhang.san");
  EXPECT_EQ(claims->subject_name(), "张三");
  EXPECT_EQ(claims->role(), av1::ROLE_TOWNSHIP);
  EXPECT_EQ(claims->unit_id(), "town-chengan");
  EXPECT_EQ(claims->audiences_size(), 3);
  EXPECT_EQ(claims->expires_at_unix() - claims->issued_at_unix(), 30 * 60);

  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(sessions_->Resume(session)->token, active->token);  // more than half left
  clock_.Advance(absl::Minutes(6));
  const std::string renewed = sessions_->Resume(session)->token;
  EXPECT_NE(renewed, active->token);
  EXPECT_TRUE(verifier_->Verify(renewed).ok());
}

TEST_P(AccountsTest, ASessionEndsWhenIdleAndAtItsMaximumAge) {
  Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  const std::string idle = SettledSession("zhang.san", "Chengan-2023-new");
  clock_.Advance(absl::Minutes(59));
  EXPECT_TRUE(sessions_->Resume(idle).ok());  // in use: kept alive
  clock_.Advance(absl::Minutes(59));
  EXPECT_TRUE(sessions_->Resume(idle).ok());
  clock_.Advance(absl::Minutes(61));
  EXPECT_EQ(sessions_->Resume(idle).status().code(), absl::StatusCode::kUnauthenticated);

  absl::StatusOr<SignedIn> busy = SignIn("zhang.san", "Chengan-2023-new");
  ASSERT_TRUE(busy.ok());
  for (int i = 0; i < 23; ++i) {
    EXPECT_TRUE(sessions_->Resume(busy->session_id).ok()) << i;
    clock_.Advance(absl::Minutes(30));
  }
  clock_.Advance(absl::Minutes(30));  // 12 hours after sign-in
  EXPECT_EQ(sessions_->Resume(busy->session_id).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_P(AccountsTest, DisablingEndsTheSessionsAndRevokesTheirTokensUntilTheRegistryHasThem) {
  Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  const std::string session = SettledSession("zhang.san", "Chengan-2023-new");
  const TokenClaims claims = *verifier_->Verify(sessions_->Resume(session)->token);
  std::vector<std::string> ended_logins;
  sessions_->SetEndListener(
      [&](const std::string& login, const std::string&) { ended_logins.push_back(login); });

  acv1::DisableAccountRequest disable;
  disable.set_login("zhang.san");
  ASSERT_TRUE(accounts_->DisableAccount(admin_, disable).ok());
  EXPECT_EQ(ended_logins, std::vector<std::string>{"zhang.san"});
  EXPECT_EQ(sessions_->Resume(session).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(SignIn("zhang.san", "Chengan-2023-new").status().message(),
            "the account is disabled; ask an ADMIN");

  // The registry is down: nothing is lost, the next round sends it.
  std::vector<std::string> revoked;
  EXPECT_EQ(sessions_->RevokeEnded([](const std::string&, absl::Time) {
    return absl::UnavailableError("registry down");
  }),
            0);
  const int sent = sessions_->RevokeEnded([&](const std::string& id, absl::Time expires) {
    revoked.push_back(id);
    EXPECT_GT(expires, clock_.Now());
    return absl::OkStatus();
  });
  EXPECT_EQ(sent, 1);  // the settled session's (the first was never used, so had none)
  EXPECT_NE(std::find(revoked.begin(), revoked.end(), claims.token_id()), revoked.end());
  EXPECT_EQ(sessions_->RevokeEnded([](const std::string&, absl::Time) {
    ADD_FAILURE() << "revoked twice";
    return absl::OkStatus();
  }),
            0);
}

TEST_P(AccountsTest, AResetUnlocksForcesAChangeAndEndsSessions) {
  Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  const std::string session = SettledSession("zhang.san", "Chengan-2023-new");
  for (int i = 0; i < 5; ++i) (void)SignIn("zhang.san", "Wrong-password-1");
  acv1::ResetPasswordRequest reset;
  reset.set_login("zhang.san");
  absl::StatusOr<acv1::ResetPasswordResponse> r = accounts_->ResetPassword(admin_, reset);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->account().must_change_password());
  EXPECT_FALSE(r->account().has_locked_until());
  EXPECT_FALSE(r->generated_password().empty());
  EXPECT_EQ(sessions_->Resume(session).status().code(), absl::StatusCode::kUnauthenticated);
  absl::StatusOr<SignedIn> in = SignIn("zhang.san", r->generated_password());
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_TRUE(in->account.must_change_password());
}

TEST_P(AccountsTest, ChangingRoleOrUnitEndsSessionsButANameChangeDoesNot) {
  Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  const std::string session = SettledSession("zhang.san", "Chengan-2023-new");
  acv1::UpdateAccountRequest update;
  update.mutable_account()->set_login("zhang.san");
  update.mutable_account()->set_display_name("张三丰");
  update.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(accounts_->UpdateAccount(admin_, update).ok());
  EXPECT_TRUE(sessions_->Resume(session).ok());
  update.mutable_account()->set_role(av1::ROLE_PLAN_OWNER);
  update.mutable_account()->set_unit_id("dept-kgx");
  update.mutable_update_mask()->clear_paths();
  update.mutable_update_mask()->add_paths("role");
  update.mutable_update_mask()->add_paths("unit_id");
  absl::StatusOr<acv1::UpdateAccountResponse> r = accounts_->UpdateAccount(admin_, update);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->account().unit_name(), "市科工信局");
  EXPECT_EQ(sessions_->Resume(session).status().code(), absl::StatusCode::kUnauthenticated);
  update.mutable_update_mask()->add_paths("login");
  EXPECT_EQ(accounts_->UpdateAccount(admin_, update).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(AccountsTest, TheFirstStartMakesOneAdminWithAPasswordFile) {
  const std::string file = dir_.File("admin.password");
  ASSERT_TRUE(*accounts_->CreateFirstAdmin(file));
  EXPECT_FALSE(*accounts_->CreateFirstAdmin(file));
  struct stat st;
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::string password = uplift::testing::ReadTextFile(file);
  password.pop_back();
  absl::StatusOr<SignedIn> in = SignIn("admin", password);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->account.role(), av1::ROLE_ADMIN);
  EXPECT_TRUE(in->account.must_change_password());
  // Another account's new password leaves the file; admin's deletes it.
  Create("zhang.san", av1::ROLE_TOWNSHIP, "town-chengan");
  SettledSession("zhang.san", "Chengan-2023-new");
  EXPECT_EQ(stat(file.c_str(), &st), 0);
  acv1::ChangePasswordRequest change;
  change.set_current_password(password);
  change.set_new_password("Ops-Xinle-2023");
  ASSERT_TRUE(accounts_->ChangePassword(TestPrincipal(av1::ROLE_ADMIN, "", "admin"), change).ok());
  EXPECT_NE(stat(file.c_str(), &st), 0);
  EXPECT_TRUE(SignIn("admin", "Ops-Xinle-2023").ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, AccountsTest, testing::EveryEngine(), testing::EngineTestName);

}  // namespace
}  // namespace uplift::web

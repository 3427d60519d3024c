// Accounts in uplift-web against real processes: the first start's admin
// account and its password file, upliftctl's account commands over gRPC,
// and who may call each Accounts RPC (the access table's rows for
// uplift.accounts.v1.Accounts, which tests/access_wire_test leaves here).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "absl/strings/match.h"
#include "tests/support/web_fixture.h"

namespace uplift::testing {
namespace {

namespace av1 = uplift::auth::v1;

bool Has(const std::string& text, const std::string& part) { return absl::StrContains(text, part); }

class WebAccountsTest : public ::testing::Test {
 protected:
  int Ctl(const std::vector<std::string>& args, std::string* out) {
    std::vector<std::string> all = {"--web-addr", f.web_address(), "--token", f.admin_token};
    all.insert(all.end(), args.begin(), args.end());
    return RunCommand(UPLIFT_CTL_BIN, all, out);
  }
  WebFixture f;
};

TEST_F(WebAccountsTest, TheFirstStartMakesAnAdminWhoMustChangeThePasswordFirst) {
  struct stat st;
  ASSERT_EQ(stat(f.dir().File("web-data/admin.password").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  HttpClient admin(f.http_port());
  admin.set_browser(true);
  HttpResult r = f.SignIn(admin, "admin", f.AdminPassword());
  ASSERT_EQ(r.status, 200) << r.body;
  r = admin.Post("/uplift.accounts.v1.Accounts/ListAccounts", "{}");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(Has(r.body, "\"code\":\"failed_precondition\"")) << r.body;
  r = admin.Post("/uplift.accounts.v1.Accounts/ChangePassword",
                 "{\"currentPassword\":\"" + f.AdminPassword() + "\",\"newPassword\":\"short\"}");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(Has(r.body, "new_password: must be at least 10 characters")) << r.body;
  r = admin.Post(
      "/uplift.accounts.v1.Accounts/ChangePassword",
      "{\"currentPassword\":\"" + f.AdminPassword() + "\",\"newPassword\":\"Ops-Xinle-2023\"}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(stat(f.dir().File("web-data/admin.password").c_str(), &st), 0);  // deleted
  ASSERT_EQ(f.SignIn(admin, "admin", "Ops-Xinle-2023").status, 200);
  r = admin.Post("/uplift.accounts.v1.Accounts/ListAccounts", "{}");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "\"login\":\"admin\"")) << r.body;

  // A restart keeps the account and makes no other.
  f.KillWeb();
  f.StartWeb();
  acv1::ListAccountsRequest list;
  acv1::ListAccountsResponse accounts;
  ASSERT_TRUE(f.accounts().ListAccounts(f.Ctx(f.admin_token).get(), list, &accounts).ok());
  EXPECT_EQ(accounts.accounts_size(), 1);
}

TEST_F(WebAccountsTest, UpliftctlAddsListsDisablesAndResetsAccounts) {
  std::string out;
  ASSERT_EQ(Ctl({"account", "add", "li.ming", "--name", "李明", "--role", "TOWNSHIP", "--unit",
                 "town-chengan", "--mobile", "13800000000"},
                &out),
            0)
      << out;
  EXPECT_TRUE(Has(out, "临时密码")) << out;
  const std::string password = out.substr(out.rfind(": ") + 2, 19);
  ASSERT_EQ(Ctl({"account", "list"}, &out), 0) << out;
  EXPECT_TRUE(Has(out, "李明")) << out;
  EXPECT_TRUE(Has(out, "待改密码")) << out;

  HttpClient browser(f.http_port());
  browser.set_browser(true);
  HttpResult r = f.SignIn(browser, "li.ming", password);
  ASSERT_EQ(r.status, 200) << r.body << "\npassword: " << password;

  ASSERT_EQ(Ctl({"account", "disable", "li.ming", "--reason", "调岗"}, &out), 0) << out;
  EXPECT_TRUE(Has(out, "已停用")) << out;
  EXPECT_EQ(browser.Post("/uplift.accounts.v1.Accounts/WhoAmI", "{}").status, 401);
  ASSERT_EQ(Ctl({"account", "list"}, &out), 0) << out;
  EXPECT_FALSE(Has(out, "李明")) << out;
  ASSERT_EQ(Ctl({"account", "list", "--include-disabled"}, &out), 0) << out;
  EXPECT_TRUE(Has(out, "李明")) << out;

  ASSERT_EQ(Ctl({"account", "reset-password", "li.ming"}, &out), 0) << out;
  EXPECT_TRUE(Has(out, "临时密码")) << out;
  EXPECT_EQ(Ctl({"account", "add", "li.ming", "--name", "李明", "--role", "TOWNSHIP", "--unit",
                 "town-chengan"},
                &out),
            1);
  EXPECT_TRUE(Has(out, "ALREADY_EXISTS")) << out;
  EXPECT_EQ(Ctl({"account", "add", "x.y", "--name", "某", "--role", "TOWNSHIP"}, &out), 1);
  EXPECT_TRUE(Has(out, "account.unit_id")) << out;
  // The registry's unit kinds decide: a township clerk for a department.
  EXPECT_EQ(
      Ctl({"account", "add", "x.y", "--name", "某", "--role", "TOWNSHIP", "--unit", "dept-zrj"},
          &out),
      1);
  EXPECT_TRUE(Has(out, "(dept-zrj) is a 市直部门; a TOWNSHIP account acts for a 乡镇")) << out;
  ASSERT_EQ(Ctl({"audit", "list", "--service", "web", "--target", "account/li.ming"}, &out), 0);
  EXPECT_TRUE(Has(out, "DisableAccount")) << out;
  EXPECT_TRUE(Has(out, "ResetPassword")) << out;
  EXPECT_TRUE(Has(out, "SignIn")) << out;
}

TEST_F(WebAccountsTest, OnlyAnAdminManagesAccountsAndSignInIsForHttp) {
  const std::string owner = f.keys().Token(av1::ROLE_PLAN_OWNER, "dept-kgx", "kgx");
  acv1::ListAccountsRequest list;
  acv1::ListAccountsResponse accounts;
  EXPECT_EQ(f.accounts().ListAccounts(f.Ctx(owner).get(), list, &accounts).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  acv1::CreateAccountRequest create;
  create.mutable_account()->set_login("sneaky");
  create.mutable_account()->set_display_name("某");
  create.mutable_account()->set_role(av1::ROLE_ADMIN);
  acv1::CreateAccountResponse created;
  EXPECT_EQ(f.accounts().CreateAccount(f.Ctx(owner).get(), create, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(f.accounts().CreateAccount(f.Ctx("").get(), create, &created).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  acv1::SignInRequest sign_in;
  sign_in.set_login("admin");
  sign_in.set_password(f.AdminPassword());
  acv1::SignInResponse signed_in;
  const grpc::Status s = f.accounts().SignIn(f.Ctx("").get(), sign_in, &signed_in);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Has(s.error_message(), "over HTTP")) << s.error_message();
  // A token whose subject is no account.
  acv1::WhoAmIRequest who;
  acv1::WhoAmIResponse me;
  EXPECT_EQ(f.accounts().WhoAmI(f.Ctx(owner).get(), who, &me).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The same refusal over HTTP, decided by uplift-web's own gRPC service.
  std::unique_ptr<HttpClient> clerk =
      f.SignedInBrowser("kgx.clerk", av1::ROLE_PLAN_OWNER, "dept-kgx");
  HttpResult r = clerk->Post("/uplift.accounts.v1.Accounts/ListAccounts", "{}");
  EXPECT_EQ(r.status, 403) << r.body;
  r = clerk->Post("/uplift.accounts.v1.Accounts/ResetPassword", "{\"login\":\"admin\"}");
  EXPECT_EQ(r.status, 403) << r.body;
}

}  // namespace
}  // namespace uplift::testing

// WebFixture.
#include "tests/support/web_fixture.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/client_channel.h"

namespace uplift::testing {

WebFixture::WebFixture(std::vector<std::string> web_flags) {
  StartNotify(0);
  StartIndicators();
  StartWeb(web_flags);
}

WebFixture::~WebFixture() {
  if (web_ != nullptr) web_->Kill();
}

void WebFixture::StartWeb(const std::vector<std::string>& extra) {
  const std::string port_file = dir().File("web.port");
  const std::string http_port_file = dir().File("web.http-port");
  std::filesystem::remove(port_file);
  std::filesystem::remove(http_port_file);
  std::vector<std::string> args = ServiceArgs("uplift-web", port_file, "web-data");
  // A restart keeps both ports: clients and uplift-notify's --accounts-addr stay right.
  if (grpc_port_ != 0) args[1] = "127.0.0.1:" + std::to_string(grpc_port_);
  const std::string http_listen = "127.0.0.1:" + std::to_string(http_port_);
  args.insert(args.end(), {"--http-listen", http_listen, "--http-port-file", http_port_file,
                           "--token-signing-key", keys().private_key_file(), "--registry-addr",
                           address(), "--tasks-addr", tasks_address(), "--indicators-addr",
                           indicators_address(), "--notify-addr", notify_address(0)});
  args.insert(args.end(), extra.begin(), extra.end());
  web_ = std::make_unique<Process>(UPLIFT_WEB_BIN, args, dir().File("web.log"));
  web_->Start();
  grpc_port_ = WaitForPortFile(port_file);
  http_port_ = WaitForPortFile(http_port_file);
  accounts_stub_ = acv1::Accounts::NewStub(*MakeChannel(web_address(), {}));
}

void WebFixture::KillWeb() { web_->Kill(); }

std::string WebFixture::WebLog() const { return web_->Log(); }

std::string WebFixture::AdminPassword() const {
  std::string p = ReadTextFile(dir().File("web-data/admin.password"));
  while (!p.empty() && p.back() == '\n') p.pop_back();
  return p;
}

acv1::Account WebFixture::CreateAccount(const std::string& login, Role role,
                                        const std::string& unit) {
  acv1::CreateAccountRequest req;
  req.mutable_account()->set_login(login);
  req.mutable_account()->set_display_name(login + " 同志");
  req.mutable_account()->set_role(role);
  req.mutable_account()->set_unit_id(unit);
  req.set_initial_password(kFirstPassword);
  acv1::CreateAccountResponse resp;
  const grpc::Status s = accounts().CreateAccount(Ctx(admin_token).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.account();
}

HttpResult WebFixture::SignIn(HttpClient& client, const std::string& login,
                              const std::string& password) {
  return client.Post("/uplift.accounts.v1.Accounts/SignIn",
                     "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}");
}

std::unique_ptr<HttpClient> WebFixture::SignedInBrowser(const std::string& login, Role role,
                                                        const std::string& unit) {
  CreateAccount(login, role, unit);
  auto client = std::make_unique<HttpClient>(http_port_);
  client->set_browser(true);
  HttpResult r = SignIn(*client, login, kFirstPassword);
  EXPECT_EQ(r.status, 200) << r.body;
  r = client->Post("/uplift.accounts.v1.Accounts/ChangePassword",
                   std::string("{\"currentPassword\":\"") + kFirstPassword +
                       "\",\"newPassword\":\"" + kPassword + "\"}");
  EXPECT_EQ(r.status, 200) << r.body;
  r = SignIn(*client, login, kPassword);
  EXPECT_EQ(r.status, 200) << r.body;
  return client;
}

}  // namespace uplift::testing

// The whole suite as real processes (redis-server, registry, tasks,
// indicators, notify) plus uplift-web in front of them: its HTTP port, its
// Accounts over gRPC, and helpers that make a person's account and sign
// them in through HTTP as the console does.
#pragma once

#include "tests/support/http_client.h"
#include "tests/support/indicators_fixture.h"
#include "uplift/accounts/v1/accounts.grpc.pb.h"

namespace uplift::testing {

namespace acv1 = uplift::accounts::v1;

class WebFixture : public IndicatorsFixture {
 public:
  // The first password of accounts the fixture makes, and the one each
  // person changes it to at first sign-in.
  static constexpr char kFirstPassword[] = "Xinle-2023-start";
  static constexpr char kPassword[] = "Xinle-2023-mine";

  // Starts notify and indicators too, then uplift-web with `web_flags`.
  explicit WebFixture(std::vector<std::string> web_flags = {});
  ~WebFixture();

  // Starts (or starts again, on the same ports) uplift-web, its backend
  // uplift-notify's replica 0.
  void StartWeb(const std::vector<std::string>& extra = {});
  void KillWeb();
  std::string WebLog() const;
  int http_port() const { return http_port_; }
  std::string web_address() const { return "127.0.0.1:" + std::to_string(grpc_port_); }
  acv1::Accounts::Stub& accounts() { return *accounts_stub_; }
  // The password the first start wrote for the account admin.
  std::string AdminPassword() const;

  // An account (as ADMIN over gRPC) that must change its password.
  acv1::Account CreateAccount(const std::string& login, Role role, const std::string& unit);
  // CreateAccount, then as a browser: sign in, change the password, sign
  // in again. The client holds the live session.
  std::unique_ptr<HttpClient> SignedInBrowser(const std::string& login, Role role,
                                              const std::string& unit);
  // SignIn over HTTP with this client.
  HttpResult SignIn(HttpClient& client, const std::string& login, const std::string& password);

 private:
  std::unique_ptr<Process> web_;
  int http_port_ = 0;
  int grpc_port_ = 0;
  std::unique_ptr<acv1::Accounts::Stub> accounts_stub_;
};

}  // namespace uplift::testing

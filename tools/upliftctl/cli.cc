// Global options, token resolution, output and errors.
#include "tools/upliftctl/cli.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "common/auth/token.h"
#include "common/client_channel.h"
#include "common/secret_files.h"
#include "common/grpc_status.h"
#include "common/ids.h"

namespace uplift::cli {

void Cli::AddGlobalOptions(CLI::App& app) {
  // Subcommands created after this accept the global options too.
  app.fallthrough();
  app.add_option("--registry-addr", registry_addr_, "uplift-registry address")
      ->envname("UPLIFT_REGISTRY_ADDR")
      ->capture_default_str();
  app.add_option("--tasks-addr", tasks_addr_, "uplift-tasks address")
      ->envname("UPLIFT_TASKS_ADDR")
      ->capture_default_str();
  app.add_option("--notify-addr", notify_addr_, "uplift-notify address")
      ->envname("UPLIFT_NOTIFY_ADDR")
      ->capture_default_str();
  app.add_option("--indicators-addr", indicators_addr_, "uplift-indicators address")
      ->envname("UPLIFT_INDICATORS_ADDR")
      ->capture_default_str();
  app.add_option("--web-addr", web_addr_, "uplift-web address (its gRPC port, for accounts)")
      ->envname("UPLIFT_WEB_ADDR")
      ->capture_default_str();
  app.add_option("--plan", plan_id_, "the plan to act on")->envname("UPLIFT_PLAN")->capture_default_str();
  app.add_option("--token", token_, "bearer token")->envname("UPLIFT_TOKEN");
  app.add_option("--token-file", token_file_, "file holding the bearer token")
      ->envname("UPLIFT_TOKEN_FILE");
  app.add_option("--data-dir", data_dir_, "where to find admin.token by default")
      ->envname("UPLIFT_DATA_DIR")
      ->capture_default_str();
  app.add_option("--timeout", timeout_, "deadline of each call, e.g. 10s, 500ms")
      ->capture_default_str();
  app.add_flag("--json", json_, "print results as JSON");
  app.add_option("--tls-ca", tls_.ca, "trust this CA (PEM) and use TLS")->envname("UPLIFT_TLS_CA");
  app.add_option("--tls-cert", tls_.cert, "client certificate (PEM) for mutual TLS")
      ->envname("UPLIFT_TLS_CLIENT_CERT");
  app.add_option("--tls-key", tls_.key, "client key (PEM) for mutual TLS")
      ->envname("UPLIFT_TLS_CLIENT_KEY");
  app.add_option("--tls-server-name", tls_.server_name_override,
                 "expected name in the server certificate");
}

std::string Cli::Token() const {
  if (!token_.empty()) return token_;
  std::string path = token_file_;
  if (path.empty()) {
    path = data_dir_ + "/admin.token";
    if (!PathExists(path)) return "";
  }
  absl::StatusOr<std::string> token = ReadSecretFile("the token file", path);
  if (!token.ok()) Fail(std::string(token.status().message()));
  return *token;
}

absl::Duration Cli::Timeout() const {
  absl::Duration timeout;
  if (!absl::ParseDuration(timeout_, &timeout) || timeout <= absl::ZeroDuration()) {
    Fail("--timeout: \"" + timeout_ + "\" is not a duration such as 10s or 500ms", 2);
  }
  return timeout;
}

std::unique_ptr<grpc::ClientContext> Cli::Context() const {
  return MakeClientContext(Token(), Timeout());
}

std::unique_ptr<grpc::ClientContext> Cli::ContextWithTimeout(absl::Duration timeout) const {
  return MakeClientContext(Token(), timeout);
}

std::shared_ptr<grpc::Channel> Cli::Channel(const std::string& address) const {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = MakeChannel(address, tls_);
  if (!channel.ok()) Fail(std::string(channel.status().message()), 2);
  return *channel;
}

uplift::registry::v1::EnterpriseRegistry::Stub& Cli::Registry() {
  if (registry_ == nullptr) {
    registry_ = uplift::registry::v1::EnterpriseRegistry::NewStub(Channel(registry_addr_));
  }
  return *registry_;
}

uplift::tasks::v1::TaskAssignment::Stub& Cli::Tasks() {
  if (tasks_ == nullptr) tasks_ = uplift::tasks::v1::TaskAssignment::NewStub(Channel(tasks_addr_));
  return *tasks_;
}

uplift::notify::v1::Notification::Stub& Cli::Notify() {
  if (notify_ == nullptr) notify_ = uplift::notify::v1::Notification::NewStub(Channel(notify_addr_));
  return *notify_;
}

uplift::accounts::v1::Accounts::Stub& Cli::Accounts() {
  if (accounts_ == nullptr) accounts_ = uplift::accounts::v1::Accounts::NewStub(Channel(web_addr_));
  return *accounts_;
}

uplift::tasks::v1::ProjectLedger::Stub& Cli::Projects() {
  if (projects_ == nullptr)
    projects_ = uplift::tasks::v1::ProjectLedger::NewStub(Channel(tasks_addr_));
  return *projects_;
}

uplift::indicators::v1::IndicatorAggregation::Stub& Cli::Indicators() {
  if (indicators_ == nullptr) {
    indicators_ = uplift::indicators::v1::IndicatorAggregation::NewStub(Channel(indicators_addr_));
  }
  return *indicators_;
}

const std::map<std::string, std::string>& Cli::UnitNames() {
  if (unit_names_.has_value()) return *unit_names_;
  unit_names_.emplace();
  uplift::registry::v1::ListUnitsRequest req;
  req.set_page_size(1000);
  for (int pages = 0; pages < 100; ++pages) {
    uplift::registry::v1::ListUnitsResponse resp;
    if (!Registry().ListUnits(Context().get(), req, &resp).ok()) break;
    for (const auto& u : resp.units()) (*unit_names_)[u.unit_id()] = u.name();
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return *unit_names_;
}

std::string Cli::TokenUnit() const {
  // The claims are readable without the key; the service verifies them.
  absl::StatusOr<TokenClaims> claims = ReadUnverifiedClaims(Token());
  return claims.ok() ? claims->unit_id() : "";
}

void Cli::PrintJson(const google::protobuf::Message& message) const {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << json;
  if (json.empty() || json.back() != '\n') std::cout << "\n";
}

void Cli::Check(const grpc::Status& status) const {
  if (status.ok()) return;
  std::string hint;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    hint = " (is the service running? see --registry-addr, --tasks-addr, --indicators-addr, --notify-addr)";
  } else if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED && Token().empty()) {
    hint = " (no token: pass --token or --token-file, or run where data/admin.token is)";
  }
  Fail(StatusCodeName(static_cast<absl::StatusCode>(status.error_code())) + ": " +
       status.error_message() + hint);
}

void Cli::Fail(const std::string& message, int exit_code) const {
  FailCommand(message, exit_code);
}

void FailCommand(const std::string& message, int exit_code) {
  std::cerr << "error: " << message << "\n";
  throw CLI::RuntimeError(exit_code);
}

std::string NewRequestId() { return NewUuid(); }

std::optional<bool> ParseBool(const std::string& text) {
  const std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (t == "true" || t == "yes" || t == "y" || t == "1" || t == "是") return true;
  if (t == "false" || t == "no" || t == "n" || t == "0" || t == "否") return false;
  return std::nullopt;
}

}  // namespace uplift::cli

// What every upliftctl command shares: global options (service addresses,
// token, TLS, --json, --timeout), stubs, per-call contexts, and uniform
// output of results and errors.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"
#include "common/service_flags.h"
#include "uplift/accounts/v1/accounts.grpc.pb.h"
#include "uplift/indicators/v1/indicators.grpc.pb.h"
#include "uplift/notify/v1/notify.grpc.pb.h"
#include "uplift/registry/v1/registry.grpc.pb.h"
#include "uplift/tasks/v1/projects.grpc.pb.h"
#include "uplift/tasks/v1/tasks.grpc.pb.h"

namespace uplift::cli {

class Cli {
 public:
  void AddGlobalOptions(CLI::App& app);

  // The bearer token: --token, UPLIFT_TOKEN, --token-file, UPLIFT_TOKEN_FILE,
  // then <data dir>/admin.token.
  std::string Token() const;
  // A context with the token and the --timeout deadline.
  std::unique_ptr<grpc::ClientContext> Context() const;
  // The --timeout value.
  absl::Duration Timeout() const;
  std::unique_ptr<grpc::ClientContext> ContextWithTimeout(absl::Duration timeout) const;
  std::shared_ptr<grpc::Channel> Channel(const std::string& address) const;
  uplift::registry::v1::EnterpriseRegistry::Stub& Registry();
  uplift::tasks::v1::TaskAssignment::Stub& Tasks();
  uplift::tasks::v1::ProjectLedger::Stub& Projects();  // served by uplift-tasks
  uplift::notify::v1::Notification::Stub& Notify();
  uplift::indicators::v1::IndicatorAggregation::Stub& Indicators();
  uplift::accounts::v1::Accounts::Stub& Accounts();
  // Unit id -> name from the registry, fetched once per command (empty if
  // the registry cannot be asked: tables then show ids).
  const std::map<std::string, std::string>& UnitNames();
  // The unit of the token in use (for `inbox` without --unit); "" if none.
  std::string TokenUnit() const;
  const std::string& registry_addr() const { return registry_addr_; }
  const std::string& tasks_addr() const { return tasks_addr_; }
  // --plan (UPLIFT_PLAN): the plan commands act on.
  const std::string& plan_id() const { return plan_id_; }

  bool json() const { return json_; }
  void PrintJson(const google::protobuf::Message& message) const;
  // On error prints "error: CODE: message" to stderr and ends the command
  // with exit status 1.
  void Check(const grpc::Status& status) const;
  [[noreturn]] void Fail(const std::string& message, int exit_code = 1) const;

 private:
  std::string registry_addr_ = "localhost:50051";
  std::string tasks_addr_ = "localhost:50052";
  std::string notify_addr_ = "localhost:50054";
  std::string indicators_addr_ = "localhost:50053";
  std::string web_addr_ = "localhost:50055";
  std::string plan_id_ = "xinle-2023";
  std::string token_;
  std::string token_file_;
  std::string data_dir_ = "./data";
  std::string timeout_ = "10s";
  bool json_ = false;
  TlsFiles tls_;
  std::unique_ptr<uplift::registry::v1::EnterpriseRegistry::Stub> registry_;
  std::unique_ptr<uplift::tasks::v1::TaskAssignment::Stub> tasks_;
  std::unique_ptr<uplift::tasks::v1::ProjectLedger::Stub> projects_;
  std::unique_ptr<uplift::notify::v1::Notification::Stub> notify_;
  std::unique_ptr<uplift::indicators::v1::IndicatorAggregation::Stub> indicators_;
  std::unique_ptr<uplift::accounts::v1::Accounts::Stub> accounts_;
  std::optional<std::map<std::string, std::string>> unit_names_;
};

// Prints "error: <message>" to stderr and ends the command with `exit_code`.
[[noreturn]] void FailCommand(const std::string& message, int exit_code = 1);

// A new random request_id for create calls, so a retried command is safe.
std::string NewRequestId();

// Parses "true"/"false"/"yes"/"no"/"1"/"0"/"是"/"否"; nullopt if none.
std::optional<bool> ParseBool(const std::string& text);

// Command groups; each registers its subcommands and callbacks.
void AddRegistryCommands(CLI::App& app, Cli& cli);
void AddEnterpriseCommands(CLI::App& app, Cli& cli);
void AddTierAndPoolCommands(CLI::App& app, Cli& cli);
void AddImportCommand(CLI::App* enterprise, Cli& cli);
void AddAuthCommands(CLI::App& app, Cli& cli);
// account add/list/disable/reset-password: people's accounts in uplift-web.
void AddAccountCommands(CLI::App& app, Cli& cli);
void AddHealthCommand(CLI::App& app, Cli& cli);
void AddAuditCommand(CLI::App& app, Cli& cli);
void AddAccessTableCommand(CLI::App& app);
void AddPlanAndTaskCommands(CLI::App& app, Cli& cli);
void AddProgressCommands(CLI::App& app, Cli& cli);
void AddProblemCommands(CLI::App& app, Cli& cli);
void AddActivityCommands(CLI::App& app, Cli& cli);
// project create/list/show/advance/milestone/report: the project ledger.
void AddProjectCommands(CLI::App& app, Cli& cli);
void AddProblemStats(CLI::App* problem, Cli& cli);  // problem stats
void AddNotifyCommands(CLI::App& app, Cli& cli);
void AddPreferenceCommands(CLI::App& app, Cli& cli);
// report submit/get/import; summary, targets, efficiency, ranking,
// close-month; dispatch and bulletin.
void AddReportCommands(CLI::App& app, Cli& cli);
void AddIndicatorCommands(CLI::App& app, Cli& cli);
void AddGeneratedReportCommands(CLI::App& app, Cli& cli);

}  // namespace uplift::cli

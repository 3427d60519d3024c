// upliftctl: the operator's CLI for Cluster Uplift. Wiring only: each
// command group registers itself from its own file.
#include <CLI/CLI.hpp>

#include "tools/upliftctl/cli.h"

int main(int argc, char** argv) {
  CLI::App app{"upliftctl: operate Cluster Uplift (registry, plan, tasks, problems, figures and reports, notifications, tokens, health)"};
  app.require_subcommand(1);
  uplift::cli::Cli cli;
  cli.AddGlobalOptions(app);
  uplift::cli::AddAuthCommands(app, cli);
  uplift::cli::AddAccountCommands(app, cli);
  uplift::cli::AddHealthCommand(app, cli);
  uplift::cli::AddRegistryCommands(app, cli);
  uplift::cli::AddEnterpriseCommands(app, cli);
  uplift::cli::AddTierAndPoolCommands(app, cli);
  uplift::cli::AddAuditCommand(app, cli);
  uplift::cli::AddAccessTableCommand(app);
  uplift::cli::AddPlanAndTaskCommands(app, cli);
  uplift::cli::AddProgressCommands(app, cli);
  uplift::cli::AddProblemCommands(app, cli);
  uplift::cli::AddNotifyCommands(app, cli);
  uplift::cli::AddReportCommands(app, cli);
  uplift::cli::AddIndicatorCommands(app, cli);
  uplift::cli::AddActivityCommands(app, cli);
  uplift::cli::AddProjectCommands(app, cli);
  uplift::cli::AddGeneratedReportCommands(app, cli);
  CLI11_PARSE(app, argc, argv);
  return 0;
}

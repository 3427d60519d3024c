// uplift-county: makes a realistic county from a plan (CountyModel) and
// writes it out: enterprises.csv (for `upliftctl enterprise import`) and
// reports.csv (for `upliftctl report import`), and with --populate puts the
// enterprises, their tier awards and pools into a running registry itself.
// Wiring only.
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/client_channel.h"
#include "common/secret_files.h"
#include "common/service_flags.h"
#include "common/text_proto.h"
#include "tools/county/county_csv.h"
#include "tools/county/county_model.h"
#include "tools/county/county_populate.h"
#include "tools/county/county_projects.h"

int main(int argc, char** argv) {
  CLI::App app{"uplift-county: a realistic county (enterprises, tiers, two years of monthly figures)"};
  std::string plan_file = "plans/xinle-2023.textproto", out_dir = ".", registry_addr, token_file;
  std::string tasks_addr;
  std::string through = "12";
  uplift::county::CountyOptions options;
  bool populate = false;
  app.add_option("--plan", plan_file, "the plan whose clusters and townships to use")->capture_default_str();
  app.add_option("--enterprises", options.enterprises, "how many enterprises")->capture_default_str();
  app.add_option("--seed", options.seed, "the same seed gives the same county")->capture_default_str();
  app.add_option("--through", through, "last month of the plan year with reports (1-12)")->capture_default_str();
  app.add_option("--out", out_dir, "where to write enterprises.csv and reports.csv")->capture_default_str();
  app.add_flag("--populate", populate, "also create the enterprises, awards and pools in the registry");
  app.add_option("--registry-addr", registry_addr, "uplift-registry address (with --populate)")
      ->envname("UPLIFT_REGISTRY_ADDR");
  app.add_option("--token-file", token_file, "an ADMIN or PLAN_OWNER token (with --populate)")
      ->envname("UPLIFT_TOKEN_FILE");
  app.add_option("--tasks-addr", tasks_addr,
                 "uplift-tasks address: with --populate, also enter the county's projects "
                 "(项目台账) and their monthly progress; the plan must be applied");
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(plan_file);
  if (!in) {
    std::cerr << "error: cannot read " << plan_file << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  uplift::tasks::v1::Plan plan;
  if (absl::Status s = uplift::ParseTextProto(text.str(), plan_file, &plan); !s.ok()) {
    std::cerr << "error: " << s.message() << "\n";
    return 2;
  }
  options.year = plan.year();
  int through_month = 0;
  if (!absl::SimpleAtoi(through, &through_month) || through_month < 1 || through_month > 12) {
    std::cerr << "error: --through: a month 1..12\n";
    return 2;
  }
  const uplift::county::CountyModel county(plan, options);
  absl::Status written = uplift::county::WriteCountyCsv(county, through_month, out_dir);
  if (!written.ok()) {
    std::cerr << "error: " << written.message() << "\n";
    return 1;
  }
  std::cout << "wrote " << out_dir << "/enterprises.csv and " << out_dir << "/reports.csv ("
            << county.enterprises().size() << " enterprises, " << plan.year() - 1 << "-01 to "
            << plan.year() << "-" << (through_month < 10 ? "0" : "") << through_month << ")\n";
  if (!populate) return 0;
  if (registry_addr.empty() || token_file.empty()) {
    std::cerr << "error: --populate needs --registry-addr and --token-file\n";
    return 2;
  }
  absl::StatusOr<std::string> token = uplift::ReadSecretFile("--token-file", token_file);
  if (!token.ok()) {
    std::cerr << "error: " << token.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = uplift::MakeChannel(registry_addr, {});
  if (!channel.ok()) {
    std::cerr << "error: " << channel.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<uplift::county::PopulateCounts> counts =
      uplift::county::PopulateRegistry(county, *channel, *token);
  if (!counts.ok()) {
    std::cerr << "error: " << counts.status().message() << "\n";
    return 1;
  }
  std::cout << "registry: " << counts->enterprises << " enterprises, " << counts->awards << " awards ("
            << counts->revoked << " revoked), " << counts->pool_steps << " pool steps\n";
  if (tasks_addr.empty()) return 0;
  absl::StatusOr<std::shared_ptr<grpc::Channel>> tasks = uplift::MakeChannel(tasks_addr, {});
  absl::StatusOr<uplift::county::ProjectCounts> projects =
      tasks.ok()
          ? uplift::county::PopulateProjects(uplift::county::GenerateProjects(county, options.seed),
                                             through_month, *tasks, *token)
          : absl::StatusOr<uplift::county::ProjectCounts>(tasks.status());
  if (!projects.ok()) {
    std::cerr << "error: " << projects.status().message() << "\n";
    return 1;
  }
  std::cout << "projects: " << projects->created << " created, " << projects->reports
            << " monthly reports\n";
  return 0;
}

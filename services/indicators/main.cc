// uplift-indicators: wiring only. Rules, the tasks and registry clients and
// the month-closing sweep on the shared service runtime; it consumes the
// registry's and the tasks service's events through the runtime's router.
#include <spdlog/spdlog.h>

#include "common/service_runtime.h"
#include "services/indicators/indicator_rules.h"
#include "services/indicators/indicators_grpc.h"
#include "services/indicators/indicators_schema.h"
#include "services/indicators/indicators_service.h"
#include "services/indicators/registry_lookup.h"
#include "services/indicators/tasks_directory.h"

namespace {

int Fail(const absl::Status& status) {
  spdlog::critical("uplift-indicators cannot start: {}", std::string(status.message()));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uplift::ServiceRuntime rt("uplift-indicators",
                            "enterprises' figures, aggregates, targets, dispatch and bulletin",
                            {uplift::indicators::IndicatorsMigrations()});
  std::string tasks_addr, registry_addr, rules_file, sweep_interval = "60s";
  int min_cell = 3;
  rt.RequireAddress(&tasks_addr, "--tasks-addr", "UPLIFT_TASKS_ADDR", "the uplift-tasks address");
  rt.RequireAddress(&registry_addr, "--registry-addr", "UPLIFT_REGISTRY_ADDR",
                    "the uplift-registry address");
  rt.app()
      .add_option("--rules-file", rules_file,
                  "figure limits, 亩均 grades and ranking rules (default: the built-in rules)")
      ->envname("UPLIFT_INDICATORS_RULES_FILE");
  rt.app()
      .add_option("--sweep-interval", sweep_interval,
                  "how often months are closed and changed progress is published")
      ->envname("UPLIFT_INDICATORS_SWEEP_INTERVAL")
      ->capture_default_str();
  rt.app()
      .add_option("--min-cell-size", min_cell,
                  "aggregate cells with fewer enterprises are withheld from townships outside them")
      ->envname("UPLIFT_INDICATORS_MIN_CELL_SIZE")
      ->capture_default_str();
  if (std::optional<int> exit = rt.Init(argc, argv)) return *exit;

  absl::StatusOr<absl::Duration> sweep =
      uplift::ParseDurationFlag("--sweep-interval", sweep_interval);
  if (!sweep.ok()) return Fail(sweep.status());
  if (min_cell < 1) return Fail(absl::InvalidArgumentError("--min-cell-size: at least 1"));
  uplift::indicators::IndicatorsConfig config;
  config.service_token = rt.service_token();
  config.min_cell_enterprises = min_cell;
  if (rules_file.empty()) {
    config.rules = uplift::indicators::DefaultRules();
  } else {
    absl::StatusOr<uplift::indicators::v1::IndicatorRules> rules =
        uplift::indicators::LoadRules(rules_file);
    if (!rules.ok()) return Fail(rules.status());
    config.rules = *rules;
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> tasks_channel = rt.Channel(tasks_addr);
  if (!tasks_channel.ok()) return Fail(tasks_channel.status());
  absl::StatusOr<std::shared_ptr<grpc::Channel>> registry_channel = rt.Channel(registry_addr);
  if (!registry_channel.ok()) return Fail(registry_channel.status());

  uplift::indicators::TasksDirectoryGrpc tasks(*tasks_channel);
  uplift::indicators::EnterpriseLookupGrpc registry(*registry_channel);
  uplift::indicators::IndicatorsService service(rt.db(), rt.clock(), &tasks, config, &registry);
  const absl::Time warm_start = absl::Now();
  if (absl::Status s = service.Warm(); !s.ok()) return Fail(s);
  spdlog::info("uplift-indicators: working set loaded in {}",
               absl::FormatDuration(absl::Now() - warm_start));
  service.RegisterEventHandlers(&rt.router());
  rt.Every("sweep", *sweep, [&service] {
    absl::StatusOr<uplift::indicators::IndicatorsSweepResult> r = service.Sweep();
    if (!r.ok()) {
      spdlog::warn("sweep failed: {}", r.status().ToString());
    } else if (r->closed + r->progress_events > 0) {
      spdlog::info("sweep: {} months closed, {} alerts, {} progress events", r->closed, r->alerts,
                   r->progress_events);
    }
  });
  uplift::indicators::IndicatorsGrpcService grpc_service(&service, &rt.auth());
  return rt.Serve({&grpc_service});
}

// uplift-tasks: wiring only. The calendar, the registry client, the
// project ledger and the sweep on the shared service runtime; it consumes
// target progress and the registry's events through the runtime's router.
#include <spdlog/spdlog.h>

#include "common/service_runtime.h"
#include "common/time_util.h"
#include "common/working_calendar.h"
#include "services/tasks/projects_grpc.h"
#include "services/tasks/projects_service.h"
#include "services/tasks/registry_directory.h"
#include "services/tasks/tasks_grpc.h"
#include "services/tasks/tasks_schema.h"
#include "services/tasks/tasks_service.h"

int main(int argc, char** argv) {
  uplift::ServiceRuntime rt("uplift-tasks",
                            "plans, tasks, monthly progress and the problem ladder",
                            {uplift::tasks::TasksMigrations()});
  std::string registry_addr, calendar_dir, sweep_interval = "60s";
  rt.RequireAddress(&registry_addr, "--registry-addr", "UPLIFT_REGISTRY_ADDR",
                    "the uplift-registry address");
  rt.app()
      .add_option("--calendar-dir", calendar_dir,
                  "extra official calendars (cn-<year>.textproto) beyond the built-in years")
      ->envname("UPLIFT_CALENDAR_DIR");
  rt.app()
      .add_option("--sweep-interval", sweep_interval,
                  "how often overdue problems climb and reminders go out")
      ->envname("UPLIFT_TASKS_SWEEP_INTERVAL")
      ->capture_default_str();
  if (std::optional<int> exit = rt.Init(argc, argv)) return *exit;

  absl::StatusOr<absl::Duration> sweep = uplift::ParseDurationFlag("--sweep-interval", sweep_interval);
  absl::StatusOr<uplift::WorkingCalendar> calendar = uplift::WorkingCalendar::Builtin();
  absl::Status loaded = calendar.ok() && !calendar_dir.empty() ? calendar->LoadDirectory(calendar_dir)
                                                               : calendar.status();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> registry_channel = rt.Channel(registry_addr);
  for (const absl::Status& s : {sweep.status(), loaded, registry_channel.status()}) {
    if (!s.ok()) {
      spdlog::critical("uplift-tasks cannot start: {}", std::string(s.message()));
      return 2;
    }
  }
  const int year = uplift::ShanghaiDay(rt.clock()->Now()).year();
  if (!calendar->Covers(year)) {
    spdlog::warn("uplift-tasks: no official calendar for {}; deadlines count Monday to Friday "
                 "until cn-{}.textproto is added (--calendar-dir)",
                 year, year);
  }

  uplift::tasks::RegistryDirectoryGrpc registry(*registry_channel);
  uplift::tasks::TasksService service(rt.db(), rt.clock(), &*calendar, &registry,
                                      rt.service_token());
  service.RegisterEventHandlers(&rt.router());
  rt.Every("sweep", *sweep, [&service] {
    absl::StatusOr<uplift::tasks::SweepResult> r = service.Sweep();
    if (!r.ok()) {
      spdlog::warn("sweep failed: {}", r.status().ToString());
    } else if (r->escalated + r->overdue_at_top + r->co_handlers_overdue + r->reminders +
                   r->blocked >
               0) {
      spdlog::info(
          "sweep: {} escalated, {} overdue at the top rung, {} co-handlers reminded, "
          "{} reminders, {} skipped, {} cannot escalate",
          r->escalated, r->overdue_at_top, r->co_handlers_overdue, r->reminders, r->skipped,
          r->blocked);
    }
  });
  uplift::tasks::ProjectsService projects(rt.db(), rt.clock(), &registry, service.plan_cache());
  uplift::tasks::TasksGrpcService grpc_service(&service, &rt.auth());
  uplift::tasks::ProjectsGrpcService projects_grpc(&projects, &rt.auth());
  return rt.Serve({&grpc_service, &projects_grpc});
}

// The seed uplift-tasks' fuzz targets share: an equipment enterprise of
// 承安镇 in the fake registry, and the Xinle 2023 plan applied by its owner.
#pragma once

#include "common/clock.h"
#include "common/sql/store.h"
#include "common/working_calendar.h"
#include "fuzz/rpc_fuzz.h"
#include "services/registry/test_codes.h"
#include "services/tasks/fake_registry.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/xinle_plan_testdata.h"
#include "tests/support/test_env.h"

namespace uplift::fuzz {

// The plan owner who applied the plan.
inline Principal XinlePlanOwner() {
  return testing::TestPrincipal(uplift::auth::v1::ROLE_PLAN_OWNER, "dept-kgx", "科工信局");
}

// Seeds `db` and `registry`; returns the enterprise.
inline uplift::registry::v1::Enterprise SeedXinleTasks(sql::Store* db, const Clock* clock,
                                                       const WorkingCalendar* calendar,
                                                       tasks::FakeRegistry* registry) {
  uplift::registry::v1::Enterprise e;
  e.set_credit_code(registry::TestCreditCode(1));
  e.set_name("新乐市华信机械制造有限公司");
  e.set_cluster_id("equipment");
  e.set_township_id("town-chengan");
  registry->enterprises[e.credit_code()] = e;
  tasks::TasksService service(db, clock, calendar, registry, "service-token");
  uplift::tasks::v1::ApplyPlanRequest apply;
  *apply.mutable_plan() = tasks::LoadXinlePlan();
  MustOk(service.ApplyPlan(XinlePlanOwner(), apply).status(), "apply the Xinle plan");
  return e;
}

}  // namespace uplift::fuzz

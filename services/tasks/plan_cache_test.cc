// Tests of PlanCache: parsed once while the stored plan stands, parsed
// again when it is applied anew (here or by another replica), NOT_FOUND for
// a plan never applied.
#include "services/tasks/plan_cache.h"

#include <gtest/gtest.h>

#include "common/common_schema.h"
#include "common/sql/store.h"
#include "services/tasks/tasks_schema.h"
#include "services/tasks/tasks_store.h"
#include "tests/support/test_store.h"

namespace uplift::tasks {
namespace {

v1::Plan Plan(const std::string& hash, const std::string& provincial) {
  v1::Plan plan;
  plan.set_plan_id("xinle-2023");
  plan.set_year(2023);
  plan.set_content_hash(hash);
  plan.set_provincial_unit_id(provincial);
  return plan;
}

TEST(PlanCache, ParsesOnceWhileThePlanStandsAndAgainWhenApplied) {
  auto db = testing::OpenTestStore(sql::Engine::kSqlite, {CommonMigrations(), TasksMigrations()});
  ASSERT_NE(db, nullptr);
  PlanCache cache;
  auto save = [&](const v1::Plan& plan) {
    ASSERT_TRUE(db->Write([&](sql::Connection& tx) {
                    store::SavePlan(tx, plan);
                    return absl::OkStatus();
                  }).ok());
  };
  auto get = [&](const std::string& id) {
    absl::StatusOr<std::shared_ptr<const v1::Plan>> plan;
    EXPECT_TRUE(db->Read([&](sql::Connection& c) {
                    plan = cache.Get(c, id);
                    return absl::OkStatus();
                  }).ok());
    return plan;
  };
  EXPECT_EQ(get("xinle-2023").status().code(), absl::StatusCode::kNotFound);
  save(Plan("h1", "prov-a"));
  auto first = get("xinle-2023");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->provincial_unit_id(), "prov-a");
  auto again = get("xinle-2023");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->get(), again->get());  // the same parsed plan, not parsed anew
  save(Plan("h2", "prov-b"));
  auto changed = get("xinle-2023");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ((*changed)->provincial_unit_id(), "prov-b");
  EXPECT_EQ((*first)->provincial_unit_id(), "prov-a");  // a holder keeps what it had
}

}  // namespace
}  // namespace uplift::tasks

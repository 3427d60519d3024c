// The fixture of RegistryService's tests: the service on an in-memory
// database (each engine) with an injected clock, five units and a cluster,
// and helpers to create enterprises and read the outbox.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/common_schema.h"
#include "common/sql/query.h"
#include "common/time_util.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_service.h"
#include "services/registry/test_codes.h"
#include "tests/support/test_env.h"
#include "tests/support/test_store.h"

namespace uplift::registry {

using uplift::auth::v1::ROLE_ADMIN;
using uplift::auth::v1::ROLE_DEPARTMENT;
using uplift::auth::v1::ROLE_PLAN_OWNER;
using uplift::auth::v1::ROLE_TOWNSHIP;
using uplift::auth::v1::ROLE_VIEWER;

inline Principal Who(Role role, const std::string& unit = "",
                     const std::string& subject = "tester") {
  return uplift::testing::TestPrincipal(role, unit, subject);
}

inline std::string Code(int n) { return TestCreditCode(n); }

class RegistryServiceTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  // SQLite in memory, or `on_file` in the test's directory (to open again).
  explicit RegistryServiceTest(bool on_file = false)
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime())),
        db_(testing::OpenTestStore(GetParam(),
                                   on_file ? dir_.File("registry.db") : ":memory:", Migrations())),
        service_(db_.get(), &clock_) {
    Unit("dept-kgx", v1::UNIT_KIND_DEPARTMENT);
    Unit("leader-equipment", v1::UNIT_KIND_CITY_LEADER);
    Unit("town-a", v1::UNIT_KIND_TOWNSHIP);
    Unit("town-b", v1::UNIT_KIND_TOWNSHIP);
    Unit("zone", v1::UNIT_KIND_DEVELOPMENT_ZONE);
    v1::CreateClusterRequest req;
    req.mutable_cluster()->set_cluster_id("equipment");
    req.mutable_cluster()->set_name("装备制造产业集群");
    req.mutable_cluster()->set_liaison_leader_unit_id("leader-equipment");
    req.mutable_cluster()->set_lead_department_unit_id("dept-kgx");
    EXPECT_TRUE(service_.CreateCluster(admin_, req).ok());
  }

  void Unit(const std::string& id, v1::UnitKind kind) {
    v1::CreateUnitRequest req;
    req.mutable_unit()->set_unit_id(id);
    req.mutable_unit()->set_name(id + "名称");
    req.mutable_unit()->set_kind(kind);
    absl::StatusOr<v1::CreateUnitResponse> r = service_.CreateUnit(admin_, req);
    ASSERT_TRUE(r.ok()) << r.status();
  }

  v1::CreateEnterpriseRequest EnterpriseRequest(int n, const std::string& township = "town-a") {
    v1::CreateEnterpriseRequest req;
    v1::Enterprise* e = req.mutable_enterprise();
    e->set_credit_code(Code(n));
    e->set_name("新乐市测试企业" + std::to_string(n));
    e->set_cluster_id("equipment");
    e->set_township_id(township);
    return req;
  }

  static v1::UpdateEnterpriseRequest Rename(int n, const std::string& name) {
    v1::UpdateEnterpriseRequest update;
    update.mutable_enterprise()->set_credit_code(Code(n));
    update.mutable_enterprise()->set_name(name);
    update.mutable_update_mask()->add_paths("name");
    return update;
  }

  static v1::AwardTierRequest GazelleAward(int n) {
    v1::AwardTierRequest award;
    award.set_credit_code(Code(n));
    award.mutable_award()->set_tier(v1::TIER_GAZELLE);
    award.mutable_award()->set_level(v1::LEVEL_PROVINCE);
    award.mutable_award()->set_awarded_on("2023-05-01");
    award.mutable_award()->set_evidence("瞪羚认定");
    return award;
  }

  v1::Enterprise Create(int n, const std::string& township = "town-a") {
    absl::StatusOr<v1::CreateEnterpriseResponse> r =
        service_.CreateEnterprise(admin_, EnterpriseRequest(n, township));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->enterprise() : v1::Enterprise();
  }

  int Rows(const std::string& table) {
    int n = 0;
    EXPECT_TRUE(db_->Read([&](sql::Connection& c) {
                     n = sql::ScalarInt64(c, "SELECT COUNT(*) FROM " + table);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  // Types of the outbox events, oldest first.
  std::vector<std::string> EventTypes() {
    std::vector<std::string> types;
    EXPECT_TRUE(db_->Read([&](sql::Connection& c) {
                     sql::Query q(c, "SELECT type FROM outbox ORDER BY seq");
                     while (q.Step()) types.push_back(q.Text(0));
                     return absl::OkStatus();
                   })
                    .ok());
    return types;
  }

  // Asserts `status` failed with `code` and names `field` first, and that
  // no event or audit row was written.
  template <typename T>
  void ExpectRejected(const absl::StatusOr<T>& result, absl::StatusCode code,
                      const std::string& field) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), code) << result.status();
    EXPECT_EQ(result.status().message().substr(0, field.size()), field) << result.status();
  }

  static std::vector<MigrationSet> Migrations() {
    return {CommonMigrations(), RegistryMigrations()};
  }

  testing::TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<sql::Store> db_;
  RegistryService service_;
  Principal admin_ = Who(ROLE_ADMIN, "", "admin");
  Principal owner_ = Who(ROLE_PLAN_OWNER, "dept-kgx", "科工信局");
  Principal town_a_ = Who(ROLE_TOWNSHIP, "town-a", "承安镇专班");
  Principal viewer_ = Who(ROLE_VIEWER);
};

}  // namespace uplift::registry

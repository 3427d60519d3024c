// Tests of bulk import: bad rows reported with their line and reason, good
// rows kept, across batch boundaries.
#include "services/registry/enterprise_import.h"

#include <gtest/gtest.h>

#include "common/common_schema.h"
#include "common/sql/query.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/registry/credit_code.h"
#include "services/registry/registry_schema.h"
#include "services/registry/test_codes.h"
#include "tests/support/test_env.h"
#include "tests/support/test_store.h"

namespace uplift::registry {
namespace {

std::string Code(int n) { return TestCreditCode(n); }

class EnterpriseImportTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  EnterpriseImportTest()
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime())),
        db_(testing::OpenTestStore(GetParam(), {CommonMigrations(), RegistryMigrations()})),
        service_(db_.get(), &clock_) {
    admin_.role = uplift::auth::v1::ROLE_ADMIN;
    admin_.subject = "admin";
    for (auto [id, kind] : {std::pair{"dept", v1::UNIT_KIND_DEPARTMENT},
                            std::pair{"leader", v1::UNIT_KIND_CITY_LEADER},
                            std::pair{"town-a", v1::UNIT_KIND_TOWNSHIP},
                            std::pair{"town-b", v1::UNIT_KIND_TOWNSHIP}}) {
      v1::CreateUnitRequest u;
      u.mutable_unit()->set_unit_id(id);
      u.mutable_unit()->set_name(id);
      u.mutable_unit()->set_kind(kind);
      EXPECT_TRUE(service_.CreateUnit(admin_, u).ok());
    }
    v1::CreateClusterRequest c;
    c.mutable_cluster()->set_cluster_id("food");
    c.mutable_cluster()->set_name("食品加工产业集群");
    c.mutable_cluster()->set_liaison_leader_unit_id("leader");
    c.mutable_cluster()->set_lead_department_unit_id("dept");
    EXPECT_TRUE(service_.CreateCluster(admin_, c).ok());
  }

  v1::ImportEnterprisesRequest Row(int line, int n, const std::string& township = "town-a") {
    v1::ImportEnterprisesRequest r;
    r.set_line(line);
    r.mutable_enterprise()->set_credit_code(Code(n));
    r.mutable_enterprise()->set_name("食品企业" + std::to_string(n));
    r.mutable_enterprise()->set_cluster_id("food");
    r.mutable_enterprise()->set_township_id(township);
    return r;
  }

  int Enterprises() {
    int n = 0;
    EXPECT_TRUE(db_->Read([&](sql::Connection& c) {
                     n = sql::ScalarInt64(c, "SELECT COUNT(*) FROM enterprises");
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  ManualClock clock_;
  std::unique_ptr<sql::Store> db_;
  RegistryService service_;
  Principal admin_;
};

TEST_P(EnterpriseImportTest, KeepsGoodRowsAndReportsEachBadOne) {
  EnterpriseImport import(&service_, admin_, /*batch_size=*/4);
  for (int i = 0; i < 10; ++i) import.Add(Row(i + 2, i));
  v1::ImportEnterprisesRequest bad_code = Row(12, 100);
  bad_code.mutable_enterprise()->set_credit_code("91130184MA0000100X");
  import.Add(bad_code);
  import.Add(Row(13, 101, "town-nowhere"));
  v1::ImportEnterprisesRequest no_name = Row(14, 102);
  no_name.mutable_enterprise()->set_name("");
  import.Add(no_name);
  import.Add(Row(15, 3));  // the same row again: unchanged
  v1::ImportEnterprisesRequest changed = Row(16, 4);
  changed.mutable_enterprise()->set_name("另一个名字");
  import.Add(changed);  // same code, other data: duplicate
  v1::ImportEnterprisesResponse result = import.Finish();

  EXPECT_EQ(result.received(), 15);
  EXPECT_EQ(result.created(), 10);
  EXPECT_EQ(result.unchanged(), 1);
  EXPECT_EQ(result.updated(), 0);
  ASSERT_EQ(result.errors_size(), 4);
  EXPECT_EQ(result.errors(0).line(), 12);
  EXPECT_EQ(result.errors(0).code(), "INVALID_ARGUMENT");
  EXPECT_EQ(result.errors(0).message().substr(0, 23), "enterprise.credit_code:");
  EXPECT_EQ(result.errors(1).line(), 13);
  EXPECT_EQ(result.errors(1).message().substr(0, 22), "enterprise.township_id");
  EXPECT_EQ(result.errors(2).line(), 14);
  EXPECT_EQ(result.errors(2).message(), "enterprise.name: must not be empty");
  EXPECT_EQ(result.errors(3).line(), 16);
  EXPECT_EQ(result.errors(3).code(), "ALREADY_EXISTS");
  EXPECT_EQ(Enterprises(), 10);
}

TEST_P(EnterpriseImportTest, UpdateExistingChangesRegisteredRows) {
  {
    EnterpriseImport first(&service_, admin_);
    first.Add(Row(2, 1));
    ASSERT_EQ(first.Finish().created(), 1);
  }
  EnterpriseImport second(&service_, admin_);
  v1::ImportEnterprisesRequest row = Row(2, 1);
  row.set_update_existing(true);
  row.mutable_enterprise()->set_park("新乐经济开发区");
  second.Add(row);
  v1::ImportEnterprisesResponse result = second.Finish();
  EXPECT_EQ(result.updated(), 1);
  EXPECT_EQ(result.errors_size(), 0);
  v1::GetEnterpriseRequest get;
  get.set_credit_code(Code(1));
  EXPECT_EQ(service_.GetEnterprise(admin_, get)->enterprise().park(), "新乐经济开发区");
}

TEST_P(EnterpriseImportTest, TownshipRowsOfOtherTownshipsAreRefusedOneByOne) {
  Principal town;
  town.role = uplift::auth::v1::ROLE_TOWNSHIP;
  town.unit_id = "town-a";
  town.subject = "承安镇专班";
  EnterpriseImport import(&service_, town);
  import.Add(Row(2, 1, "town-a"));
  import.Add(Row(3, 2, "town-b"));
  v1::ImportEnterprisesResponse result = import.Finish();
  EXPECT_EQ(result.created(), 1);
  ASSERT_EQ(result.errors_size(), 1);
  EXPECT_EQ(result.errors(0).line(), 3);
  EXPECT_EQ(result.errors(0).code(), "PERMISSION_DENIED");
}

INSTANTIATE_TEST_SUITE_P(Engines, EnterpriseImportTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::registry

namespace uplift::registry {
namespace {

// Regression: every bad row was listed, so a large bad file made an answer
// past 4 MB and the client saw a failure although good rows were stored.
// The first rows are listed, all are counted, the good rows are kept.
TEST_P(EnterpriseImportTest, ErrorsAreCappedAndCounted) {
  EnterpriseImport import(&service_, admin_);
  const int bad = kMaxListedImportErrors + 500;
  for (int i = 0; i < bad; ++i) {
    v1::ImportEnterprisesRequest r = Row(i + 2, 10000 + i);
    r.mutable_enterprise()->set_cluster_id("no-such-cluster");
    import.Add(r);
  }
  import.Add(Row(bad + 2, 1));
  const v1::ImportEnterprisesResponse result = import.Finish();
  EXPECT_EQ(result.errors_size(), kMaxListedImportErrors);
  EXPECT_EQ(result.error_count(), bad);
  EXPECT_EQ(result.created(), 1);
  EXPECT_LT(result.ByteSizeLong(), 1u << 20);
}

}  // namespace
}  // namespace uplift::registry

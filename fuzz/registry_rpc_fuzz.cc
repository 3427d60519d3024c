// uplift-registry's logic under arbitrary requests of every RPC (the
// registry's and the token revocations'), from every role, on a registry
// seeded with units, a cluster, enterprises, a tier and a pool entry.
#include <fuzzer/FuzzedDataProvider.h>

#include "common/clock.h"
#include "common/common_schema.h"
#include "common/time_util.h"
#include "fuzz/rpc_fuzz.h"
#include "fuzz/seeded_database.h"
#include "services/registry/enterprise_import.h"
#include "services/registry/registry_grpc.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_service.h"
#include "services/registry/revocation_service.h"
#include "services/registry/test_codes.h"
#include "tests/support/test_env.h"

namespace uplift::fuzz {
namespace {

namespace v1 = uplift::registry::v1;
namespace av1 = uplift::auth::v1;

const std::vector<std::string> kUnits = {"dept-kgx", "dept-jrj", "leader-equipment",
                                         "town-a",   "town-b",   "zone"};

class RegistryWorld {
 public:
  RegistryWorld()
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime())),
        db_({CommonMigrations(), registry::RegistryMigrations()}),
        registry_(ServiceNamed("uplift.registry.v1.EnterpriseRegistry")),
        revocations_(ServiceNamed("uplift.auth.v1.TokenRevocations")) {
    using registry::RegistryService;
#define UPLIFT_FUZZ_UNARY(Method) registry_.Unary(#Method, &RegistryService::Method);
    UPLIFT_REGISTRY_UNARY_RPCS(UPLIFT_FUZZ_UNARY)
#undef UPLIFT_FUZZ_UNARY
    registry_.Unary("ListAuditRecords", &RegistryService::ListAuditRecords);
    registry_.Add("ImportEnterprises",
                  [](RegistryService& service, const Principal& who, const std::string& bytes) {
                    if (!service.ImportAllowed(who).ok()) return;
                    registry::EnterpriseImport import(&service, who, 4);
                    for (const auto& row : StreamMessages<v1::ImportEnterprisesRequest>(bytes)) {
                      import.Add(row);
                    }
                    (void)import.Finish();
                  });
    registry_.CheckComplete();
    revocations_.Unary("RevokeToken", &registry::RevocationService::RevokeToken);
    revocations_.Unary("ListRevokedTokens", &registry::RevocationService::ListRevokedTokens);
    revocations_.CheckComplete();
    Seed();
  }

  void Run(FuzzedDataProvider& input) {
    std::unique_ptr<sql::Store> db = db_.Fresh();
    if (input.ConsumeBool()) {
      registry::RegistryService service(db.get(), &clock_, 64);
      registry_.Run(service, input, kUnits);
    } else {
      registry::RevocationService service(db.get(), &clock_);
      revocations_.Run(service, input, kUnits);
    }
  }

 private:
  void Seed() {
    registry::RegistryService service(db_.seed(), &clock_);
    const Principal admin = testing::TestPrincipal(av1::ROLE_ADMIN, "", "seed");
    auto unit = [&](const std::string& id, v1::UnitKind kind) {
      v1::CreateUnitRequest req;
      req.mutable_unit()->set_unit_id(id);
      req.mutable_unit()->set_name(id + "名称");
      req.mutable_unit()->set_kind(kind);
      MustOk(service.CreateUnit(admin, req).status(), "seed a unit");
    };
    unit("dept-kgx", v1::UNIT_KIND_DEPARTMENT);
    unit("dept-jrj", v1::UNIT_KIND_DEPARTMENT);
    unit("leader-equipment", v1::UNIT_KIND_CITY_LEADER);
    unit("town-a", v1::UNIT_KIND_TOWNSHIP);
    unit("town-b", v1::UNIT_KIND_TOWNSHIP);
    unit("zone", v1::UNIT_KIND_DEVELOPMENT_ZONE);
    v1::CreateClusterRequest cluster;
    cluster.mutable_cluster()->set_cluster_id("equipment");
    cluster.mutable_cluster()->set_name("装备制造产业集群");
    cluster.mutable_cluster()->set_liaison_leader_unit_id("leader-equipment");
    cluster.mutable_cluster()->set_lead_department_unit_id("dept-kgx");
    MustOk(service.CreateCluster(admin, cluster).status(), "seed a cluster");
    for (int n = 1; n <= 4; ++n) {
      v1::CreateEnterpriseRequest e;
      e.mutable_enterprise()->set_credit_code(registry::TestCreditCode(n));
      e.mutable_enterprise()->set_name("新乐市测试企业" + std::to_string(n));
      e.mutable_enterprise()->set_cluster_id("equipment");
      e.mutable_enterprise()->set_township_id(n % 2 ? "town-a" : "town-b");
      MustOk(service.CreateEnterprise(admin, e).status(), "seed an enterprise");
    }
    v1::AwardTierRequest award;
    award.set_credit_code(registry::TestCreditCode(1));
    award.mutable_award()->set_tier(v1::TIER_SPECIALIZED_SME);
    award.mutable_award()->set_level(v1::LEVEL_PROVINCE);
    award.mutable_award()->set_awarded_on("2023-03-01");
    award.mutable_award()->set_evidence("冀工信〔2023〕12号");
    MustOk(service.AwardTier(admin, award).status(), "seed a tier award");
    v1::EnterListingPoolRequest pool;
    pool.set_credit_code(registry::TestCreditCode(2));
    pool.set_date("2023-05-01");
    MustOk(service.EnterListingPool(admin, pool).status(), "seed the listing pool");
  }

  ManualClock clock_;
  SeededDatabase db_;
  RpcTable<registry::RegistryService> registry_;
  RpcTable<registry::RevocationService> revocations_;
};

}  // namespace
}  // namespace uplift::fuzz

UPLIFT_FUZZ_WORLD(uplift::fuzz::RegistryWorld)

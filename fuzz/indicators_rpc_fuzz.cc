// uplift-indicators' logic under arbitrary requests of every RPC, from every
// role, on a county of two clusters and six enterprises with two years of
// monthly figures and the Xinle plan behind a fake uplift-tasks.
#include <fuzzer/FuzzedDataProvider.h>

#include "common/clock.h"
#include "common/common_schema.h"
#include "common/event_router.h"
#include "common/time_util.h"
#include "fuzz/event_seed.h"
#include "fuzz/rpc_fuzz.h"
#include "fuzz/seeded_database.h"
#include "services/indicators/fake_tasks.h"
#include "services/indicators/indicator_rules.h"
#include "services/indicators/indicators_grpc.h"
#include "services/indicators/indicators_schema.h"
#include "services/indicators/indicators_service.h"
#include "services/registry/test_codes.h"
#include "tests/support/test_env.h"
#include "uplift/registry/v1/registry_events.pb.h"

namespace uplift::fuzz {
namespace {

namespace v1 = uplift::indicators::v1;
namespace rv1 = uplift::registry::v1;
namespace av1 = uplift::auth::v1;
using indicators::IndicatorsService;

const std::vector<std::string> kUnits = {"dept-kgx", "leader-eq", "town-a", "town-b", "dept-mzj"};

class IndicatorsWorld {
 public:
  IndicatorsWorld()
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 10, 15, 10, 0, 0), ShanghaiTime())),
        db_({CommonMigrations(), indicators::IndicatorsMigrations()}),
        table_(ServiceNamed("uplift.indicators.v1.IndicatorAggregation")) {
    config_.rules = indicators::DefaultRules();
    config_.service_token = "service-token";
#define UPLIFT_FUZZ_UNARY(Method) table_.Unary(#Method, &IndicatorsService::Method);
    UPLIFT_INDICATORS_UNARY_RPCS(UPLIFT_FUZZ_UNARY)
#undef UPLIFT_FUZZ_UNARY
    table_.Unary("ListAuditRecords", &IndicatorsService::ListAuditRecords);
    table_.Add("ImportReports",
               [](IndicatorsService& service, const Principal& who, const std::string& bytes) {
                 v1::ImportReportsResponse tally;
                 for (const auto& batch : StreamMessages<v1::ImportReportsRequest>(bytes)) {
                   if (!service.ImportBatch(who, batch, &tally).ok()) return;
                 }
               });
    table_.CheckComplete();
    Seed();
  }

  void Run(FuzzedDataProvider& input) {
    std::unique_ptr<sql::Store> db = db_.Fresh();
    IndicatorsService service(db.get(), &clock_, &tasks_, config_);
    table_.Run(service, input, kUnits);
  }

 private:
  void Seed() {
    IndicatorsService service(db_.seed(), &clock_, &tasks_, config_);
    EventRouter router(db_.seed(), &clock_, nullptr);
    service.RegisterEventHandlers(&router);
    auto unit = [&](const std::string& id, const std::string& name, rv1::UnitKind kind) {
      rv1::UnitCreated u;
      u.mutable_unit()->set_unit_id(id);
      u.mutable_unit()->set_name(name);
      u.mutable_unit()->set_kind(kind);
      DeliverEvent(router, u);
    };
    unit("dept-kgx", "市科学技术和工业信息化局", rv1::UNIT_KIND_DEPARTMENT);
    unit("leader-eq", "包联市领导", rv1::UNIT_KIND_CITY_LEADER);
    unit("town-a", "承安镇", rv1::UNIT_KIND_TOWNSHIP);
    unit("town-b", "化皮镇", rv1::UNIT_KIND_TOWNSHIP);
    for (const char* id : {"equipment", "food"}) {
      rv1::ClusterCreated cluster;
      cluster.mutable_cluster()->set_cluster_id(id);
      cluster.mutable_cluster()->set_name(std::string(id) + "产业集群");
      cluster.mutable_cluster()->set_lead_department_unit_id("dept-kgx");
      cluster.mutable_cluster()->set_liaison_leader_unit_id("leader-eq");
      DeliverEvent(router, cluster);
    }
    const Principal admin = testing::TestPrincipal(av1::ROLE_ADMIN, "", "seed");
    v1::ImportReportsRequest batch;
    for (int n = 0; n < 6; ++n) {
      rv1::EnterpriseCreated e;
      e.mutable_enterprise()->set_credit_code(registry::TestCreditCode(n));
      e.mutable_enterprise()->set_name("企业" + std::to_string(n));
      e.mutable_enterprise()->set_cluster_id(n < 3 ? "equipment" : "food");
      e.mutable_enterprise()->set_township_id(n % 2 == 0 ? "town-a" : "town-b");
      DeliverEvent(router, e);
      for (int year : {2022, 2023}) {
        for (int m = 1; m <= (year == 2023 ? 9 : 12); ++m) {
          v1::MonthlyReport* report = batch.add_rows()->mutable_report();
          report->set_credit_code(registry::TestCreditCode(n));
          report->set_period(FormatPeriod(absl::CivilMonth(year, m)));
          v1::Figures* f = report->mutable_figures();
          f->set_revenue_fen(100000000 * (n + 1) + m * 1000000 + (year - 2022) * 12000000);
          f->set_output_value_fen(f->revenue_fen());
          f->set_tax_fen(f->revenue_fen() / 20);
          f->set_employees(50 + n);
          f->set_land_centi_mu(2000 + 100 * n);
        }
      }
    }
    v1::ImportReportsResponse tally;
    MustOk(service.ImportBatch(admin, batch, &tally), "import the seed reports");
    if (tally.error_count() != 0) MustOk(absl::InternalError(tally.DebugString()), "seed reports");
  }

  ManualClock clock_;
  SeededDatabase db_;
  indicators::FakeTasks tasks_;
  indicators::IndicatorsConfig config_;
  RpcTable<IndicatorsService> table_;
};

}  // namespace
}  // namespace uplift::fuzz

UPLIFT_FUZZ_WORLD(uplift::fuzz::IndicatorsWorld)

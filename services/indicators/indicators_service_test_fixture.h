// The fixture of IndicatorsService's tests: the service on a database of
// each engine, a ManualClock in mid-October 2023, a fake tasks service
// holding the shipped Xinle plan, and the registry's events delivered
// through the router: four units, two clusters, six enterprises.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/common_schema.h"
#include "common/event_router.h"
#include "common/sql/query.h"
#include "common/suite_catalog.h"
#include "common/time_util.h"
#include "services/indicators/fake_tasks.h"
#include "services/indicators/indicator_rules.h"
#include "services/indicators/indicators_schema.h"
#include "services/indicators/indicators_service.h"
#include "services/registry/test_codes.h"
#include "tests/support/test_env.h"
#include "tests/support/test_store.h"
#include "uplift/registry/v1/registry_events.pb.h"

namespace uplift::indicators {

namespace av1 = uplift::auth::v1;
namespace rv1 = uplift::registry::v1;
using uplift::registry::TestCreditCode;

inline Principal Who(av1::Role role, const std::string& unit,
                     const std::string& subject = "someone") {
  return uplift::testing::TestPrincipal(role, unit, subject);
}

inline v1::Figures Money(int64_t revenue_fen, int64_t tax_fen = 0, int64_t land_centi_mu = 0) {
  v1::Figures f;
  f.set_revenue_fen(revenue_fen);
  f.set_output_value_fen(revenue_fen);
  f.set_tax_fen(tax_fen);
  f.set_employees(50);
  f.set_land_centi_mu(land_centi_mu);
  return f;
}

class IndicatorsServiceTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  // Mid-October 2023: September's reports are due by 5 October.
  IndicatorsServiceTest()
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 10, 15, 10, 0, 0), ShanghaiTime())) {
    db_ = testing::OpenTestStore(GetParam(), {CommonMigrations(), IndicatorsMigrations()});
    IndicatorsConfig config;
    config.rules = DefaultRules();
    config.service_token = "service-token";
    service_ = std::make_unique<IndicatorsService>(db_.get(), &clock_, &tasks_, config);
    router_ = std::make_unique<EventRouter>(db_.get(), &clock_, nullptr);
    service_->RegisterEventHandlers(router_.get());
    Unit("dept-kgx", "市科学技术和工业信息化局", rv1::UNIT_KIND_DEPARTMENT);
    Unit("leader-eq", "包联市领导", rv1::UNIT_KIND_CITY_LEADER);
    Unit("town-a", "承安镇", rv1::UNIT_KIND_TOWNSHIP);
    Unit("town-b", "化皮镇", rv1::UNIT_KIND_TOWNSHIP);
    rv1::ClusterCreated cluster;
    cluster.mutable_cluster()->set_cluster_id("equipment");
    cluster.mutable_cluster()->set_name("装备制造产业集群");
    cluster.mutable_cluster()->set_lead_department_unit_id("dept-kgx");
    cluster.mutable_cluster()->set_liaison_leader_unit_id("leader-eq");
    Registry(cluster);
    cluster.mutable_cluster()->set_cluster_id("food");
    cluster.mutable_cluster()->set_name("食品产业集群");
    Registry(cluster);
    for (int n = 0; n < 6; ++n)
      Enterprise(n, n < 3 ? "equipment" : "food", n % 2 == 0 ? "town-a" : "town-b");
  }

  void Unit(const std::string& id, const std::string& name, rv1::UnitKind kind) {
    rv1::UnitCreated u;
    u.mutable_unit()->set_unit_id(id);
    u.mutable_unit()->set_name(name);
    u.mutable_unit()->set_kind(kind);
    Registry(u);
  }

  void Enterprise(int n, const std::string& cluster, const std::string& township) {
    rv1::EnterpriseCreated e;
    e.mutable_enterprise()->set_credit_code(TestCreditCode(n));
    e.mutable_enterprise()->set_name("企业" + std::to_string(n));
    e.mutable_enterprise()->set_cluster_id(cluster);
    e.mutable_enterprise()->set_township_id(township);
    Registry(e);
  }

  // An event of its own subject (so always applied), unless given one.
  StreamEvent Event(const google::protobuf::Message& payload, std::string subject = "",
                    int64_t version = 1) {
    StreamEvent e;
    e.event_id = "ev-" + std::to_string(++events_);
    e.type = payload.GetDescriptor()->full_name();
    e.subject = subject.empty() ? e.event_id : std::move(subject);
    e.version = version;
    payload.SerializeToString(&e.payload);
    return e;
  }
  // Delivered on its stream, as the consumer would.
  void Deliver(const StreamEvent& e, const google::protobuf::Message& payload) {
    ASSERT_TRUE(router_->Handle(*StreamOfMessage(payload.GetDescriptor()), e).ok());
  }
  void Registry(const google::protobuf::Message& payload) { Deliver(Event(payload), payload); }
  void Tasks(const google::protobuf::Message& payload) { Deliver(Event(payload), payload); }

  void Award(int n, rv1::Tier tier, const std::string& on, const std::string& award_id,
             const std::string& revoked_on = "") {
    rv1::TierAwarded a;
    a.mutable_enterprise()->set_credit_code(TestCreditCode(n));
    a.mutable_award()->set_award_id(award_id);
    a.mutable_award()->set_tier(tier);
    a.mutable_award()->set_level(rv1::LEVEL_PROVINCE);
    a.mutable_award()->set_awarded_on(on);
    if (revoked_on.empty()) {
      Registry(a);
      return;
    }
    rv1::TierRevoked r;
    *r.mutable_enterprise() = a.enterprise();
    *r.mutable_award() = a.award();
    r.mutable_award()->set_revoked_on(revoked_on);
    Registry(r);
  }

  absl::StatusOr<v1::SubmitReportResponse> Submit(int n, const std::string& period, v1::Figures f,
                                                  const Principal& who) {
    v1::SubmitReportRequest req;
    req.mutable_report()->set_credit_code(TestCreditCode(n));
    req.mutable_report()->set_period(period);
    *req.mutable_report()->mutable_figures() = f;
    return service_->SubmitReport(who, req);
  }

  // Months 1..last of `year` for enterprise n, revenue `base` + month.
  void Months(int n, int year, int last, int64_t base, int64_t tax = 0, int64_t land = 0) {
    v1::ImportReportsRequest batch;
    for (int m = 1; m <= last; ++m) {
      v1::ReportRow* row = batch.add_rows();
      row->mutable_report()->set_credit_code(TestCreditCode(n));
      row->mutable_report()->set_period(FormatPeriod(absl::CivilMonth(year, m)));
      *row->mutable_report()->mutable_figures() = Money(base + m, tax, land);
    }
    v1::ImportReportsResponse tally;
    ASSERT_TRUE(service_->ImportBatch(admin_, batch, &tally).ok());
    ASSERT_EQ(tally.error_count(), 0) << tally.DebugString();
  }

  int64_t OutboxCount(const std::string& stream, const std::string& type) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](sql::Connection& db) {
                     sql::Query q(db, "SELECT COUNT(*) FROM outbox WHERE stream = ? AND type = ?");
                     q.Bind(1, stream);
                     q.Bind(2, type);
                     q.Step();
                     n = q.Int64(0);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  std::vector<v1::IndicatorAlert> Alerts() {
    std::vector<v1::IndicatorAlert> out;
    EXPECT_TRUE(db_->Read([&](sql::Connection& db) {
                     sql::Query q(db, "SELECT payload FROM outbox WHERE stream = ? ORDER BY seq");
                     q.Bind(1, std::string("uplift:alerts"));
                     while (q.Step()) {
                       v1::IndicatorAlert a;
                       a.ParseFromString(q.Text(0));
                       out.push_back(a);
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }

  const v1::CountedTarget* Target(const v1::GetTargetProgressResponse& p, const std::string& id) {
    for (const v1::CountedTarget& t : p.targets()) {
      if (t.target_id() == id) return &t;
    }
    return nullptr;
  }

  ManualClock clock_;
  FakeTasks tasks_;
  std::unique_ptr<sql::Store> db_;
  std::unique_ptr<IndicatorsService> service_;
  std::unique_ptr<EventRouter> router_;
  int events_ = 0;
  Principal admin_ = Who(av1::ROLE_ADMIN, "", "admin");
  Principal owner_ = Who(av1::ROLE_PLAN_OWNER, "dept-kgx", "科工信局");
  Principal town_a_ = Who(av1::ROLE_TOWNSHIP, "town-a", "承安镇专班");
};

}  // namespace uplift::indicators

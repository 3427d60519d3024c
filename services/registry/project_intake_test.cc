// 新建投产入统: which project steps matter to the registry (IntakeOf), and
// the registry applying uplift-tasks' ProjectChanged events through its
// router: an enterprise whose project reaches 投产 enters the above-size
// pool once, and the 入统 milestone makes it above size from that day.
#include "services/registry/project_intake.h"

#include <gtest/gtest.h>

#include "common/event_router.h"
#include "common/suite_catalog.h"
#include "services/registry/registry_service_test_fixture.h"

namespace uplift::registry {
namespace {

namespace tv1 = uplift::tasks::v1;
using Step = tv1::ProjectStep;

tv1::ProjectChanged Change(const std::string& code, Step::Action action, tv1::ProjectPhase phase,
                           const std::string& on,
                           tv1::MilestoneKind milestone = tv1::MILESTONE_KIND_UNSPECIFIED) {
  tv1::ProjectChanged c;
  c.mutable_project()->set_project_id("pj-0000000000a1");
  c.mutable_project()->set_name("智能装备产业园项目");
  c.mutable_project()->set_ledger_number("XL-2023-001");
  c.mutable_project()->set_credit_code(code);
  c.mutable_project()->set_phase(phase);
  c.mutable_step()->set_action(action);
  c.mutable_step()->set_phase(phase);
  c.mutable_step()->set_on(on);
  c.mutable_step()->set_milestone(milestone);
  return c;
}

TEST(ProjectIntake, OnlyProductionAndStatisticsStepsOfANamedEnterpriseMatter) {
  using Kind = ProjectIntake::Kind;
  const std::string code = TestCreditCode(1);
  const ProjectIntake produced =
      IntakeOf(Change(code, Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_PRODUCTION, "2023-05-10"));
  EXPECT_EQ(produced.kind, Kind::kEnterPool);
  EXPECT_EQ(produced.credit_code, code);
  EXPECT_EQ(produced.on, "2023-05-10");
  EXPECT_EQ(produced.note, "新建投产入统：智能装备产业园项目（XL-2023-001） 投产");
  EXPECT_EQ(IntakeOf(Change(code, Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_FULL_PRODUCTION,
                            "2023-05-10"))
                .kind,
            Kind::kEnterPool);
  EXPECT_EQ(
      IntakeOf(Change(code, Step::ACTION_CREATED, tv1::PROJECT_PHASE_PRODUCTION, "2023-01-03"))
          .kind,
      Kind::kEnterPool);
  EXPECT_EQ(
      IntakeOf(Change(code, Step::ACTION_RESUMED, tv1::PROJECT_PHASE_PRODUCTION, "2023-01-03"))
          .kind,
      Kind::kEnterPool);
  EXPECT_EQ(IntakeOf(Change(code, Step::ACTION_MILESTONE_REACHED, tv1::PROJECT_PHASE_CONSTRUCTION,
                            "2023-04-01", tv1::MILESTONE_KIND_IN_PRODUCTION))
                .kind,
            Kind::kEnterPool);
  const ProjectIntake counted =
      IntakeOf(Change(code, Step::ACTION_MILESTONE_REACHED, tv1::PROJECT_PHASE_PRODUCTION,
                      "2023-06-01", tv1::MILESTONE_KIND_IN_STATISTICS));
  EXPECT_EQ(counted.kind, Kind::kMarkAboveSize);
  EXPECT_EQ(counted.on, "2023-06-01");
  // Everything else: earlier phases, 停缓建, other milestones, no enterprise.
  EXPECT_EQ(
      IntakeOf(Change(code, Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_CONSTRUCTION, "2023-05-10"))
          .kind,
      Kind::kNone);
  EXPECT_EQ(
      IntakeOf(Change(code, Step::ACTION_SUSPENDED, tv1::PROJECT_PHASE_SUSPENDED, "2023-05-10"))
          .kind,
      Kind::kNone);
  EXPECT_EQ(IntakeOf(Change(code, Step::ACTION_MILESTONE_REACHED, tv1::PROJECT_PHASE_CONSTRUCTION,
                            "2023-04-01", tv1::MILESTONE_KIND_STARTED))
                .kind,
            Kind::kNone);
  EXPECT_EQ(IntakeOf(Change(code, Step::ACTION_MILESTONE_REPLANNED, tv1::PROJECT_PHASE_PRODUCTION,
                            "2023-09-01", tv1::MILESTONE_KIND_IN_STATISTICS))
                .kind,
            Kind::kNone);
  EXPECT_EQ(
      IntakeOf(Change("", Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_PRODUCTION, "2023-05-10")).kind,
      Kind::kNone);
}

class RegistryProjectIntakeTest : public RegistryServiceTest {
 protected:
  RegistryProjectIntakeTest() : router_(db_.get(), &clock_, nullptr) {
    service_.RegisterEventHandlers(&router_);
  }
  // Delivered on uplift:events:projects as the consumer would, each a newer
  // version of the project.
  void Deliver(const tv1::ProjectChanged& change) {
    StreamEvent e;
    e.event_id = "ev-" + std::to_string(++version_);
    e.type = change.GetDescriptor()->full_name();
    e.source = "uplift-tasks";
    e.subject = "project/" + change.project().project_id();
    e.version = version_;
    change.SerializeToString(&e.payload);
    absl::Status s = router_.Handle(*StreamOfMessage(change.GetDescriptor()), e);
    ASSERT_TRUE(s.ok()) << s;
  }
  v1::Enterprise Get(int n) {
    v1::GetEnterpriseRequest req;
    req.set_credit_code(Code(n));
    absl::StatusOr<v1::GetEnterpriseResponse> r = service_.GetEnterprise(viewer_, req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->enterprise() : v1::Enterprise();
  }
  std::vector<v1::PoolHistoryEntry> History(int n) {
    v1::ListPoolHistoryRequest req;
    req.set_credit_code(Code(n));
    absl::StatusOr<v1::ListPoolHistoryResponse> r = service_.ListPoolHistory(viewer_, req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? std::vector<v1::PoolHistoryEntry>(r->entries().begin(), r->entries().end())
                  : std::vector<v1::PoolHistoryEntry>();
  }

  EventRouter router_;
  int64_t version_ = 0;
};

TEST_P(RegistryProjectIntakeTest, AProjectInProductionPutsItsEnterpriseInThePoolThenAboveSize) {
  Create(1);
  const int events = Rows("outbox");
  Deliver(Change(Code(1), Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_CONSTRUCTION, "2023-03-01"));
  EXPECT_FALSE(Get(1).in_above_size_pool());
  EXPECT_EQ(Rows("outbox"), events);

  Deliver(Change(Code(1), Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_PRODUCTION, "2023-05-10"));
  v1::Enterprise e = Get(1);
  EXPECT_TRUE(e.in_above_size_pool());
  EXPECT_EQ(e.above_size_pool_since(), "2023-05-10");
  std::vector<v1::PoolHistoryEntry> history = History(1);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].action(), v1::PoolHistoryEntry::ACTION_ENTERED);
  EXPECT_EQ(history[0].note(), "新建投产入统：智能装备产业园项目（XL-2023-001） 投产");
  EXPECT_EQ(history[0].actor(), "system");
  EXPECT_EQ(EventTypes().back(), "uplift.registry.v1.PoolChanged");

  // 达产 later, or the event again: the enterprise is in the pool already.
  Deliver(Change(Code(1), Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_FULL_PRODUCTION, "2023-06-10"));
  EXPECT_EQ(History(1).size(), 1u);

  // 入统: above size from that day, graduating from the pool.
  Deliver(Change(Code(1), Step::ACTION_MILESTONE_REACHED, tv1::PROJECT_PHASE_FULL_PRODUCTION,
                 "2023-07-01", tv1::MILESTONE_KIND_IN_STATISTICS));
  e = Get(1);
  EXPECT_TRUE(e.above_size());
  EXPECT_EQ(e.above_size_since(), "2023-07-01");
  EXPECT_FALSE(e.in_above_size_pool());
  history = History(1);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].action(), v1::PoolHistoryEntry::ACTION_GRADUATED);
  EXPECT_EQ(EventTypes().back(), "uplift.registry.v1.AboveSizeReached");

  // Once above size, a later step changes nothing.
  const int after = Rows("outbox");
  Deliver(Change(Code(1), Step::ACTION_MILESTONE_REACHED, tv1::PROJECT_PHASE_FULL_PRODUCTION,
                 "2023-07-02", tv1::MILESTONE_KIND_IN_STATISTICS));
  EXPECT_EQ(Get(1).above_size_since(), "2023-07-01");
  EXPECT_EQ(Rows("outbox"), after);
}

TEST_P(RegistryProjectIntakeTest, APersonsDecisionStandsAndUnknownEnterprisesAreSkipped) {
  Create(2);
  Deliver(Change(Code(2), Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_PRODUCTION, "2023-05-10"));
  ASSERT_TRUE(Get(2).in_above_size_pool());
  v1::LeaveAboveSizePoolRequest leave;
  leave.set_credit_code(Code(2));
  leave.set_date("2023-05-20");
  leave.set_reason("产值不足，暂不培育");
  ASSERT_TRUE(service_.LeaveAboveSizePool(owner_, leave).ok());
  // The same project's next step does not put it back.
  Deliver(Change(Code(2), Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_FULL_PRODUCTION, "2023-05-25"));
  EXPECT_FALSE(Get(2).in_above_size_pool());
  EXPECT_EQ(History(2).size(), 2u);

  // An enterprise not registered yet (the project names its investor only
  // by code), and an unreadable code: the event applies and changes nothing.
  const int events = Rows("outbox");
  Deliver(Change(Code(3), Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_PRODUCTION, "2023-05-10"));
  Deliver(Change("不是代码", Step::ACTION_ADVANCED, tv1::PROJECT_PHASE_PRODUCTION, "2023-05-10"));
  EXPECT_EQ(Rows("outbox"), events);
}

INSTANTIATE_TEST_SUITE_P(Engines, RegistryProjectIntakeTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::registry

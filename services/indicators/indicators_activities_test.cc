// 服务活动台账 through IndicatorsService on both engines: an activity is
// recorded once, by its organiser (the same event from a second unit is
// refused naming the first, a retry returns it), bad input names its field
// and stores nothing, and the activity targets are counted from the
// records: 场次, 家次, and coverage over the registry with those not yet
// covered named.
#include "services/indicators/indicators_service_test_fixture.h"

namespace uplift::indicators {
namespace {

class IndicatorsActivitiesTest : public IndicatorsServiceTest {
 protected:
  v1::Activity Activity(const std::string& day, v1::ActivityKind kind, const std::string& title,
                        const std::vector<int>& enterprises) {
    v1::Activity a;
    a.set_held_on(day);
    a.set_kind(kind);
    a.set_title(title);
    for (int n : enterprises) a.add_credit_codes(TestCreditCode(n));
    return a;
  }
  absl::StatusOr<v1::RecordActivityResponse> Record(const Principal& who, const v1::Activity& a) {
    v1::RecordActivityRequest req;
    *req.mutable_activity() = a;
    return service_->RecordActivity(who, req);
  }
  int Listed(v1::ListActivitiesRequest req = {}) {
    req.set_year(2023);
    auto r = service_->ListActivities(owner_, req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->activities_size() : -1;
  }
  v1::GetTargetProgressResponse Progress() {
    v1::GetTargetProgressRequest req;
    req.set_plan_id("xinle-2023");
    req.set_period("2023-09");
    auto r = service_->GetTargetProgress(owner_, req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : v1::GetTargetProgressResponse();
  }
};

TEST_P(IndicatorsActivitiesTest, AnActivityIsRecordedOnceByItsOrganiserAndCountedOnce) {
  const v1::Activity talk =
      Activity("2023-06-10", v1::ACTIVITY_KIND_SERVICE_EVENT, "惠企政策宣讲会", {0, 1, 2, 3});
  auto recorded = Record(owner_, talk);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->activity().organiser_unit_id(), "dept-kgx");
  EXPECT_EQ(recorded->activity().organiser_unit_name(), "市科学技术和工业信息化局");
  EXPECT_FALSE(recorded->existing());

  v1::Activity again = talk;
  again.set_title("惠企政策 宣讲会");  // the township reports the same event
  auto twice = Record(town_a_, again);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(twice.status().message().find("市科学技术和工业信息化局"), std::string::npos)
      << twice.status();
  auto retry = Record(owner_, talk);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->existing());
  EXPECT_EQ(retry->activity().activity_id(), recorded->activity().activity_id());

  ASSERT_TRUE(Record(town_a_, Activity("2023-07-01", v1::ACTIVITY_KIND_SERVICE_EVENT, "产销对接会",
                                       {0, 2, 4}))
                  .ok());
  ASSERT_TRUE(
      Record(town_a_, Activity("2023-10-02", v1::ACTIVITY_KIND_SERVICE_EVENT, "十月对接会", {5}))
          .ok());
  const v1::GetTargetProgressResponse progress = Progress();
  const v1::CountedTarget* events = Target(progress, "service-events");
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(events->achieved(), 2) << "each event once; October is after the period";
  EXPECT_EQ(events->source(), "服务活动台账");
  const v1::CountedTarget* served = Target(progress, "enterprise-services");
  ASSERT_NE(served, nullptr);
  EXPECT_EQ(served->achieved(), 7) << "4 + 3 家次";

  v1::ListActivitiesRequest by_kind;
  by_kind.set_kind(v1::ACTIVITY_KIND_TECH_DIAGNOSIS);
  EXPECT_EQ(Listed(), 3);
  EXPECT_EQ(Listed(by_kind), 0);
  v1::ListActivitiesRequest by_code;
  by_code.set_credit_code(TestCreditCode(2));
  EXPECT_EQ(Listed(by_code), 2);
  v1::ListActivitiesRequest by_unit;
  by_unit.set_organiser_unit_id("town-a");
  EXPECT_EQ(Listed(by_unit), 2);
  v1::ListActivitiesRequest page;
  page.set_year(2023);
  page.set_page_size(2);
  auto first = service_->ListActivities(owner_, page);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->activities_size(), 2);
  EXPECT_EQ(first->activities(0).held_on(), "2023-10-02") << "latest first";
  page.set_page_token(first->next_page_token());
  auto second = service_->ListActivities(owner_, page);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->activities_size(), 1);
  EXPECT_EQ(second->activities(0).held_on(), "2023-06-10");
}

TEST_P(IndicatorsActivitiesTest, BadInputNamesItsFieldAndStoresNothing) {
  const v1::Activity good =
      Activity("2023-06-10", v1::ACTIVITY_KIND_SERVICE_EVENT, "银企对接会", {0, 1});
  struct Case {
    std::function<void(v1::Activity*)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](v1::Activity* a) { a->set_held_on("2023-10-16"); }, "activity.held_on"},
      {[](v1::Activity* a) { a->set_held_on("2023-6-10"); }, "activity.held_on"},
      {[](v1::Activity* a) { a->set_kind(v1::ACTIVITY_KIND_UNSPECIFIED); }, "activity.kind"},
      {[](v1::Activity* a) { a->set_title(" "); }, "activity.title"},
      {[](v1::Activity* a) { a->add_credit_codes(TestCreditCode(50)); },
       "activity.credit_codes[2]"},
      {[](v1::Activity* a) { a->set_credit_codes(0, "123"); }, "activity.credit_codes[0]"},
      {[](v1::Activity* a) { a->add_credit_codes(TestCreditCode(0)); }, "activity.credit_codes[2]"},
      {[](v1::Activity* a) { a->add_cluster_ids("food"); }, "activity.cluster_ids[0]"},
      {[](v1::Activity* a) { a->clear_credit_codes(); }, "activity.credit_codes"},
  };
  for (const Case& c : cases) {
    v1::Activity a = good;
    c.spoil(&a);
    auto r = Record(owner_, a);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(r.status().message().rfind(c.field + ":", 0), 0u) << c.field << ": " << r.status();
  }
  v1::Activity theirs = good;
  theirs.set_organiser_unit_id("dept-kgx");
  EXPECT_EQ(Record(town_a_, theirs).status().code(), absl::StatusCode::kPermissionDenied)
      << "a township records its own activities only";
  EXPECT_EQ(Record(Who(av1::ROLE_VIEWER, ""), good).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Listed(), 0);
}

TEST_P(IndicatorsActivitiesTest, CoverageIsCountedAgainstTheRegistryWithTheUncoveredNamed) {
  for (int n = 0; n < 3; ++n) {
    Award(n, rv1::TIER_FRONT_RUNNER, "2023-03-01", "aw-front-" + std::to_string(n));
  }
  ASSERT_TRUE(Record(owner_, Activity("2023-05-01", v1::ACTIVITY_KIND_TECH_DIAGNOSIS,
                                      "科技巡诊（第一批）", {0, 4}))
                  .ok());
  v1::Activity research =
      Activity("2023-05-20", v1::ACTIVITY_KIND_RESEARCH_SERVICE, "河北科技大学食品学院进集群", {});
  research.add_cluster_ids("food");
  ASSERT_TRUE(Record(owner_, research).ok());

  v1::GetTargetProgressResponse progress = Progress();
  const v1::CountedTarget* diagnosis = Target(progress, "tech-diagnosis-coverage");
  ASSERT_NE(diagnosis, nullptr);
  EXPECT_EQ(diagnosis->population(), 3) << "the registry's 领跑者";
  EXPECT_EQ(diagnosis->achieved(), 3333) << "1 of 3; enterprise 4 is no 领跑者";
  EXPECT_FALSE(diagnosis->met());
  EXPECT_EQ(diagnosis->candidates(), 2);
  EXPECT_EQ(std::vector<std::string>(diagnosis->candidate_codes().begin(),
                                     diagnosis->candidate_codes().end()),
            (std::vector<std::string>{TestCreditCode(1), TestCreditCode(2)}));
  EXPECT_EQ(diagnosis->candidate_names(0), "企业1");
  EXPECT_EQ(diagnosis->note(), "已覆盖1家，共3家，未覆盖2家");
  const v1::CountedTarget* finance = Target(progress, "financial-service-coverage");
  ASSERT_NE(finance, nullptr);
  EXPECT_EQ(finance->achieved(), 0);
  EXPECT_EQ(finance->candidates(), 3);
  const v1::CountedTarget* clusters = Target(progress, "key-cluster-coverage");
  ASSERT_NE(clusters, nullptr);
  EXPECT_EQ(clusters->achieved(), 5000);
  EXPECT_EQ(clusters->candidate_names(0), "装备制造产业集群");
  const v1::CountedTarget* assessment = Target(progress, "integration-assessment-coverage");
  ASSERT_NE(assessment, nullptr);
  EXPECT_EQ(assessment->population(), 0) << "no above-size enterprise yet";
  EXPECT_FALSE(assessment->met()) << "an empty population is no 100 %";

  rv1::EnterpriseCreated big;
  big.mutable_enterprise()->set_credit_code(TestCreditCode(6));
  big.mutable_enterprise()->set_name("企业6");
  big.mutable_enterprise()->set_cluster_id("equipment");
  big.mutable_enterprise()->set_township_id("town-a");
  big.mutable_enterprise()->set_above_size(true);
  big.mutable_enterprise()->set_above_size_since("2022-01-01");
  Registry(big);
  ASSERT_TRUE(Record(owner_, Activity("2023-08-08", v1::ACTIVITY_KIND_INTEGRATION_ASSESSMENT,
                                      "两化融合评估", {6}))
                  .ok());
  progress = Progress();
  assessment = Target(progress, "integration-assessment-coverage");
  ASSERT_NE(assessment, nullptr);
  EXPECT_EQ(assessment->achieved(), 10000);
  EXPECT_TRUE(assessment->met());
  EXPECT_EQ(assessment->note(), "已全覆盖（1家）");
}

INSTANTIATE_TEST_SUITE_P(Engines, IndicatorsActivitiesTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::indicators

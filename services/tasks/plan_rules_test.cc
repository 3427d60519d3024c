// Plan checks: a minimal valid plan, and each kind of mistake named by its path.
#include "services/tasks/plan_rules.h"

#include <gtest/gtest.h>

#include <google/protobuf/text_format.h>

namespace uplift::tasks {
namespace {

constexpr char kMinimal[] = R"pb(
  plan_id: "demo-2023" year: 2023 title: "示例方案" owner_unit_id: "dept-a" reporting_day: 5
  provincial_unit_id: "prov"
  units { unit_id: "dept-a" name: "科工信局" kind: UNIT_KIND_DEPARTMENT }
  units { unit_id: "town-a" name: "承安镇" kind: UNIT_KIND_TOWNSHIP }
  units { unit_id: "zone" name: "开发区" kind: UNIT_KIND_DEVELOPMENT_ZONE }
  units { unit_id: "leader-a" name: "包联领导" kind: UNIT_KIND_CITY_LEADER }
  units { unit_id: "prov" name: "省市部门" kind: UNIT_KIND_PROVINCE_PREFECTURE }
  clusters { cluster_id: "equipment" name: "装备制造" liaison_leader_unit_id: "leader-a" lead_department_unit_id: "dept-a" }
  problem_categories { category_id: "land" name: "用地" responsible_department_unit_id: "dept-a" time_limit_working_days: 5 }
  programmes { programme_id: "2.1" number: "二(一)" title: "工程" }
  tasks {
    task_id: "2.1.1" number: "二(一)1" programme_id: "2.1" title: "任务"
    responsible_unit_ids: "dept-a"
    targets { target_id: "events" metric: METRIC_SERVICE_EVENTS value: 5 unit: "场次" counted_by: COUNTED_BY_UNIT_REPORTS }
  }
)pb";

v1::Plan Minimal() {
  v1::Plan plan;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kMinimal, &plan));
  return plan;
}

TEST(PlanRules, AcceptsAMinimalPlanAndFillsDefaults) {
  v1::Plan plan = Minimal();
  ASSERT_TRUE(NormalizeAndCheckPlan(&plan).ok()) << NormalizeAndCheckPlan(&plan);
  EXPECT_EQ(plan.tasks(0).due_on(), "2023-12-31");
  EXPECT_EQ(CoOwnerUnits(plan), (std::vector<std::string>{"town-a", "zone"}));
}

TEST(PlanRules, EachMistakeIsNamedByItsPath) {
  struct Case {
    std::function<void(v1::Plan*)> breaker;
    std::string path;
  };
  std::vector<Case> cases = {
      {[](v1::Plan* p) { p->set_plan_id("Demo 2023"); }, "plan.plan_id:"},
      {[](v1::Plan* p) { p->set_reporting_day(31); }, "plan.reporting_day:"},
      {[](v1::Plan* p) { p->set_owner_unit_id("town-a"); }, "plan.owner_unit_id:"},
      {[](v1::Plan* p) { p->mutable_units(1)->set_unit_id("dept-a"); }, "plan.units[1].unit_id:"},
      {[](v1::Plan* p) { p->mutable_clusters(0)->set_liaison_leader_unit_id("dept-a"); },
       "plan.clusters[0].liaison_leader_unit_id:"},
      {[](v1::Plan* p) { p->mutable_problem_categories(0)->set_time_limit_working_days(0); },
       "plan.problem_categories[0].time_limit_working_days:"},
      {[](v1::Plan* p) {
         p->mutable_problem_categories(0)->set_extension_approver(
             static_cast<v1::ExtensionApprover>(7));
       },
       "plan.problem_categories[0].extension_approver:"},
      {[](v1::Plan* p) { p->mutable_tasks(0)->set_task_id("task one"); }, "plan.tasks[0].task_id:"},
      {[](v1::Plan* p) { p->mutable_tasks(0)->set_programme_id("9.9"); },
       "plan.tasks[0].programme_id:"},
      {[](v1::Plan* p) { p->mutable_tasks(0)->add_responsible_unit_ids("nobody"); },
       "plan.tasks[0].responsible_unit_ids[1]:"},
      {[](v1::Plan* p) { p->mutable_tasks(0)->add_responsible_unit_ids("dept-a"); },
       "plan.tasks[0].responsible_unit_ids[1]:"},
      {[](v1::Plan* p) { p->mutable_tasks(0)->set_due_on("2024-01-31"); }, "plan.tasks[0].due_on:"},
      {[](v1::Plan* p) { p->mutable_tasks(0)->mutable_targets(0)->set_value(0); },
       "plan.tasks[0].targets[0].value:"},
      {[](v1::Plan* p) { p->mutable_tasks(0)->mutable_targets(0)->set_stretch_value(3); },
       "plan.tasks[0].targets[0].stretch_value:"},
      {[](v1::Plan* p) {
         p->mutable_tasks(0)->mutable_targets(0)->set_counted_by(v1::COUNTED_BY_UNSPECIFIED);
       },
       "plan.tasks[0].targets[0].counted_by:"},
      {[](v1::Plan* p) { p->clear_problem_categories(); }, "plan.problem_categories:"},
      {[](v1::Plan* p) {
         v1::Milestone* m = p->mutable_tasks(0)->add_milestones();
         m->set_quarter(5);
         m->set_text("完成");
       },
       "plan.tasks[0].milestones[0].quarter:"},
      {[](v1::Plan* p) {
         for (int i = 0; i < 2; ++i) {
           v1::Milestone* m = p->mutable_tasks(0)->add_milestones();
           m->set_quarter(2);
           m->set_text("完成走访");
         }
       },
       "plan.tasks[0].milestones[1].quarter:"},
      {[](v1::Plan* p) { p->mutable_tasks(0)->add_milestones()->set_quarter(1); },
       "plan.tasks[0].milestones[0].text:"},
  };
  for (const Case& c : cases) {
    v1::Plan plan = Minimal();
    c.breaker(&plan);
    absl::Status s = NormalizeAndCheckPlan(&plan);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.path;
    EXPECT_EQ(s.message().substr(0, c.path.size()), c.path) << s;
  }
}

TEST(PlanRules, TaskIds) {
  EXPECT_TRUE(CheckTaskId("t", "2.2.1").ok());
  EXPECT_TRUE(CheckTaskId("t", "3").ok());
  for (const char* bad : {"", ".1", "1.", "1..2", "a.1", "1.2a"}) EXPECT_FALSE(CheckTaskId("t", bad).ok()) << bad;
}

}  // namespace
}  // namespace uplift::tasks

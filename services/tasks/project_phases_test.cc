// Tests of ProjectPhases: forward-only phases, 停缓建 and resuming,
// milestones, the checks of a new project, and the colour.
#include "services/tasks/project_phases.h"

#include <gtest/gtest.h>

namespace uplift::tasks {
namespace {

using absl::CivilDay;

v1::Project NewProject() {
  v1::Project p;
  p.set_name("年产5万吨高端装备零部件项目");
  p.set_investor("新乐华宝装备有限公司");
  p.set_cluster_id("cluster-equipment");
  p.set_township_id("town-chengan");
  p.set_department_unit_id("dept-fgj");
  p.set_kind(v1::PROJECT_KIND_NEW);
  p.set_source(v1::PROJECT_SOURCE_INVESTMENT_ATTRACTION);
  p.set_total_investment_fen(50000 * 1000000LL);  // 5亿元
  p.set_planned_investment_fen(12000 * 1000000LL);
  p.set_year(2023);
  return p;
}

void ExpectFieldError(const absl::Status& s, const std::string& field) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(std::string(s.message()).rfind(field + ":", 0), 0u) << s;
}

TEST(ProjectPhases, PhasesGoForwardOnlyAndReachTheirMilestones) {
  v1::Project p = NewProject();
  ASSERT_TRUE(
      ProjectPhases::CheckNew(&p, v1::PROJECT_PHASE_UNSPECIFIED, CivilDay(2023, 3, 1)).ok());
  ProjectPhases::Create(&p, v1::PROJECT_PHASE_UNSPECIFIED, CivilDay(2023, 3, 1));
  EXPECT_EQ(p.phase(), v1::PROJECT_PHASE_PLANNING);

  // 谋划 -> 前期 skips 签约 and records its milestone on the day.
  auto step = ProjectPhases::Advance(&p, v1::PROJECT_PHASE_PREPARATION, CivilDay(2023, 4, 2), "");
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->action(), v1::ProjectStep::ACTION_ADVANCED);
  ASSERT_EQ(p.milestones_size(), 1);
  EXPECT_EQ(p.milestones(0).kind(), v1::MILESTONE_KIND_SIGNED);
  EXPECT_EQ(p.milestones(0).actual_on(), "2023-04-02");

  ExpectFieldError(
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_SIGNED, CivilDay(2023, 4, 3), "").status(),
      "phase");
  ExpectFieldError(
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_PREPARATION, CivilDay(2023, 4, 3), "").status(),
      "phase");
  EXPECT_EQ(p.phase(), v1::PROJECT_PHASE_PREPARATION) << "a refusal changes nothing";

  ASSERT_TRUE(
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_CONSTRUCTION, CivilDay(2023, 5, 8), "").ok());
  ASSERT_TRUE(
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_PRODUCTION, CivilDay(2023, 11, 20), "").ok());
  ASSERT_EQ(p.milestones_size(), 3);
  EXPECT_EQ(p.milestones(1).kind(), v1::MILESTONE_KIND_STARTED);
  EXPECT_EQ(p.milestones(1).actual_on(), "2023-05-08");
  EXPECT_EQ(p.milestones(2).kind(), v1::MILESTONE_KIND_IN_PRODUCTION);
  EXPECT_EQ(p.milestones(2).actual_on(), "2023-11-20");
}

TEST(ProjectPhases, SuspensionNeedsAReasonAndResumesAtThePhaseItLeftOrLater) {
  v1::Project p = NewProject();
  ProjectPhases::Create(&p, v1::PROJECT_PHASE_CONSTRUCTION, CivilDay(2023, 3, 1));
  ExpectFieldError(
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_SUSPENDED, CivilDay(2023, 6, 1), "").status(),
      "reason");
  auto suspended =
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_SUSPENDED, CivilDay(2023, 6, 1), "资金未到位");
  ASSERT_TRUE(suspended.ok()) << suspended.status();
  EXPECT_EQ(suspended->action(), v1::ProjectStep::ACTION_SUSPENDED);
  EXPECT_EQ(p.phase_before_suspension(), v1::PROJECT_PHASE_CONSTRUCTION);

  ExpectFieldError(
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_PREPARATION, CivilDay(2023, 7, 1), "").status(),
      "phase");
  auto resumed =
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_CONSTRUCTION, CivilDay(2023, 7, 1), "");
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->action(), v1::ProjectStep::ACTION_RESUMED);
  EXPECT_EQ(p.phase(), v1::PROJECT_PHASE_CONSTRUCTION);
  EXPECT_TRUE(p.suspension_reason().empty());

  ASSERT_TRUE(
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_FULL_PRODUCTION, CivilDay(2023, 12, 1), "")
          .ok());
  ExpectFieldError(
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_SUSPENDED, CivilDay(2023, 12, 2), "市场变化")
          .status(),
      "phase");
}

TEST(ProjectPhases, ANewProjectIsCheckedFieldByField) {
  const CivilDay today(2023, 3, 1);
  struct Case {
    std::function<void(v1::Project*)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](v1::Project* p) { p->set_name("  "); }, "project.name"},
      {[](v1::Project* p) { p->clear_investor(); }, "project.investor"},
      {[](v1::Project* p) { p->set_cluster_id("装备"); }, "project.cluster_id"},
      {[](v1::Project* p) { p->clear_township_id(); }, "project.township_id"},
      {[](v1::Project* p) { p->set_kind(static_cast<v1::ProjectKind>(9)); }, "project.kind"},
      {[](v1::Project* p) { p->clear_source(); }, "project.source"},
      {[](v1::Project* p) { p->set_total_investment_fen(0); }, "project.total_investment_fen"},
      {[](v1::Project* p) { p->set_planned_investment_fen(p->total_investment_fen() + 1); },
       "project.planned_investment_fen"},
      {[](v1::Project* p) {
         auto* m = p->add_milestones();
         m->set_kind(v1::MILESTONE_KIND_STARTED);
         m->set_actual_on("2023-03-02");
       },
       "project.milestones[0].actual_on"},
      {[](v1::Project* p) {
         p->add_milestones()->set_kind(v1::MILESTONE_KIND_LANDED);
         p->add_milestones()->set_kind(v1::MILESTONE_KIND_LANDED);
       },
       "project.milestones[1].kind"},
      {[](v1::Project* p) { p->add_milestones()->set_planned_on("2023-02-30"); },
       "project.milestones[0].kind"},
      {[](v1::Project* p) {
         auto* m = p->add_milestones();
         m->set_kind(v1::MILESTONE_KIND_SIGNED);
         m->set_planned_on("2023-02-30");
       },
       "project.milestones[0].planned_on"},
  };
  for (const Case& c : cases) {
    v1::Project p = NewProject();
    c.spoil(&p);
    ExpectFieldError(ProjectPhases::CheckNew(&p, v1::PROJECT_PHASE_UNSPECIFIED, today), c.field);
  }
  v1::Project carried = NewProject();
  carried.set_carried_over(true);
  ExpectFieldError(ProjectPhases::CheckNew(&carried, v1::PROJECT_PHASE_SIGNED, today),
                   "project.carried_over");
  ProjectPhases::Create(&carried, v1::PROJECT_PHASE_UNSPECIFIED, today);
  EXPECT_EQ(carried.phase(), v1::PROJECT_PHASE_CONSTRUCTION) << "续建 starts 在建";
}

TEST(ProjectPhases, AMilestoneIsReachedOrReplannedWithAReason) {
  v1::Project p = NewProject();
  ProjectPhases::Create(&p, v1::PROJECT_PHASE_PREPARATION, CivilDay(2023, 3, 1));
  ExpectFieldError(ProjectPhases::RecordMilestone(&p, v1::MILESTONE_KIND_LANDED, std::nullopt,
                                                  CivilDay(2023, 6, 30), "")
                       .status(),
                   "reason");
  ExpectFieldError(
      ProjectPhases::RecordMilestone(&p, v1::MILESTONE_KIND_LANDED, std::nullopt, std::nullopt, "")
          .status(),
      "actual_on");
  auto replanned = ProjectPhases::RecordMilestone(&p, v1::MILESTONE_KIND_LANDED, std::nullopt,
                                                  CivilDay(2023, 6, 30), "土地组卷延后");
  ASSERT_TRUE(replanned.ok()) << replanned.status();
  EXPECT_EQ(replanned->action(), v1::ProjectStep::ACTION_MILESTONE_REPLANNED);
  EXPECT_EQ(replanned->text(), "未计划 -> 2023-06-30：土地组卷延后");
  auto reached = ProjectPhases::RecordMilestone(&p, v1::MILESTONE_KIND_LANDED,
                                                CivilDay(2023, 6, 20), std::nullopt, "");
  ASSERT_TRUE(reached.ok());
  ASSERT_EQ(p.milestones_size(), 1);
  EXPECT_EQ(p.milestones(0).planned_on(), "2023-06-30");
  EXPECT_EQ(p.milestones(0).actual_on(), "2023-06-20");
}

TEST(ProjectPhases, TheColourFollowsPaceMilestonesAndSuspension) {
  v1::Project p = NewProject();  // 1.2亿 planned for 2023
  ProjectPhases::Create(&p, v1::PROJECT_PHASE_CONSTRUCTION, CivilDay(2023, 1, 10));
  ProjectPhases::FillLight(&p, CivilDay(2023, 1, 20));
  EXPECT_EQ(p.light(), v1::PROJECT_LIGHT_GREEN) << "no month has ended";

  // Three months ended: the pace is 3000万; 2000万 done is behind (黄).
  p.set_year_completed_investment_fen(2000 * 1000000LL);
  ProjectPhases::FillLight(&p, CivilDay(2023, 4, 5));
  EXPECT_EQ(p.light(), v1::PROJECT_LIGHT_YELLOW);
  ASSERT_EQ(p.light_reasons_size(), 1);
  EXPECT_EQ(p.light_reasons(0), "年度投资完成2000.00万元，按进度应完成3000.00万元");
  // Under half of the pace: 红.
  p.set_year_completed_investment_fen(1000 * 1000000LL);
  ProjectPhases::FillLight(&p, CivilDay(2023, 4, 5));
  EXPECT_EQ(p.light(), v1::PROJECT_LIGHT_RED);

  // On pace, but 投产 planned for 3 April: late 2 days is 黄, 31 days 红.
  p.set_year_completed_investment_fen(3000 * 1000000LL);
  auto* m = p.add_milestones();
  m->set_kind(v1::MILESTONE_KIND_IN_PRODUCTION);
  m->set_planned_on("2023-04-03");
  ProjectPhases::FillLight(&p, CivilDay(2023, 4, 5));
  EXPECT_EQ(p.light(), v1::PROJECT_LIGHT_YELLOW);
  EXPECT_EQ(p.light_reasons(0), "投产逾期2天（计划2023-04-03）");
  p.set_year_completed_investment_fen(12000 * 1000000LL);
  ProjectPhases::FillLight(&p, CivilDay(2023, 5, 4));
  EXPECT_EQ(p.light(), v1::PROJECT_LIGHT_RED);
  m->set_actual_on("2023-05-01");
  ProjectPhases::FillLight(&p, CivilDay(2023, 5, 4));
  EXPECT_EQ(p.light(), v1::PROJECT_LIGHT_GREEN);

  ASSERT_TRUE(
      ProjectPhases::Advance(&p, v1::PROJECT_PHASE_SUSPENDED, CivilDay(2023, 5, 5), "环评未批")
          .ok());
  ProjectPhases::FillLight(&p, CivilDay(2023, 5, 6));
  EXPECT_EQ(p.light(), v1::PROJECT_LIGHT_RED);
  EXPECT_EQ(p.light_reasons(0), "停缓建：环评未批");
}

}  // namespace
}  // namespace uplift::tasks

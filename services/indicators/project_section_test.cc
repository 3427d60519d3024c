// The 重点项目 section: an empty ledger says so; a suspended project and a
// late milestone are behind with their reasons, only the red one returned
// for 落后通报; 续建 shows in the phase.
#include "services/indicators/project_section.h"

#include <gtest/gtest.h>

namespace uplift::indicators {
namespace {

namespace tv1 = uplift::tasks::v1;

tv1::Project Project(const std::string& id, const std::string& name) {
  tv1::Project p;
  p.set_project_id(id);
  p.set_name(name);
  p.set_year(2023);
  p.set_cluster_name("生物医药产业集群");
  p.set_township_name("承安镇");
  p.set_department_name("市科学技术和工业信息化局");
  p.set_phase(tv1::PROJECT_PHASE_CONSTRUCTION);
  p.set_total_investment_fen(100000000000);
  return p;
}

TEST(ProjectSection, AnEmptyLedgerSaysSo) {
  ReportDocument doc("调度");
  EXPECT_TRUE(AddProjectSection(doc, "七、重点项目", {}, absl::CivilMonth(2023, 3), "3月",
                                absl::CivilDay(2023, 4, 1))
                  .empty());
  const v1::GeneratedReport report = doc.Finish(absl::UnixEpoch());
  ASSERT_EQ(report.sections_size(), 1);
  EXPECT_EQ(report.sections(0).text(), "2023年项目台账尚无项目。");
}

TEST(ProjectSection, SuspendedIsRedALateMilestoneYellowAndOnlyRedIsReturned) {
  ProjectFacts facts;
  tv1::Project suspended = Project("pj-1", "中药提取项目");
  suspended.set_phase(tv1::PROJECT_PHASE_SUSPENDED);
  suspended.set_phase_before_suspension(tv1::PROJECT_PHASE_CONSTRUCTION);
  suspended.set_suspension_reason("环评未批复");
  tv1::Project late = Project("pj-2", "制剂车间技改项目");
  late.set_carried_over(true);
  tv1::ProjectMilestone* m = late.add_milestones();
  m->set_kind(tv1::MILESTONE_KIND_IN_STATISTICS);
  m->set_planned_on("2023-03-20");
  facts.projects = {suspended, late};
  ReportDocument doc("调度");
  const std::vector<std::string> red = AddProjectSection(
      doc, "七、重点项目", facts, absl::CivilMonth(2023, 3), "3月", absl::CivilDay(2023, 4, 1));
  EXPECT_EQ(red, (std::vector<std::string>{"中药提取项目（停缓建：环评未批复）"}));
  const v1::GeneratedReport report = doc.Finish(absl::UnixEpoch());
  const v1::ReportSection* behind = nullptr;
  for (const v1::ReportSection& s : report.sections()) {
    if (s.title() == "进度滞后的项目") behind = &s;
  }
  ASSERT_NE(behind, nullptr);
  ASSERT_EQ(behind->lines_size(), 2);
  EXPECT_EQ(behind->lines(1).cells(0), "制剂车间技改项目");
  EXPECT_EQ(behind->lines(1).cells(3), "在建（续建）");
  EXPECT_EQ(behind->lines(1).cells(4), "黄");
  EXPECT_EQ(behind->lines(1).cells(5), "入统逾期12天（计划2023-03-20）");
  EXPECT_NE(report.sections(0).text().find("停缓建1个"), std::string::npos)
      << report.sections(0).text();
}

}  // namespace
}  // namespace uplift::indicators

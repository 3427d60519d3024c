// A county's project ledger as a spreadsheet: Chinese column names, places
// and departments by their names in the plan, money in 万元, milestones;
// a bad cell is an error naming its line and column; a bad header is refused.
#include "tools/upliftctl/project_rows.h"

#include <gtest/gtest.h>

namespace uplift::cli {
namespace {

namespace tv1 = uplift::tasks::v1;

tv1::Plan SmallPlan() {
  tv1::Plan plan;
  auto* c = plan.add_clusters();
  c->set_cluster_id("equipment");
  c->set_name("装备制造产业集群");
  auto* town = plan.add_units();
  town->set_unit_id("town-chengan");
  town->set_name("承安镇");
  town->set_kind(uplift::registry::v1::UNIT_KIND_TOWNSHIP);
  auto* dept = plan.add_units();
  dept->set_unit_id("dept-fgj");
  dept->set_name("市发展改革局");
  dept->set_kind(uplift::registry::v1::UNIT_KIND_DEPARTMENT);
  return plan;
}

std::vector<CsvRecord> Records(const std::string& text) { return *ParseCsv(text); }

TEST(ProjectRows, AChineseLedgerBecomesRequestsAndBadCellsAreErrors) {
  const std::string csv =
      "项目编号,项目名称,统一社会信用代码,所属集群,所在乡镇,责任部门,建设性质,项目来源,"
      "总投资(万元),年度计划投资(万元),项目阶段,是否续建,计划开工,实际开工\n"
      "XL-001,智能装备产业园,91130184MA0000001T,装备制造产业集群,承安镇,市发展改革局,新建,招商引资,"
      "50000,12000.5,在建,否,2023-05-15,2023-05-18\n"
      "XL-002,二期厂房,,equipment,town-chengan,dept-fgj,扩建,本地企业扩产,八千,,,,,\n"
      "XL-003,冷链物流,,装备制造产业集群,化皮镇,市发展改革局,新建,招商引资,3000,,,,,\n"
      "XL-004,技改项目,,装备制造产业集群,承安镇,承安镇,技改,本地企业扩产,3000,,,,,\n";
  absl::StatusOr<ProjectRows> parsed = ParseProjectRows(Records(csv), SmallPlan());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->rows.size(), 1u);
  const tv1::CreateProjectRequest& r = parsed->rows[0].request;
  EXPECT_EQ(parsed->rows[0].line, 2);
  EXPECT_EQ(r.project().ledger_number(), "XL-001");
  EXPECT_EQ(r.project().cluster_id(), "equipment");
  EXPECT_EQ(r.project().township_id(), "town-chengan");
  EXPECT_EQ(r.project().department_unit_id(), "dept-fgj");
  EXPECT_EQ(r.project().kind(), tv1::PROJECT_KIND_NEW);
  EXPECT_EQ(r.project().source(), tv1::PROJECT_SOURCE_INVESTMENT_ATTRACTION);
  EXPECT_EQ(r.project().total_investment_fen(), 50000LL * 1000000);
  EXPECT_EQ(r.project().planned_investment_fen(), 120005LL * 100000);
  EXPECT_EQ(r.phase(), tv1::PROJECT_PHASE_CONSTRUCTION);
  ASSERT_EQ(r.project().milestones_size(), 1);
  EXPECT_EQ(r.project().milestones(0).kind(), tv1::MILESTONE_KIND_STARTED);
  EXPECT_EQ(r.project().milestones(0).planned_on(), "2023-05-15");
  EXPECT_EQ(r.project().milestones(0).actual_on(), "2023-05-18");

  ASSERT_EQ(parsed->errors.size(), 3u);
  EXPECT_EQ(parsed->errors[0].line, 3);
  EXPECT_EQ(parsed->errors[0].ledger_number, "XL-002");
  EXPECT_EQ(parsed->errors[0].message.rfind("总投资(万元): ", 0), 0u) << parsed->errors[0].message;
  EXPECT_EQ(parsed->errors[1].message.rfind("所在乡镇: \"化皮镇\" is no township", 0), 0u)
      << parsed->errors[1].message;
  EXPECT_EQ(parsed->errors[2].message.rfind("责任部门: ", 0), 0u) << parsed->errors[2].message;
}

TEST(ProjectRows, AHeaderWithAnUnknownOrWithoutARequiredColumnIsRefused) {
  EXPECT_NE(ParseProjectRows(Records("项目名称,所属集群,备注\n"), SmallPlan())
                .status()
                .message()
                .find("unknown column \"备注\""),
            std::string::npos);
  EXPECT_NE(ParseProjectRows(Records("项目名称,所属集群\n"), SmallPlan())
                .status()
                .message()
                .find("required column 所在乡镇"),
            std::string::npos);
  EXPECT_FALSE(ParseProjectRows({}, SmallPlan()).ok());
}

}  // namespace
}  // namespace uplift::cli

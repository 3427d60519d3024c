// The 问题办理情况 section: lights by the rules, every township listed, the
// departments and the longest open named, red units returned for 落后通报.
#include "services/indicators/problem_section.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "services/indicators/indicator_rules.h"

namespace uplift::indicators {
namespace {

namespace tv1 = uplift::tasks::v1;

tv1::ProblemTally Tally(int overdue, int rated, int satisfied) {
  tv1::ProblemTally t;
  t.set_total(overdue + rated);
  t.set_open(overdue);
  t.set_overdue(overdue);
  t.set_rated(rated);
  t.set_satisfied(satisfied);
  t.set_resolved(rated);
  return t;
}

TEST(ProblemLight, OverdueInHandOrLowSatisfactionLightsTheUnit) {
  const v1::ProblemLights rules =
      DefaultRules().problem_lights();  // 2/1 overdue, 80/90 %, 3 visits
  EXPECT_EQ(ProblemLight(rules, Tally(0, 0, 0)), "绿");
  EXPECT_EQ(ProblemLight(rules, Tally(1, 0, 0)), "黄");
  EXPECT_EQ(ProblemLight(rules, Tally(2, 0, 0)), "红");
  EXPECT_EQ(ProblemLight(rules, Tally(0, 10, 9)), "绿");  // 90 % is not below 90 %
  EXPECT_EQ(ProblemLight(rules, Tally(0, 10, 8)), "黄");  // 80 %
  EXPECT_EQ(ProblemLight(rules, Tally(0, 10, 7)), "红");  // 70 %
  EXPECT_EQ(ProblemLight(rules, Tally(0, 2, 0)), "绿") << "two visits are too few to judge";
  EXPECT_EQ(ProblemLight(rules, Tally(1, 10, 7)), "红") << "the worse of the two";
}

TEST(ProblemLight, TheRulesFileSetsTheThresholdsAndBadOnesAreRefused) {
  auto rules = ParseRules(
      "grades { grade: \"D\" } ranking { rules { measure: RANKING_MEASURE_REVENUE weight: 1 } }"
      " problem_lights { red_overdue: 5 yellow_overdue: 3 red_satisfaction_below_bp: 5000"
      " yellow_satisfaction_below_bp: 6000 min_rated: 1 }",
      "r");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(ProblemLight(rules->problem_lights(), Tally(2, 0, 0)), "绿");
  EXPECT_EQ(ProblemLight(rules->problem_lights(), Tally(4, 0, 0)), "黄");
  EXPECT_EQ(ProblemLight(rules->problem_lights(), Tally(0, 1, 0)), "红");
  // A file without lights takes the built-in ones.
  auto without = ParseRules(
      "grades { grade: \"D\" } ranking { rules { measure: RANKING_MEASURE_REVENUE weight: 1 } }",
      "r");
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ(without->problem_lights().red_overdue(), 2);
  for (const auto& [lights, field] : std::vector<std::pair<std::string, std::string>>{
           {"red_overdue: 1 yellow_overdue: 2 min_rated: 1", "problem_lights.red_overdue"},
           {"red_overdue: 1 yellow_overdue: 0 min_rated: 1", "problem_lights.yellow_overdue"},
           {"red_overdue: 2 yellow_overdue: 1 min_rated: 1 red_satisfaction_below_bp: 12000",
            "problem_lights.red_satisfaction_below_bp"},
           {"red_overdue: 2 yellow_overdue: 1 min_rated: 1 red_satisfaction_below_bp: 9000"
            " yellow_satisfaction_below_bp: 8000",
            "problem_lights.red_satisfaction_below_bp"},
           {"red_overdue: 2 yellow_overdue: 1 min_rated: 0", "problem_lights.min_rated"}}) {
    auto bad = ParseRules(
        "grades { grade: \"D\" } ranking { rules { measure: RANKING_MEASURE_REVENUE weight: 1 } }"
        " problem_lights { " +
            lights + " }",
        "rules.textproto");
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << lights;
    EXPECT_NE(bad.status().message().find("rules.textproto: " + field), std::string::npos)
        << bad.status();
  }
}

TEST(ProblemSection, EveryTownshipIsListedAndRedUnitsAreReturned) {
  tv1::GetProblemStatisticsResponse stats;
  stats.set_from("2023-09-01");
  stats.set_until("2023-09-30");
  *stats.mutable_county() = Tally(3, 4, 3);
  tv1::ProblemTally* a = stats.add_townships();
  *a = Tally(2, 0, 0);
  a->set_unit_id("town-a");
  a->set_unit_name("承安镇");
  tv1::ProblemTally* d = stats.add_departments();
  *d = Tally(1, 4, 3);
  d->set_unit_id("dept-zrj");
  d->set_unit_name("市自然资源和规划局");
  d->set_average_working_days(6.5);
  tv1::LongOpenProblem* p = stats.add_longest_open();
  p->set_title("扩建用地指标不足");
  p->set_enterprise_name("新乐市华信机械制造有限公司");
  p->set_township_name("承安镇");
  p->set_rung(tv1::RUNG_DEPARTMENT);
  p->set_owner_unit_name("市自然资源和规划局");
  p->set_working_days_open(23);
  p->set_overdue(true);

  ReportDocument doc("测试");
  const std::vector<std::string> red = AddProblemSection(
      doc, "六、问题办理情况", stats, {{"town-a", "承安镇"}, {"town-b", "长寿街道"}},
      DefaultRules().problem_lights());
  EXPECT_EQ(red, (std::vector<std::string>{"承安镇", "市自然资源和规划局"}));
  const v1::GeneratedReport report = doc.Finish(absl::Now());
  ASSERT_EQ(report.sections_size(), 4);
  EXPECT_EQ(report.sections(0).title(), "六、问题办理情况");
  EXPECT_NE(report.sections(0).text().find("截至2023-09-30日终，累计受理企业问题7个"),
            std::string::npos)
      << report.sections(0).text();
  EXPECT_NE(report.sections(0).text().find("满意率75.0%"), std::string::npos);
  const v1::ReportSection& towns = report.sections(1);
  ASSERT_EQ(towns.lines_size(), 2) << "a township without problems is listed too";
  EXPECT_EQ(towns.lines(0).cells(0), "承安镇");
  EXPECT_EQ(towns.lines(0).cells(5), "2");  // 超期
  EXPECT_EQ(towns.lines(0).cells(11), "红");
  EXPECT_EQ(towns.lines(1).cells(0), "长寿街道");
  EXPECT_EQ(towns.lines(1).cells(1), "0");
  EXPECT_EQ(towns.lines(1).cells(9), "—");  // nothing resolved, no average
  EXPECT_EQ(towns.lines(1).cells(11), "绿");
  const v1::ReportSection& departments = report.sections(2);
  ASSERT_EQ(departments.lines_size(), 1);
  EXPECT_EQ(departments.lines(0).cells(9), "6.5");
  EXPECT_EQ(departments.lines(0).cells(10), "75.0%");
  EXPECT_EQ(departments.lines(0).cells(11), "红");  // 75 % over 4 visits
  EXPECT_NE(departments.text().find("本县规则"), std::string::npos) << departments.text();
  const v1::ReportSection& longest = report.sections(3);
  ASSERT_EQ(longest.lines_size(), 1);
  EXPECT_EQ(longest.lines(0).cells(3), "市直部门");
  EXPECT_EQ(longest.lines(0).cells(5), "23");
  EXPECT_EQ(longest.lines(0).cells(6), "是");
}

}  // namespace
}  // namespace uplift::indicators

// The generated county is reproducible and looks like a county: every
// territorial unit and cluster used, sizes spread, growth near the plan's,
// entrants and leavers, tiers that climb this year, no absurd figure.
#include "tools/county/county_model.h"

#include "services/tasks/project_phases.h"
#include "tools/county/county_projects.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "services/indicators/comparable_growth.h"
#include "services/registry/credit_code.h"
#include "services/tasks/xinle_plan_testdata.h"

namespace uplift::county {
namespace {

TEST(CountyModel, IsReproducibleAndRealistic) {
  const uplift::tasks::v1::Plan plan = uplift::tasks::LoadXinlePlan();
  const CountyModel a(plan, {3000, 7, 2023}), b(plan, {3000, 7, 2023});
  ASSERT_EQ(a.enterprises().size(), 3000u);
  EXPECT_EQ(a.enterprises()[1234].enterprise.DebugString(), b.enterprises()[1234].enterprise.DebugString());
  EXPECT_EQ(a.Month(1234, 2023, 5)->revenue_fen, b.Month(1234, 2023, 5)->revenue_fen);

  std::set<std::string> codes, names, townships, clusters;
  int key = 0, entrants = 0, leavers = 0, above = 0;
  std::map<int, int> new_awards;  // tier -> awarded in 2023
  int64_t cur = 0, prev = 0;
  for (int e = 0; e < 3000; ++e) {
    const CountyEnterprise& ce = a.enterprises()[e];
    codes.insert(ce.enterprise.credit_code());
    EXPECT_TRUE(uplift::registry::CheckCreditCode("c", ce.enterprise.credit_code()).ok());
    names.insert(ce.enterprise.name());
    townships.insert(ce.enterprise.township_id());
    clusters.insert(ce.enterprise.cluster_id());
    key += ce.enterprise.key_enterprise();
    above += ce.enterprise.above_size();
    entrants += ce.first_year == 2023;
    leavers += ce.last_month_reported < 12;
    for (const AwardPlan& aw : ce.awards) {
      if (aw.awarded_on.rfind("2023", 0) == 0) ++new_awards[aw.tier];
    }
    for (int m = 1; m <= 12; ++m) {
      auto c = a.Month(e, 2023, m), p = a.Month(e, 2022, m);
      for (const auto& f : {c, p}) {
        if (!f) continue;
        EXPECT_GE(f->revenue_fen, 0);
        EXPECT_LT(f->revenue_fen, 1000000000000);  // below 100亿元 a month
        EXPECT_GT(f->land_centi_mu, 0);
        EXPECT_LE(f->tax_fen, f->revenue_fen);
      }
      if (c && p) {
        cur += c->revenue_fen;
        prev += p->revenue_fen;
      }
    }
  }
  EXPECT_EQ(codes.size(), 3000u);
  EXPECT_EQ(names.size(), 3000u);
  EXPECT_EQ(townships.size(), 13u);  // every township, the subdistrict and the zone
  EXPECT_EQ(clusters.size(), 3u);
  EXPECT_GT(key, 5);
  EXPECT_LT(key, 300);
  EXPECT_GT(above, 100);
  EXPECT_GT(entrants, 50);
  EXPECT_GT(leavers, 20);
  EXPECT_EQ(new_awards[uplift::registry::v1::TIER_SPECIALIZED_SME], 4);
  EXPECT_EQ(new_awards[uplift::registry::v1::TIER_LITTLE_GIANT], 1);
  EXPECT_EQ(new_awards[uplift::registry::v1::TIER_HIGH_TECH], 3);
  bool defined = false;
  const int64_t growth = uplift::indicators::GrowthBasisPoints(cur, prev, &defined);
  EXPECT_GT(growth, 600) << "the county grows";
  EXPECT_LT(growth, 2000);
  // New entrants report nothing the year before.
  for (int e = 0; e < 3000; ++e) {
    if (a.enterprises()[e].first_year == 2023) {
      EXPECT_FALSE(a.Month(e, 2022, 6).has_value());
      break;
    }
  }
}

// The county's projects: reproducible, one for every 40 enterprises, each
// a valid new project of the plan's places, spread over the phases with a
// few 续建 and 停缓建, and some behind their pace by September.
TEST(CountyProjects, AreReproducibleValidAndSpreadOverThePhases) {
  const uplift::tasks::v1::Plan plan = uplift::tasks::LoadXinlePlan();
  const CountyModel county(plan, {3000, 7, 2023});
  const std::vector<CountyProject> a = GenerateProjects(county, 7), b = GenerateProjects(county, 7);
  ASSERT_EQ(a.size(), 75u);
  EXPECT_EQ(a[40].project.DebugString(), b[40].project.DebugString());
  std::set<int> phases;
  std::set<std::string> numbers;
  int carried = 0, suspended = 0, behind = 0;
  for (const CountyProject& cp : a) {
    uplift::tasks::v1::Project p = cp.project;
    ASSERT_TRUE(
        uplift::tasks::ProjectPhases::CheckNew(&p, cp.phase, absl::CivilDay(2023, 12, 31)).ok())
        << cp.project.DebugString();
    EXPECT_TRUE(numbers.insert(p.ledger_number()).second) << p.ledger_number();
    phases.insert(cp.phase);
    carried += p.carried_over() ? 1 : 0;
    suspended += cp.suspension_reason.empty() ? 0 : 1;
    int64_t to_september = 0;
    for (int m = 0; m < 9; ++m) to_september += cp.months[m];
    if (to_september * 12 < p.planned_investment_fen() * 9) ++behind;
  }
  EXPECT_GE(phases.size(), 5u);
  EXPECT_GT(carried, 0);
  EXPECT_GT(suspended, 0);
  EXPECT_GT(behind, 0);
  EXPECT_LT(behind, 75);
}

}  // namespace
}  // namespace uplift::county

// The shipped Xinle 2023 plan file is complete and valid: every programme,
// every task with the units the seed names, every target of the year.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <google/protobuf/text_format.h>

#include "services/tasks/plan_rules.h"
#include "services/tasks/xinle_plan_testdata.h"

namespace uplift::tasks {
namespace {

const v1::Task* Find(const v1::Plan& plan, const std::string& id) {
  for (const v1::Task& t : plan.tasks()) {
    if (t.task_id() == id) return &t;
  }
  return nullptr;
}

TEST(XinlePlan, IsValid) {
  v1::Plan plan = LoadXinlePlan();
  absl::Status s = NormalizeAndCheckPlan(&plan);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(plan.year(), 2023);
  EXPECT_EQ(plan.issued_on(), "2023-05-27");
  EXPECT_EQ(plan.owner_unit_id(), "dept-kgx");
}

TEST(XinlePlan, HasTheFiveProgrammesAndEveryTask) {
  const v1::Plan plan = LoadXinlePlan();
  ASSERT_EQ(plan.programmes_size(), 5);
  EXPECT_EQ(plan.programmes(0).title(), "深入推进产业链协同工程");
  EXPECT_EQ(plan.programmes(4).title(), "深入推进产业生态优化工程");
  std::map<std::string, int> per_programme;
  for (const v1::Task& t : plan.tasks()) ++per_programme[t.programme_id()];
  EXPECT_EQ(per_programme["2.1"], 4);
  EXPECT_EQ(per_programme["2.2"], 4);
  EXPECT_EQ(per_programme["2.3"], 4);
  EXPECT_EQ(per_programme["2.4"], 4);
  EXPECT_EQ(per_programme["2.5"], 5);
  EXPECT_EQ(per_programme[""], 4);  // 一(二) main goals and 三(一)-(三)
}

TEST(XinlePlan, ResponsibleUnitsAreTheSeeds) {
  const v1::Plan plan = LoadXinlePlan();
  auto units = [&](const std::string& id) {
    const v1::Task* t = Find(plan, id);
    return t == nullptr ? std::vector<std::string>{}
                        : std::vector<std::string>(t->responsible_unit_ids().begin(),
                                                   t->responsible_unit_ids().end());
  };
  EXPECT_EQ(units("2.1.4"), (std::vector<std::string>{"dept-fgj", "dept-kgx", "dept-nyj"}));
  EXPECT_EQ(units("2.2.2"), (std::vector<std::string>{"dept-kgx", "dept-jrj"}));
  EXPECT_EQ(units("2.4.1"), (std::vector<std::string>{"dept-scj", "dept-fgj", "dept-nyj"}));
  EXPECT_EQ(units("2.5.1"), (std::vector<std::string>{"dept-kgx", "dept-fgj", "dept-scj",
                                                      "dept-rsj", "dept-mzj"}));
  EXPECT_EQ(units("2.5.2"), (std::vector<std::string>{"dept-fgj", "dept-kgx", "dept-zrj"}));
  EXPECT_EQ(units("2.5.3"), (std::vector<std::string>{"dept-jrj", "dept-kgx", "dept-fgj"}));
  EXPECT_EQ(units("2.5.4"), (std::vector<std::string>{"dept-kgx", "dept-fgj", "dept-sthj"}));
  EXPECT_EQ(units("2.5.5"), (std::vector<std::string>{"dept-fgj"}));
  // Every township, the subdistrict and the development zone co-own every task.
  EXPECT_EQ(CoOwnerUnits(plan).size(), 13u);
}

TEST(XinlePlan, EveryTargetOfTheYear) {
  const v1::Plan plan = LoadXinlePlan();
  std::map<std::string, v1::Target> targets;
  for (const v1::Task& t : plan.tasks()) {
    for (const v1::Target& g : t.targets()) targets[g.target_id()] = g;
  }
  const std::map<std::string, std::pair<int64_t, int64_t>> expected = {
      {"cluster-revenue-growth", {1200, 1400}},
      {"new-front-runner", {1, 0}},
      {"new-specialized-sme", {6, 0}},
      {"new-little-giant", {3, 0}},
      {"new-single-champion", {1, 0}},
      {"new-tech-leader", {1, 0}},
      {"new-high-tech", {5, 0}},
      {"tech-diagnosis-coverage", {10000, 0}},
      {"new-innovation-platform", {1, 0}},
      {"new-innovation-alliance", {1, 0}},
      {"integration-assessment-coverage", {10000, 0}},
      {"quality-system-built", {1, 0}},
      {"tqm-strengthened", {2, 0}},
      {"industrial-design-served", {1, 0}},
      {"new-standards", {1, 0}},
      {"service-events", {5, 0}},
      {"enterprise-services", {100, 0}},
      {"key-cluster-coverage", {10000, 0}},
      {"financial-service-coverage", {10000, 0}},
  };
  EXPECT_EQ(targets.size(), expected.size());
  for (const auto& [id, values] : expected) {
    ASSERT_TRUE(targets.count(id)) << id;
    EXPECT_EQ(targets[id].value(), values.first) << id;
    EXPECT_EQ(targets[id].stretch_value(), values.second) << id;
  }
  EXPECT_EQ(targets["new-specialized-sme"].counted_by(), v1::COUNTED_BY_REGISTRY);
  EXPECT_EQ(targets["service-events"].counted_by(), v1::COUNTED_BY_ACTIVITIES);
  EXPECT_EQ(targets["financial-service-coverage"].counted_by(), v1::COUNTED_BY_ACTIVITIES);
  EXPECT_EQ(targets["new-innovation-platform"].counted_by(), v1::COUNTED_BY_UNIT_REPORTS);
  EXPECT_EQ(targets["cluster-revenue-growth"].counted_by(), v1::COUNTED_BY_INDICATORS);
}

TEST(XinlePlan, ClustersLeadersAndCategories) {
  const v1::Plan plan = LoadXinlePlan();
  std::set<std::string> clusters;
  for (const auto& c : plan.clusters()) clusters.insert(c.cluster_id());
  EXPECT_EQ(clusters, (std::set<std::string>{"equipment", "food", "biomed"}));
  std::set<std::string> categories;
  for (const auto& c : plan.problem_categories()) categories.insert(c.category_id());
  for (const char* c : {"land", "financing", "labour", "energy", "approvals"}) {
    EXPECT_TRUE(categories.count(c)) << c;
  }
}

}  // namespace
}  // namespace uplift::tasks

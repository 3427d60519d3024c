// Plan files: syntax errors and the service's field errors point at lines.
#include "tools/upliftctl/plan_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_env.h"

namespace uplift::cli {
namespace {

TEST(PlanFile, SyntaxErrorsNameTheLine) {
  testing::TempDir dir;
  std::ofstream(dir.File("bad.textproto")) << "plan_id: \"x\"\nyear: 2023\ntasks {\n  titel: \"t\"\n}\n";
  auto loaded = PlanFile::Load(dir.File("bad.textproto"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("bad.textproto:4:"), std::string::npos) << loaded.status();
  EXPECT_NE(loaded.status().message().find("titel"), std::string::npos);
}

TEST(PlanFile, FieldPathsMapToLines) {
  testing::TempDir dir;
  std::ofstream(dir.File("p.textproto"))
      << "plan_id: \"x\"\n"                          // 1
      << "tasks {\n"                                 // 2
      << "  task_id: \"1\"\n"                        // 3
      << "}\n"                                       // 4
      << "tasks {\n"                                 // 5
      << "  task_id: \"2\"\n"                        // 6
      << "  responsible_unit_ids: \"a\"\n"           // 7
      << "  responsible_unit_ids: \"nobody\"\n"      // 8
      << "}\n";
  auto loaded = PlanFile::Load(dir.File("p.textproto"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->LineOf("plan.plan_id"), 1);
  EXPECT_EQ((*loaded)->LineOf("plan.tasks[1]"), 5);
  EXPECT_EQ((*loaded)->LineOf("plan.tasks[1].responsible_unit_ids[1]"), 8);
  EXPECT_EQ((*loaded)->LineOf("plan.tasks[0].title"), 2) << "a missing field points at its message";
  EXPECT_EQ((*loaded)->Locate("plan.tasks[1].responsible_unit_ids[1]: no unit \"nobody\""),
            dir.File("p.textproto") + ":8: plan.tasks[1].responsible_unit_ids[1]: no unit \"nobody\"");
}

}  // namespace
}  // namespace uplift::cli

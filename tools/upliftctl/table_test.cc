// Tests of aligned tables with Chinese text.
#include "tools/upliftctl/table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "absl/strings/str_split.h"
#include "common/display_width.h"

namespace uplift::cli {
namespace {

TEST(Table, ColumnsLineUpWithMixedText) {
  Table t({"编号", "名称", "类型"});
  t.AddRow({"dept-kgx", "市科学技术和工业信息化局", "市直部门"});
  t.AddRow({"town-a", "承安镇", "乡镇"});
  std::ostringstream out;
  t.Print(out);
  std::vector<std::string> lines = absl::StrSplit(out.str(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u);
  // The third column starts at the same display column on every line.
  auto column_of = [](const std::string& line, const std::string& cell) {
    return DisplayWidth(line.substr(0, line.find(cell)));
  };
  const int at = column_of(lines[0], "类型");
  EXPECT_EQ(column_of(lines[2], "市直部门"), at);
  EXPECT_EQ(column_of(lines[3], "乡镇"), at);
  EXPECT_EQ(column_of(lines[1], "--"), 0);
}

}  // namespace
}  // namespace uplift::cli

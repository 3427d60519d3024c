// Tests of display widths and aligned tables with Chinese text.
#include "tools/upliftctl/display_width.h"

#include <gtest/gtest.h>

#include <sstream>

#include "absl/strings/str_split.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

TEST(DisplayWidth, ChineseTakesTwoColumns) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("承安镇"), 6);
  EXPECT_EQ(DisplayWidth("专精特新\"小巨人\""), 16);  // 7 wide, 2 narrow
  EXPECT_EQ(DisplayWidth("〔2023〕"), 8);    // CJK brackets are wide
  EXPECT_EQ(DisplayWidth("ＡＢ"), 4);        // full-width forms
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1);   // combining accent
}

TEST(DisplayWidth, TruncatesAndPadsByColumns) {
  EXPECT_EQ(TruncateToWidth("新乐市华信机械制造有限公司", 9), "新乐市华…");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("新乐市华信机械制造有限公司", 9)), 9);
  EXPECT_EQ(TruncateToWidth("short", 9), "short");
  EXPECT_EQ(PadToWidth("镇", 4), "镇  ");
}

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

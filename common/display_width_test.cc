// Tests of display widths of Chinese and mixed text.
#include "common/display_width.h"

#include <gtest/gtest.h>

namespace uplift {
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

}  // namespace
}  // namespace uplift

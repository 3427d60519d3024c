// Amounts typed by people become exact integers.
#include "tools/upliftctl/amounts.h"

#include <gtest/gtest.h>

namespace uplift::cli {
namespace {

TEST(Amounts, YuanBecomeFenExactly) {
  EXPECT_EQ(ParseYuanToFen("12345.67"), 1234567);
  EXPECT_EQ(ParseYuanToFen("12345.6"), 1234560);
  EXPECT_EQ(ParseYuanToFen("1,234,567"), 123456700);
  EXPECT_EQ(ParseYuanToFen(" 0.01 "), 1);
  EXPECT_EQ(ParseYuanToFen("-5"), -500);  // the service names negatives
  EXPECT_EQ(ParseMuToCentiMu("12.5"), 1250);
  EXPECT_EQ(ParseScaled("300", 0), 300);
}

TEST(Amounts, AnythingElseIsRefused) {
  for (const char* bad : {"", "abc", "1.234", "1.2.3", "12元", ",100", "1e5", "99999999999999999999"}) {
    EXPECT_FALSE(ParseYuanToFen(bad).has_value()) << bad;
  }
  EXPECT_FALSE(ParseScaled("3.5", 0).has_value());
}

}  // namespace
}  // namespace uplift::cli

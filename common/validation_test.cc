// Tests of the shared field checks.
#include "common/validation.h"

#include <gtest/gtest.h>

namespace uplift {
namespace {

TEST(CheckText, CountsCharactersNotBytes) {
  EXPECT_TRUE(CheckText("name", "承安镇", 3, true).ok());
  absl::Status too_long = CheckText("name", "承安镇工", 3, true);
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(too_long.message(), "name: is 4 characters long; at most 3 are allowed");
}

TEST(CheckText, RequiredRejectsEmptyAndBlank) {
  EXPECT_EQ(CheckText("enterprise.name", "", 10, true).message(),
            "enterprise.name: must not be empty");
  EXPECT_FALSE(CheckText("n", " \t\xE3\x80\x80 ", 10, true).ok());  // ideographic space
  EXPECT_TRUE(CheckText("n", "", 10, false).ok());
}

TEST(CheckText, RejectsControlCharactersAndBadUtf8) {
  EXPECT_EQ(CheckText("n", "a\nb", 10, false).message(), "n: must not contain control characters");
  EXPECT_EQ(CheckText("n", "\xE6\x89", 10, false).message(), "n: is not valid UTF-8");
  EXPECT_EQ(CheckText("n", "\xC0\xAF", 10, false).message(), "n: is not valid UTF-8");  // overlong
}

TEST(Utf8Length, CountsCodePoints) {
  EXPECT_EQ(Utf8Length("abc"), 3);
  EXPECT_EQ(Utf8Length("专精特新"), 4);
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1);
  EXPECT_EQ(Utf8Length("\xFF"), -1);
}

TEST(CheckId, AcceptsSlugsOnly) {
  EXPECT_TRUE(CheckId("unit_id", "town-chengan").ok());
  EXPECT_TRUE(CheckId("unit_id", "d2").ok());
  EXPECT_EQ(CheckId("unit_id", "").message(), "unit_id: must not be empty");
  EXPECT_FALSE(CheckId("unit_id", "Town").ok());
  EXPECT_FALSE(CheckId("unit_id", "1town").ok());
  EXPECT_FALSE(CheckId("unit_id", "town_a").ok());
  EXPECT_FALSE(CheckId("unit_id", "承安").ok());
  EXPECT_FALSE(CheckId("unit_id", std::string(65, 'a')).ok());
}

TEST(CheckRequestId, AllowsUuidsAndRejectsOddCharacters) {
  EXPECT_TRUE(CheckRequestId("request_id", "").ok());
  EXPECT_TRUE(CheckRequestId("request_id", "3f2a1b2c-0000-4000-8000-000000000001").ok());
  EXPECT_FALSE(CheckRequestId("request_id", "a b").ok());
  EXPECT_FALSE(CheckRequestId("request_id", std::string(65, 'a')).ok());
}

TEST(TrimText, RemovesAsciiAndIdeographicSpaces) {
  EXPECT_EQ(TrimText("\xE3\x80\x80 承安镇\t\xE3\x80\x80"), "承安镇");
  EXPECT_EQ(TrimText("a b"), "a b");
  EXPECT_EQ(TrimText("   "), "");
}

}  // namespace
}  // namespace uplift

// Tests of page sizes and page tokens.
#include "common/page.h"

#include <gtest/gtest.h>

namespace uplift {
namespace {

TEST(PageSize, DefaultsClampsAndRejectsNegative) {
  EXPECT_EQ(*PageSize(0), kDefaultPageSize);
  EXPECT_EQ(*PageSize(20), 20);
  EXPECT_EQ(*PageSize(5000), kMaxPageSize);
  EXPECT_EQ(PageSize(-1).status().message(), "page_size: must not be negative");
}

TEST(PageToken, RoundTripsTheLastKey) {
  const std::string token = EncodePageToken("91130184MA0000001P", "cluster=a");
  EXPECT_EQ(*DecodePageToken(token, "cluster=a"), "91130184MA0000001P");
  EXPECT_EQ(*DecodePageToken("", "anything"), "");
}

TEST(PageToken, RefusesOtherFiltersAndGarbage) {
  const std::string token = EncodePageToken("k", "cluster=a");
  absl::Status other = DecodePageToken(token, "cluster=b").status();
  EXPECT_EQ(other.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(other.message().find("page_token"), std::string::npos);
  EXPECT_FALSE(DecodePageToken("not a token!", "x").ok());
  EXPECT_FALSE(DecodePageToken("aGVsbG8", "x").ok());  // base64 of "hello"
}

}  // namespace
}  // namespace uplift

// Tests of page sizes and page tokens.
#include "common/page.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

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

TEST(PageToken, AHandMadeTokenIsRefusedEvenIfItLooksRight) {
  // The old, unsigned format: anyone could compute it.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : std::string("cluster=a")) h = (h ^ c) * 1099511628211ULL;
  const std::string forged = absl::WebSafeBase64Escape(
      absl::StrCat("v1", std::string(1, '\0'), h, std::string(1, '\0'), "k"));
  EXPECT_EQ(DecodePageToken(forged, "cluster=a").status().code(),
            absl::StatusCode::kInvalidArgument);
  // A real token with one byte changed.
  std::string token = EncodePageToken("91130184MA0000001P", "f");
  token[2] = token[2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(DecodePageToken(token, "f").ok());
}

TEST(PageToken, TokensOfAnotherDeploymentAreRefused) {
  SetPageTokenKey(std::string(32, 'a'));
  const std::string token = EncodePageToken("k", "f");
  EXPECT_TRUE(DecodePageToken(token, "f").ok());
  SetPageTokenKey(std::string(32, 'b'));
  EXPECT_FALSE(DecodePageToken(token, "f").ok());
}

TEST(PageToken, OffsetsAreBoundsChecked) {
  EXPECT_EQ(*DecodeOffsetToken("", "f", 10), 0);
  EXPECT_EQ(*DecodeOffsetToken(EncodeOffsetToken(10, "f"), "f", 10), 10);
  for (int64_t bad : {int64_t{-1}, int64_t{11}, INT64_MIN, INT64_MAX}) {
    EXPECT_EQ(DecodeOffsetToken(EncodeOffsetToken(bad, "f"), "f", 10).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_FALSE(DecodeOffsetToken(EncodePageToken("not a number", "f"), "f", 10).ok());
  EXPECT_FALSE(DecodeOffsetToken(std::string(5000, 'A'), "f", 10).ok()) << "too long";
}

}  // namespace
}  // namespace uplift

// gRPC's framing, timeout header and status, as the front door reads them.
#include "services/web/grpc_wire.h"

#include <gtest/gtest.h>

namespace uplift::web {
namespace {

TEST(GrpcWire, AMessageIsFramedAndUnframed) {
  const std::string framed = FrameGrpcMessage("新乐");
  ASSERT_EQ(framed.size(), 5 + 6u);
  EXPECT_EQ(framed.substr(0, 5), std::string("\0\0\0\0\6", 5));
  EXPECT_EQ(*UnframeGrpcMessage(framed), "新乐");
  EXPECT_EQ(*UnframeGrpcMessage(FrameGrpcMessage("")), "");
  const std::string big(70000, 'x');
  EXPECT_EQ(FrameGrpcMessage(big).substr(1, 4), std::string("\0\1\x11\x70", 4));
}

TEST(GrpcWire, AnythingButOneUncompressedMessageIsInternal) {
  EXPECT_EQ(UnframeGrpcMessage("").status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(UnframeGrpcMessage(std::string("\0\0\0", 3)).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(UnframeGrpcMessage(std::string("\1\0\0\0\1x", 6)).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(UnframeGrpcMessage(std::string("\0\0\0\0\2x", 6)).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(UnframeGrpcMessage(FrameGrpcMessage("a") + FrameGrpcMessage("b")).status().code(),
            absl::StatusCode::kInternal);
}

TEST(GrpcWire, TheTimeoutFitsEightDigitsInTheFinestUnit) {
  EXPECT_EQ(GrpcTimeout(absl::Milliseconds(1500)), "1500m");
  EXPECT_EQ(GrpcTimeout(absl::Microseconds(10)), "1m");
  EXPECT_EQ(GrpcTimeout(-absl::Seconds(1)), "1m");
  EXPECT_EQ(GrpcTimeout(absl::Hours(30)), "108000S");
  EXPECT_EQ(GrpcTimeout(absl::InfiniteDuration()), "99999999H");
}

TEST(GrpcWire, PercentEncodingIsUndoneAndBadEscapesKept) {
  EXPECT_EQ(PercentDecode("%E6%96%B0%E4%B9%90 ok"), "新乐 ok");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("%+5"), "%+5");
}

TEST(GrpcWire, TheStatusComesFromGrpcStatusOrElseFromTheHttpStatus) {
  GrpcOutcome ok;
  ok.http_status = 200;
  ok.grpc_status = "0";
  EXPECT_TRUE(StatusOfOutcome(ok).ok());
  GrpcOutcome denied;
  denied.grpc_status = "7";
  denied.grpc_message = "%E4%B8%8D%E8%A1%8C";
  EXPECT_EQ(StatusOfOutcome(denied), absl::PermissionDeniedError("不行"));
  GrpcOutcome odd;
  odd.grpc_status = "99";
  EXPECT_EQ(StatusOfOutcome(odd).code(), absl::StatusCode::kUnknown);
  const std::pair<int, absl::StatusCode> by_http[] = {
      {400, absl::StatusCode::kInternal},         {401, absl::StatusCode::kUnauthenticated},
      {403, absl::StatusCode::kPermissionDenied}, {404, absl::StatusCode::kUnimplemented},
      {503, absl::StatusCode::kUnavailable},      {200, absl::StatusCode::kUnknown}};
  for (const auto& [http, code] : by_http) {
    GrpcOutcome o;
    o.http_status = http;
    EXPECT_EQ(StatusOfOutcome(o).code(), code) << http;
  }
}

}  // namespace
}  // namespace uplift::web

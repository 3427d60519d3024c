// gRPC's message framing, timeout header and status, for unary calls.
#include "services/web/grpc_wire.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace uplift::web {

std::string FrameGrpcMessage(absl::string_view message) {
  const uint32_t n = static_cast<uint32_t>(message.size());
  std::string out;
  out.reserve(5 + message.size());
  out.push_back('\0');
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(n >> shift));
  out.append(message.data(), message.size());
  return out;
}

absl::StatusOr<std::string> UnframeGrpcMessage(absl::string_view data) {
  if (data.size() < 5) {
    return absl::InternalError(
        absl::StrCat("the backend's answer has no whole message (", data.size(), " bytes)"));
  }
  if (data[0] != '\0') {
    return absl::InternalError("the backend answered compressed; the front door asks for none");
  }
  uint32_t n = 0;
  for (int i = 1; i <= 4; ++i) n = (n << 8) | static_cast<unsigned char>(data[i]);
  if (data.size() - 5 != n) {
    return absl::InternalError(absl::StrCat("the backend's answer is not one message (", n,
                                            " bytes announced, ", data.size() - 5, " sent)"));
  }
  return std::string(data.substr(5));
}

std::string GrpcTimeout(absl::Duration timeout) {
  constexpr int64_t kMax = 99999999;  // 8 digits
  const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(timeout));
  if (ms <= kMax) return absl::StrCat(ms, "m");
  const int64_t s = absl::ToInt64Seconds(timeout);
  if (s <= kMax) return absl::StrCat(s, "S");
  return absl::StrCat(std::min<int64_t>(kMax, absl::ToInt64Hours(timeout)), "H");
}

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
        HexDigit(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

absl::Status StatusOfOutcome(const GrpcOutcome& outcome) {
  if (outcome.grpc_status) {
    int code = 0;
    if (!absl::SimpleAtoi(*outcome.grpc_status, &code) || code < 0 || code > 16) {
      return absl::UnknownError(
          absl::StrCat("the backend sent grpc-status ", outcome.grpc_status->substr(0, 16)));
    }
    return absl::Status(static_cast<absl::StatusCode>(code), PercentDecode(outcome.grpc_message));
  }
  // No grpc-status: the answer came from something that is not gRPC.
  const int http = outcome.http_status.value_or(0);
  const std::string what =
      absl::StrCat("the backend answered HTTP ", http, " without a gRPC status");
  switch (http) {
    case 400:
      return absl::InternalError(what);
    case 401:
      return absl::UnauthenticatedError(what);
    case 403:
      return absl::PermissionDeniedError(what);
    case 404:
      return absl::UnimplementedError(what);
    case 429:
    case 502:
    case 503:
    case 504:
      return absl::UnavailableError(what);
    default:
      return absl::UnknownError(what);
  }
}

}  // namespace uplift::web

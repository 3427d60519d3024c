// The Connect protocol's codes, errors and envelopes.
#include "services/web/connect_protocol.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/validation.h"

namespace uplift::web {

std::string ConnectCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return "ok";
    case absl::StatusCode::kCancelled:
      return "canceled";
    case absl::StatusCode::kInvalidArgument:
      return "invalid_argument";
    case absl::StatusCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case absl::StatusCode::kNotFound:
      return "not_found";
    case absl::StatusCode::kAlreadyExists:
      return "already_exists";
    case absl::StatusCode::kPermissionDenied:
      return "permission_denied";
    case absl::StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case absl::StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case absl::StatusCode::kAborted:
      return "aborted";
    case absl::StatusCode::kOutOfRange:
      return "out_of_range";
    case absl::StatusCode::kUnimplemented:
      return "unimplemented";
    case absl::StatusCode::kInternal:
      return "internal";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    case absl::StatusCode::kDataLoss:
      return "data_loss";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    default:
      return "unknown";
  }
}

int HttpStatusOfCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    default:
      return 500;
  }
}

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = text[i];
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      absl::StrAppend(&out, absl::StrFormat("\\u%04x", c));
      ++i;
    } else if (c < 0x80) {
      out.push_back(c);
      ++i;
    } else {
      // One whole UTF-8 sequence, or U+FFFD for a broken one.
      const int n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
      if (n > 0 && i + n <= text.size() && Utf8Length(text.substr(i, n)) == 1) {
        out.append(text.data() + i, n);
        i += n;
      } else {
        out += "\\ufffd";
        ++i;
      }
    }
  }
  out.push_back('"');
  return out;
}

std::string ConnectErrorJson(const absl::Status& status) {
  return absl::StrCat("{\"code\":", JsonQuote(ConnectCode(status.code())),
                      ",\"message\":", JsonQuote(status.message()), "}");
}

std::string Envelope(uint8_t flags, absl::string_view payload) {
  std::string out(5, '\0');
  out[0] = static_cast<char>(flags);
  const uint32_t n = static_cast<uint32_t>(payload.size());
  out[1] = static_cast<char>(n >> 24);
  out[2] = static_cast<char>(n >> 16);
  out[3] = static_cast<char>(n >> 8);
  out[4] = static_cast<char>(n);
  out.append(payload.data(), payload.size());
  return out;
}

absl::StatusOr<std::string> SingleEnvelopePayload(absl::string_view body) {
  if (body.size() < 5) {
    return absl::InvalidArgumentError(
        "request body: a streaming call's body is one enveloped message (5-byte prefix)");
  }
  const auto byte = [&](int i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(body[i]));
  };
  if (byte(0) & kEnvelopeCompressed) {
    return absl::UnimplementedError("request body: compressed messages are not supported");
  }
  if (byte(0) != 0) {
    return absl::InvalidArgumentError("request body: unknown envelope flags");
  }
  const uint32_t n = byte(1) << 24 | byte(2) << 16 | byte(3) << 8 | byte(4);
  if (n != body.size() - 5) {
    return absl::InvalidArgumentError(absl::StrCat("request body: the envelope says ", n,
                                                   " bytes, the body holds ", body.size() - 5));
  }
  return std::string(body.substr(5));
}

std::string EndStreamEnvelope(const absl::Status& status) {
  if (status.ok()) return Envelope(kEnvelopeEndStream, "{}");
  return Envelope(kEnvelopeEndStream, absl::StrCat("{\"error\":", ConnectErrorJson(status), "}"));
}

absl::StatusOr<absl::Duration> ParseConnectTimeout(absl::string_view value) {
  bool digits = !value.empty() && value.size() <= 10;
  for (char c : value) digits = digits && absl::ascii_isdigit(c);
  int64_t ms = 0;
  if (digits) {
    for (char c : value) ms = ms * 10 + (c - '0');
  }
  if (!digits || ms == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Connect-Timeout-Ms: must be a positive whole number of milliseconds (at most 10 digits), "
        "not ",
        QuoteInput(value)));
  }
  return absl::Milliseconds(ms);
}

}  // namespace uplift::web

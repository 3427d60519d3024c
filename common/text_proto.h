// Text-format protobuf files (plans, calendars, rules) parsed with the
// position of the first error: "<origin>:<line>:<column>: <what>".
#pragma once

#include <string>

#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace uplift {

// INVALID_ARGUMENT naming `origin` and the position on a syntax error.
// `locations`, when given, receives where each field was (for later errors).
absl::Status ParseTextProto(const std::string& text, absl::string_view origin,
                            google::protobuf::Message* message,
                            google::protobuf::TextFormat::ParseInfoTree* locations = nullptr);

}  // namespace uplift

// The built-in suite topology and lookups in it.
#include "common/suite_catalog.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/embedded_files.h"
#include "common/text_proto.h"

namespace uplift {
namespace {

absl::Duration ParseRetention(const std::string& text) {
  absl::Duration d;
  if (!absl::ParseDuration(text, &d) || d <= absl::ZeroDuration()) {
    spdlog::critical("suite.textproto: retention \"{}\" is not a duration", text);
    std::abort();
  }
  return d;
}

}  // namespace

const suite::v1::Suite& SuiteTopology() {
  static const suite::v1::Suite* const suite = [] {
    auto* parsed = new suite::v1::Suite();
    for (const EmbeddedFile& file : EmbeddedSuite()) {
      absl::Status s = ParseTextProto(file.text, file.name, parsed);
      if (!s.ok()) {
        spdlog::critical("the built-in suite topology is broken: {}", s.ToString());
        std::abort();
      }
    }
    return parsed;
  }();
  return *suite;
}

const suite::v1::Stream* FindStream(absl::string_view name) {
  for (const suite::v1::Stream& s : SuiteTopology().streams()) {
    if (s.name() == name) return &s;
  }
  return nullptr;
}

const suite::v1::Service* FindService(absl::string_view name) {
  for (const suite::v1::Service& s : SuiteTopology().services()) {
    if (s.name() == name) return &s;
  }
  return nullptr;
}

absl::StatusOr<std::string> StreamOfMessage(const google::protobuf::Descriptor* message) {
  const std::string& stream = message->options().GetExtension(suite::v1::stream);
  if (stream.empty()) {
    return absl::InternalError(
        absl::StrCat(message->full_name(), " has no (uplift.suite.v1.stream) option"));
  }
  if (FindStream(stream) == nullptr) {
    return absl::InternalError(
        absl::StrCat(message->full_name(), " names stream ", stream, ", which the suite lacks"));
  }
  return stream;
}

std::vector<const suite::v1::Stream*> StreamsPublishedBy(absl::string_view service) {
  std::vector<const suite::v1::Stream*> out;
  for (const suite::v1::Stream& s : SuiteTopology().streams()) {
    if (s.publisher() == service) out.push_back(&s);
  }
  return out;
}

std::vector<const suite::v1::Stream*> StreamsConsumedBy(absl::string_view service) {
  std::vector<const suite::v1::Stream*> out;
  for (const suite::v1::Stream& s : SuiteTopology().streams()) {
    for (const std::string& g : s.consumer_groups()) {
      if (g == service) out.push_back(&s);
    }
  }
  return out;
}

std::string DeadLetterStream(absl::string_view stream) { return absl::StrCat("uplift:dlq:", stream); }

absl::Duration StreamRetention(const suite::v1::Stream& stream) {
  return ParseRetention(stream.retention());
}

absl::Duration DeadLetterRetention() {
  return ParseRetention(SuiteTopology().dead_letter_retention());
}

}  // namespace uplift

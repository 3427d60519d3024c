// Encoding and decoding of the stream envelope.
#include "common/stream_event.h"

#include <array>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"

namespace uplift {

absl::Status StreamEvent::UnpackTo(google::protobuf::Message* message) const {
  if (type != message->GetDescriptor()->full_name()) {
    return absl::InvalidArgumentError(absl::StrCat("event ", QuoteInput(event_id), " has type ",
                                                   QuoteInput(type), ", not ",
                                                   message->GetDescriptor()->full_name()));
  }
  if (!message->ParseFromString(payload)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", QuoteInput(event_id), ": payload does not parse as ", type));
  }
  return absl::OkStatus();
}

std::vector<std::string> XAddCommand(const std::string& stream, const std::string& id,
                                     const StreamEvent& e) {
  return {"XADD",    stream,       id,       "event_id",    e.event_id,       "type",
          e.type,    "occurred_at", e.occurred_at, "source",   e.source,         "subject",
          e.subject, "version",    absl::StrCat(e.version), "payload", e.payload, "key_id",
          e.key_id,  "sig",        e.signature};
}

absl::StatusOr<StreamEvent> ParseStreamEntry(const RedisReply& entry) {
  if (entry.type != RedisReply::Type::kArray || entry.elements.size() != 2 ||
      entry.elements[1].type != RedisReply::Type::kArray) {
    return absl::InvalidArgumentError("stream entry is not [id, [fields...]]");
  }
  StreamEvent e;
  e.entry_id = entry.elements[0].str;
  static constexpr std::array<const char*, 9> kNames = {
      "event_id", "type", "occurred_at", "source", "subject", "version", "payload", "key_id", "sig"};
  std::array<std::string*, 9> targets = {&e.event_id, &e.type,    &e.occurred_at,
                                         &e.source,   &e.subject, nullptr,
                                         &e.payload,  &e.key_id,  &e.signature};
  std::array<bool, 9> seen = {};
  std::string version;
  targets[5] = &version;
  const auto& fields = entry.elements[1].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    for (size_t k = 0; k < kNames.size(); ++k) {
      if (fields[i].str == kNames[k]) {
        *targets[k] = fields[i + 1].str;
        seen[k] = true;
      }
    }
  }
  for (size_t k = 0; k < kNames.size(); ++k) {
    if (!seen[k]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "stream entry ", QuoteInput(e.entry_id), " lacks the envelope field ", kNames[k]));
    }
  }
  if (!absl::SimpleAtoi(version, &e.version) || e.version < 1) {
    return absl::InvalidArgumentError(absl::StrCat("stream entry ", QuoteInput(e.entry_id),
                                                   ": version ", QuoteInput(version),
                                                   " is not a positive integer"));
  }
  return e;
}

}  // namespace uplift

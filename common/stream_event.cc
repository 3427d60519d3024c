// Encoding and decoding of the stream envelope.
#include "common/stream_event.h"

#include "absl/strings/str_cat.h"

namespace uplift {

absl::Status StreamEvent::UnpackTo(google::protobuf::Message* message) const {
  if (type != message->GetDescriptor()->full_name()) {
    return absl::InvalidArgumentError(absl::StrCat("event ", event_id, " has type ", type,
                                                   ", not ",
                                                   message->GetDescriptor()->full_name()));
  }
  if (!message->ParseFromString(payload)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event_id, ": payload does not parse as ", type));
  }
  return absl::OkStatus();
}

std::vector<std::string> XAddCommand(const std::string& stream, const StreamEvent& e) {
  return {"XADD",        stream,        "*",      "event_id", e.event_id,
          "type",        e.type,        "occurred_at", e.occurred_at,
          "source",      e.source,      "subject", e.subject,
          "payload",     e.payload};
}

absl::StatusOr<StreamEvent> ParseStreamEntry(const RedisReply& entry) {
  if (entry.type != RedisReply::Type::kArray || entry.elements.size() != 2 ||
      entry.elements[1].type != RedisReply::Type::kArray) {
    return absl::InvalidArgumentError("stream entry is not [id, [fields...]]");
  }
  StreamEvent e;
  e.entry_id = entry.elements[0].str;
  const auto& fields = entry.elements[1].elements;
  bool seen[6] = {};
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& key = fields[i].str;
    const std::string& value = fields[i + 1].str;
    if (key == "event_id") e.event_id = value, seen[0] = true;
    else if (key == "type") e.type = value, seen[1] = true;
    else if (key == "occurred_at") e.occurred_at = value, seen[2] = true;
    else if (key == "source") e.source = value, seen[3] = true;
    else if (key == "subject") e.subject = value, seen[4] = true;
    else if (key == "payload") e.payload = value, seen[5] = true;
  }
  static const char* kNames[6] = {"event_id", "type", "occurred_at",
                                  "source", "subject", "payload"};
  for (int i = 0; i < 6; ++i) {
    if (!seen[i]) {
      return absl::InvalidArgumentError(
          absl::StrCat("stream entry ", e.entry_id, " lacks the envelope field ", kNames[i]));
    }
  }
  return e;
}

}  // namespace uplift

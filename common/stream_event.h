// The envelope of every message on a Redis stream (DESIGN.md): event_id for
// deduplication, type (the payload's protobuf full name), occurred_at,
// source, subject (the entity's key) and the serialized payload.
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "common/redis_client.h"

namespace uplift {

struct StreamEvent {
  std::string event_id;
  std::string type;
  std::string occurred_at;  // RFC 3339, UTC
  std::string source;       // the publishing service, e.g. "uplift-registry"
  std::string subject;      // e.g. the credit code or unit id
  std::string payload;      // serialized protobuf message of `type`
  std::string entry_id;     // the stream entry id, when read back

  // Parses the payload as `message` after checking the type matches.
  absl::Status UnpackTo(google::protobuf::Message* message) const;
};

// XADD <stream> * event_id .. type .. occurred_at .. source .. subject .. payload ..
std::vector<std::string> XAddCommand(const std::string& stream, const StreamEvent& event);

// Parses one entry of an XRANGE/XREADGROUP reply: [id, [field, value, ...]].
// A missing envelope field is INVALID_ARGUMENT naming it.
absl::StatusOr<StreamEvent> ParseStreamEntry(const RedisReply& entry);

}  // namespace uplift

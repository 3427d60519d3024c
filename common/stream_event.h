// The envelope of every message on a Redis stream (DESIGN.md): event_id for
// deduplication, type (the payload's protobuf full name), occurred_at,
// source (the publishing service), subject (the entity the event describes,
// kind-qualified: "enterprise/<code>", "problem/<id>"), version (that
// entity's version at its publisher, so consumers apply only newer ones),
// the serialized payload, and the publisher's Ed25519 signature over all of
// them and the stream's name (key_id, sig; see event_signature.h).
#pragma once

#include <cstdint>
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
  std::string subject;      // the entity, e.g. "enterprise/91130181MA0XXXXXXX"
  int64_t version = 0;      // the entity's version at the publisher, from 1
  std::string payload;      // serialized protobuf message of `type`
  std::string key_id;       // the publisher's signing key
  std::string signature;    // Ed25519, 64 bytes
  std::string entry_id;     // the stream entry id, when read back

  // Parses the payload as `message` after checking the type matches.
  absl::Status UnpackTo(google::protobuf::Message* message) const;
};

// XADD <stream> <id> event_id .. type .. ... sig ..; `id` is "*" or an
// explicit "<ms>-<seq>".
std::vector<std::string> XAddCommand(const std::string& stream, const std::string& id,
                                     const StreamEvent& event);

// Parses one entry of an XRANGE/XREADGROUP reply: [id, [field, value, ...]].
// A missing or malformed envelope field is INVALID_ARGUMENT naming it.
absl::StatusOr<StreamEvent> ParseStreamEntry(const RedisReply& entry);

}  // namespace uplift

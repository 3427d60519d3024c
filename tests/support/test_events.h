// Stream events as their publisher writes them, for tests that deliver or
// publish events by hand: a fresh id, the payload's type, the subject and
// its version. Signing is left to the caller (which key is the point of
// most such tests).
#pragma once

#include <cstdint>
#include <string>

#include <google/protobuf/message.h>

#include "absl/time/clock.h"
#include "common/ids.h"
#include "common/stream_event.h"
#include "common/time_util.h"

namespace uplift::testing {

inline StreamEvent TestEvent(const google::protobuf::Message& payload, const std::string& source,
                             const std::string& subject, int64_t version,
                             absl::Time occurred_at = absl::Now()) {
  StreamEvent event;
  event.event_id = NewUuid();
  event.type = payload.GetDescriptor()->full_name();
  event.occurred_at = FormatRfc3339(occurred_at);
  event.source = source;
  event.subject = subject;
  event.version = version;
  payload.SerializeToString(&event.payload);
  return event;
}

}  // namespace uplift::testing

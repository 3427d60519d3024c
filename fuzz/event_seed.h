// Seeding a fuzz target's database with events, as the router applies them
// from a stream (unsigned: the seed is the target's own).
#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "common/event_router.h"
#include "common/suite_catalog.h"
#include "fuzz/seeded_database.h"

namespace uplift::fuzz {

// Applies `payload` as the next event (a subject of its own, version 1).
inline void DeliverEvent(EventRouter& router, const google::protobuf::Message& payload) {
  static int events = 0;
  StreamEvent e;
  e.event_id = "seed-" + std::to_string(++events);
  e.type = payload.GetDescriptor()->full_name();
  e.subject = e.event_id;
  e.version = 1;
  payload.SerializeToString(&e.payload);
  absl::StatusOr<std::string> stream = StreamOfMessage(payload.GetDescriptor());
  MustOk(stream.status(), "the stream of a seed event");
  MustOk(router.Handle(*stream, e), "deliver a seed event");
}

}  // namespace uplift::fuzz

// The suite's topology (protos/uplift/suite/v1/suite.textproto, built into
// every binary): its services, its streams with their publisher and
// consumer groups, and the stream each event message is bound to by the
// option (uplift.suite.v1.stream).
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "uplift/suite/v1/suite.pb.h"

namespace uplift {

// Parsed once; a malformed built-in file is a broken build and aborts.
const suite::v1::Suite& SuiteTopology();

const suite::v1::Stream* FindStream(absl::string_view name);
const suite::v1::Service* FindService(absl::string_view name);

// The stream a message type is published on; INTERNAL if the message has no
// (uplift.suite.v1.stream) option or names a stream the suite lacks.
absl::StatusOr<std::string> StreamOfMessage(const google::protobuf::Descriptor* message);

std::vector<const suite::v1::Stream*> StreamsPublishedBy(absl::string_view service);
// Streams `service` reads in its own consumer group.
std::vector<const suite::v1::Stream*> StreamsConsumedBy(absl::string_view service);

// "uplift:dlq:<stream>": where a consumer puts entries it cannot handle.
std::string DeadLetterStream(absl::string_view stream);

// A stream's retention, and the dead letters'.
absl::Duration StreamRetention(const suite::v1::Stream& stream);
absl::Duration DeadLetterRetention();

}  // namespace uplift

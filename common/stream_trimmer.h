// Trimming streams without losing anything a consumer still needs: a
// published stream is cut (XTRIM MINID) below the oldest of its retention
// cut-off and, for every consumer group the suite names, the group's oldest
// pending entry or the first entry it has not been given. A group that does
// not exist yet (its service never started) stops trimming altogether.
// Dead-letter streams are cut by age alone.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis_client.h"
#include "uplift/suite/v1/suite.pb.h"

namespace uplift {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;
  bool operator<(const StreamId& o) const { return ms < o.ms || (ms == o.ms && seq < o.seq); }
  std::string ToString() const;
};
// "1690000000000-5"; "5" is 5-0; anything else is 0-0.
StreamId ParseStreamId(absl::string_view id);

struct TrimOutcome {
  int64_t removed = 0;
  std::string min_id;          // entries below it are gone
  std::string waiting_for;     // a group that does not exist yet: nothing trimmed
};

// `now` is the publisher's clock (its entry ids carry its time).
absl::StatusOr<TrimOutcome> TrimStream(RedisClient& redis, const suite::v1::Stream& stream,
                                       absl::Time now);
// Entries of uplift:dlq:<stream> older than the suite's dead-letter
// retention (their ids carry Redis's own time).
absl::StatusOr<TrimOutcome> TrimDeadLetters(RedisClient& redis, absl::string_view stream,
                                            absl::Time now);

}  // namespace uplift

// Idempotent creates (AIP-155): a request_id remembered with the caller,
// the request's hash and the first response, in the same transaction as the
// change. Keys are per caller (subject, role and unit of the token): one
// caller's request_id never replays another's response. Callers check
// access before they look a key up. Keys are purged after a day
// (PurgeIdempotencyKeys; docs/architecture.md).
#pragma once

#include <string>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/sql/connection.h"

namespace uplift {

inline constexpr absl::Duration kIdempotencyRetention = absl::Hours(24);

class IdempotencyKeys {
 public:
  explicit IdempotencyKeys(const Clock* clock) : clock_(clock) {}

  // The stored response of `who` for (method, request_id), if any. A
  // request_id reused with a different request is FAILED_PRECONDITION.
  absl::StatusOr<bool> Lookup(sql::Connection& tx, const Principal& who, absl::string_view method,
                              absl::string_view request_id,
                              const google::protobuf::Message& request,
                              google::protobuf::Message* response) const;
  // Stores the response; call in the transaction that made the change.
  void Remember(sql::Connection& tx, const Principal& who, absl::string_view method,
                absl::string_view request_id, const google::protobuf::Message& request,
                const google::protobuf::Message& response) const;

 private:
  const Clock* clock_;
};

// Deletes keys older than `retention`; returns how many.
int64_t PurgeIdempotencyKeys(sql::Connection& tx, absl::Time now, absl::Duration retention);

}  // namespace uplift

// Idempotent creates (AIP-155): a request_id remembered with the request's
// hash and the first response, in the same transaction as the change.
#pragma once

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "common/clock.h"

namespace uplift {

class IdempotencyKeys {
 public:
  explicit IdempotencyKeys(const Clock* clock) : clock_(clock) {}

  // The stored response for (method, request_id), if any. A request_id
  // reused with a different request is FAILED_PRECONDITION.
  absl::StatusOr<bool> Lookup(SQLite::Database& tx, absl::string_view method,
                              absl::string_view request_id,
                              const google::protobuf::Message& request,
                              google::protobuf::Message* response) const;
  // Stores the response; call in the transaction that made the change.
  void Remember(SQLite::Database& tx, absl::string_view method, absl::string_view request_id,
                const google::protobuf::Message& request,
                const google::protobuf::Message& response) const;

 private:
  const Clock* clock_;
};

}  // namespace uplift

// The audit log: every change a service makes is recorded, in the same
// transaction, with who made it, when, and the entity before and after.
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/sql/store.h"
#include "uplift/audit/v1/audit.pb.h"

namespace uplift {

class AuditLog {
 public:
  explicit AuditLog(const Clock* clock) : clock_(clock) {}

  // Records one change inside the caller's transaction. `before` is null for
  // a creation, `after` null for a deletion.
  void Record(sql::Connection& tx, const Principal& who, absl::string_view action,
              absl::string_view target, const google::protobuf::Message* before,
              const google::protobuf::Message* after, absl::string_view request_id) const;

  // Newest first, filtered and paginated (page_token is opaque to callers).
  absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> List(
      sql::Store& db, const uplift::audit::v1::ListAuditRecordsRequest& request) const;

 private:
  const Clock* clock_;
};

// The message as compact JSON with proto field names, for the audit log.
std::string ToAuditJson(const google::protobuf::Message& message);

}  // namespace uplift

// What a consumer has applied, recorded in the transaction of the effect:
// the event_ids (a redelivered entry is dropped) and, per stream and
// subject, the newest version applied (an older one arriving late is
// dropped). Both tables are purged after their retention
// (PurgeProcessedEvents); the versions are kept as long as the subject's.
// Written on the store interface (either engine).
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "common/sql/connection.h"

namespace uplift {

// Inside the consumer's transaction: true if `event_id` is new (and now
// recorded), false if it was applied before and must be skipped.
bool MarkEventProcessed(sql::Connection& tx, const std::string& event_id, const std::string& stream,
                        absl::Time now);
// The newest version of `subject` applied from `stream`, 0 if none.
int64_t AppliedVersion(sql::Connection& tx, const std::string& stream, const std::string& subject);
// Records `version` unless a newer one is recorded already.
void SetAppliedVersion(sql::Connection& tx, const std::string& stream, const std::string& subject,
                       int64_t version);
// Deletes processed event ids older than `retention` (30 days by default,
// docs/architecture.md); returns how many.
int64_t PurgeProcessedEvents(sql::Connection& tx, absl::Time now, absl::Duration retention);

}  // namespace uplift

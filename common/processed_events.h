// Idempotent consumption: the event_ids a service has applied, recorded in
// the same transaction as their effect, so a redelivered event is skipped.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "absl/time/time.h"

namespace uplift {

// Inside the consumer's transaction: true if `event_id` is new (and now
// recorded), false if it was applied before and must be skipped.
bool MarkEventProcessed(SQLite::Database& tx, const std::string& event_id,
                        const std::string& stream, absl::Time now);

}  // namespace uplift

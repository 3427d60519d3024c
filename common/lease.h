// A named lease in the service's database: among replicas sharing one
// database, the one holding "outbox-relay" publishes the outbox and the one
// holding "sweep" runs the periodic sweep, so each row is published once and
// each period's work done once. A holder that dies loses the lease when it
// expires; a live one renews it before half its time is gone.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/sql/store.h"

namespace uplift {

class Lease {
 public:
  // `holder` names this replica (unique, e.g. "<host>-<pid>").
  Lease(sql::Store* db, const Clock* clock, std::string name, std::string holder,
        absl::Duration ttl = absl::Seconds(15));

  // True if this replica holds the lease now (taking or renewing it when
  // needed; a database error means "not held").
  bool Hold();
  // Gives the lease up at once (a clean shutdown hands over quickly).
  void Release();

 private:
  sql::Store* const db_;
  const Clock* const clock_;
  const std::string name_;
  const std::string holder_;
  const absl::Duration ttl_;
  absl::Mutex mu_;
  absl::Time held_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  // Another replica holds it: do not ask the database again before this.
  absl::Time retry_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace uplift

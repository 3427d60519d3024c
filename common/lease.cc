// Leases: one row per name, taken when free or expired.
#include "common/lease.h"

#include "common/sql/query.h"

namespace uplift {

Lease::Lease(sql::Store* db, const Clock* clock, std::string name, std::string holder,
             absl::Duration ttl)
    : db_(db), clock_(clock), name_(std::move(name)), holder_(std::move(holder)), ttl_(ttl) {}

bool Lease::Hold() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  if (now < held_until_ - ttl_ / 2) return true;
  if (now < retry_at_) return now < held_until_;
  const absl::Time until = now + ttl_;
  bool held = false;
  absl::Status s = db_->Write([&](sql::Connection& tx) {
    sql::Query take(tx,
                    "INSERT INTO leases(name, holder, expires_ms) VALUES(?1, ?2, ?3)"
                    " ON CONFLICT(name) DO UPDATE SET holder=?2, expires_ms=?3"
                    " WHERE leases.holder=?2 OR leases.expires_ms<?4");
    take.Bind(1, name_);
    take.Bind(2, holder_);
    take.Bind(3, absl::ToUnixMillis(until));
    take.Bind(4, absl::ToUnixMillis(now));
    held = take.Exec() == 1;
    return absl::OkStatus();
  });
  held_until_ = s.ok() && held ? until : absl::InfinitePast();
  retry_at_ = held ? absl::InfinitePast() : now + ttl_ / 3;
  return now < held_until_;
}

void Lease::Release() {
  absl::MutexLock lock(&mu_);
  if (held_until_ == absl::InfinitePast()) return;
  held_until_ = absl::InfinitePast();
  retry_at_ = absl::InfinitePast();
  (void)db_->Write([&](sql::Connection& tx) {
    sql::Query drop(tx, "DELETE FROM leases WHERE name=? AND holder=?");
    drop.Bind(1, name_);
    drop.Bind(2, holder_);
    drop.Exec();
    return absl::OkStatus();
  });
}

}  // namespace uplift

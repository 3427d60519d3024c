// The token ids revoked in this deployment, each kept until the token would
// have expired anyway. Filled by RevocationWatcher from uplift:revocations;
// read by the Authenticator on every call and by live streams as they run.
#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace uplift {

class RevocationList {
 public:
  void Add(const std::string& token_id, absl::Time expires);
  bool IsRevoked(absl::string_view token_id) const;
  // Forgets revocations of tokens that have expired by `now`.
  void PurgeExpired(absl::Time now);
  size_t size() const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::Time> revoked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace uplift

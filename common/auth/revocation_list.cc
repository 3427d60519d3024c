// The revoked token ids.
#include "common/auth/revocation_list.h"

namespace uplift {

void RevocationList::Add(const std::string& token_id, absl::Time expires) {
  absl::MutexLock lock(&mu_);
  revoked_[token_id] = expires;
}

bool RevocationList::IsRevoked(absl::string_view token_id) const {
  absl::ReaderMutexLock lock(&mu_);
  return revoked_.contains(token_id);
}

void RevocationList::PurgeExpired(absl::Time now) {
  absl::MutexLock lock(&mu_);
  absl::erase_if(revoked_, [now](const auto& entry) { return entry.second < now; });
}

size_t RevocationList::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return revoked_.size();
}

}  // namespace uplift

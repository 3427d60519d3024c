// EnterpriseCache.
#include "services/registry/enterprise_cache.h"

namespace uplift::registry {

std::optional<uplift::registry::v1::Enterprise> EnterpriseCache::Get(
    const std::string& credit_code) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = entries_.find(credit_code);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void EnterpriseCache::Put(const uplift::registry::v1::Enterprise& enterprise) {
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= capacity_ && !entries_.contains(enterprise.credit_code())) {
    entries_.erase(entries_.begin());
  }
  entries_[enterprise.credit_code()] = enterprise;
}

void EnterpriseCache::Invalidate(const std::string& credit_code) {
  absl::MutexLock lock(&mu_);
  entries_.erase(credit_code);
}

size_t EnterpriseCache::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace uplift::registry

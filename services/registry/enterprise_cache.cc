// EnterpriseCache.
#include "services/registry/enterprise_cache.h"

namespace uplift::registry {

std::optional<uplift::registry::v1::Enterprise> EnterpriseCache::Get(const std::string& credit_code,
                                                                     int64_t version) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = entries_.find(credit_code);
  if (it == entries_.end() || it->second.version != version) return std::nullopt;
  return it->second.enterprise;
}

void EnterpriseCache::Put(const uplift::registry::v1::Enterprise& enterprise, int64_t version) {
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(enterprise.credit_code());
  if (it != entries_.end()) {
    if (it->second.version <= version) it->second = {version, enterprise};
    return;
  }
  if (entries_.size() >= capacity_) entries_.erase(entries_.begin());
  entries_.emplace(enterprise.credit_code(), Entry{version, enterprise});
}

size_t EnterpriseCache::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace uplift::registry

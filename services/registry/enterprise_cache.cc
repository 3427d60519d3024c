// EnterpriseCache.
#include "services/registry/enterprise_cache.h"

namespace uplift::registry {

std::optional<uplift::registry::v1::Enterprise> EnterpriseCache::GetUnchangedSince(
    const std::string& credit_code, uint64_t generation) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = entries_.find(credit_code);
  if (it == entries_.end() || it->second.current_at != generation) return std::nullopt;
  return it->second.enterprise;
}

std::optional<uplift::registry::v1::Enterprise> EnterpriseCache::GetAtVersion(
    const std::string& credit_code, int64_t version, std::optional<uint64_t> generation) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(credit_code);
  if (it == entries_.end() || it->second.version != version) return std::nullopt;
  // Any reader's finding is true of some moment after its generation was
  // taken; the last one noted is as good as any (only equality is compared).
  it->second.current_at = generation;
  return it->second.enterprise;
}

void EnterpriseCache::Put(const uplift::registry::v1::Enterprise& enterprise, int64_t version,
                          std::optional<uint64_t> generation) {
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(enterprise.credit_code());
  if (it != entries_.end()) {
    if (it->second.version <= version) it->second = {version, generation, enterprise};
    return;
  }
  if (entries_.size() >= capacity_) entries_.erase(entries_.begin());
  entries_.emplace(enterprise.credit_code(), Entry{version, generation, enterprise});
}

size_t EnterpriseCache::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace uplift::registry

// The read cache of GetEnterprise: enterprises as last committed, keyed by
// credit code. RegistryService fills it while it holds the database (inside
// Store::Read) and drops an entry inside every write transaction that
// touches the enterprise, so a reader never sees a value older than the
// last commit it could have observed. Bounded; an arbitrary entry is
// evicted when full.
#pragma once

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::registry {

class EnterpriseCache {
 public:
  explicit EnterpriseCache(size_t capacity) : capacity_(capacity) {}

  std::optional<uplift::registry::v1::Enterprise> Get(const std::string& credit_code) const;
  void Put(const uplift::registry::v1::Enterprise& enterprise);
  void Invalidate(const std::string& credit_code);
  size_t size() const;

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, uplift::registry::v1::Enterprise> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace uplift::registry

// The read cache of GetEnterprise: enterprises keyed by credit code, each
// with the version (store::EnterpriseVersion) it was read at. Every change
// bumps the version in the same transaction, whichever replica commits it,
// so GetEnterprise reads the version (one key lookup) and uses the cached
// enterprise only when it is that version: no replica serves what another
// has changed, and a reader holding an older snapshot cannot put back an
// older value over a newer one. Bounded; an arbitrary entry is evicted when
// full.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::registry {

class EnterpriseCache {
 public:
  explicit EnterpriseCache(size_t capacity) : capacity_(capacity) {}

  // The enterprise if it is cached at `version`.
  std::optional<uplift::registry::v1::Enterprise> Get(const std::string& credit_code,
                                                      int64_t version) const;
  // Keeps `enterprise` as it is at `version`, unless a newer one is kept.
  void Put(const uplift::registry::v1::Enterprise& enterprise, int64_t version);
  size_t size() const;

 private:
  struct Entry {
    int64_t version;
    uplift::registry::v1::Enterprise enterprise;
  };
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace uplift::registry

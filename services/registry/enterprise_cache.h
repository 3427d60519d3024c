// The read cache of GetEnterprise: enterprises keyed by credit code, each
// with the version (store::EnterpriseVersion) it was read at. Every change
// bumps the version in the same transaction, whichever replica commits it,
// so a read that looks the version up uses the cached enterprise only at
// that version: no replica serves what another has changed, and a reader
// holding an older snapshot cannot put back an older value over a newer one.
//
// Looking the version up is a read transaction. Where the store tells a
// commit generation (sql::Store::CommitGeneration: SQLite), each entry also
// keeps the generation at which it was last found current, and a read at
// that same generation (nothing committed anywhere since) is answered from
// memory without the database. Bounded; an arbitrary entry is evicted when
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

  // The enterprise if it was found current at commit generation
  // `generation` (taken now, before any read).
  std::optional<uplift::registry::v1::Enterprise> GetUnchangedSince(const std::string& credit_code,
                                                                    uint64_t generation) const;
  // The enterprise if it is cached at `version`; it is then noted current at
  // `generation`, the commit generation taken before the read that found
  // `version`.
  std::optional<uplift::registry::v1::Enterprise> GetAtVersion(const std::string& credit_code,
                                                               int64_t version,
                                                               std::optional<uint64_t> generation);
  // Keeps `enterprise` as it is at `version`, read after commit generation
  // `generation` was taken, unless a newer version is kept.
  void Put(const uplift::registry::v1::Enterprise& enterprise, int64_t version,
           std::optional<uint64_t> generation);
  size_t size() const;

 private:
  struct Entry {
    int64_t version;
    std::optional<uint64_t> current_at;  // a commit generation
    uplift::registry::v1::Enterprise enterprise;
  };
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace uplift::registry

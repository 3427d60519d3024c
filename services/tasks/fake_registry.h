// The registry as uplift-tasks sees it, held in memory: for unit tests and
// fuzz targets of TasksService (never linked into the service).
#pragma once

#include <map>
#include <string>

#include "services/tasks/registry_directory.h"

namespace uplift::tasks {

// The registry as the tasks service sees it, in memory (unit tests only).
class FakeRegistry : public RegistryDirectory {
 public:
  absl::StatusOr<rv1::Enterprise> GetEnterprise(const CallAs&, const std::string& code) override {
    if (down) return absl::UnavailableError("registry down");
    auto it = enterprises.find(code);
    if (it == enterprises.end()) return absl::NotFoundError("not registered");
    return it->second;
  }
  absl::StatusOr<rv1::Cluster> GetCluster(const CallAs&, const std::string& id) override {
    if (down) return absl::UnavailableError("registry down");
    auto it = clusters.find(id);
    if (it == clusters.end()) return absl::NotFoundError("no cluster");
    return it->second;
  }
  absl::StatusOr<Upsert> EnsureUnit(const CallAs&, const rv1::Unit& unit) override {
    if (down) return absl::UnavailableError("registry down");
    auto it = units.find(unit.unit_id());
    if (it == units.end()) {
      units[unit.unit_id()] = unit;
      return Upsert::kCreated;
    }
    if (it->second.name() == unit.name() && it->second.kind() == unit.kind())
      return Upsert::kUnchanged;
    it->second = unit;
    return Upsert::kUpdated;
  }
  absl::StatusOr<Upsert> EnsureCluster(const CallAs&, const rv1::Cluster& cluster) override {
    if (down) return absl::UnavailableError("registry down");
    const bool existed = clusters.count(cluster.cluster_id()) > 0;
    const bool same = existed && clusters[cluster.cluster_id()].SerializeAsString() ==
                                     cluster.SerializeAsString();
    clusters[cluster.cluster_id()] = cluster;
    return same ? Upsert::kUnchanged : existed ? Upsert::kUpdated : Upsert::kCreated;
  }
  bool down = false;
  std::map<std::string, rv1::Enterprise> enterprises;
  std::map<std::string, rv1::Cluster> clusters;
  std::map<std::string, rv1::Unit> units;
};

}  // namespace uplift::tasks

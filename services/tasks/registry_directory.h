// What the tasks service needs from the registry: enterprises and clusters
// to look up, units and clusters to create when a plan is applied. An
// interface so the service logic is testable with an in-memory fake; the
// real one (RegistryDirectoryGrpc) calls uplift-registry over gRPC.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/client_channel.h"
#include "services/registry/registry_client.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift::tasks {

namespace rv1 = uplift::registry::v1;

using uplift::CallAs;

enum class Upsert { kCreated, kUpdated, kUnchanged };

class RegistryDirectory {
 public:
  virtual ~RegistryDirectory() = default;
  virtual absl::StatusOr<rv1::Enterprise> GetEnterprise(const CallAs& as,
                                                        const std::string& credit_code) = 0;
  virtual absl::StatusOr<rv1::Cluster> GetCluster(const CallAs& as,
                                                  const std::string& cluster_id) = 0;
  // Creates the unit, or updates the fields the plan sets if they differ.
  virtual absl::StatusOr<Upsert> EnsureUnit(const CallAs& as, const rv1::Unit& unit) = 0;
  virtual absl::StatusOr<Upsert> EnsureCluster(const CallAs& as, const rv1::Cluster& cluster) = 0;
};

class RegistryDirectoryGrpc : public RegistryDirectory {
 public:
  explicit RegistryDirectoryGrpc(std::shared_ptr<grpc::Channel> channel);
  absl::StatusOr<rv1::Enterprise> GetEnterprise(const CallAs& as,
                                                const std::string& credit_code) override;
  absl::StatusOr<rv1::Cluster> GetCluster(const CallAs& as, const std::string& cluster_id) override;
  absl::StatusOr<Upsert> EnsureUnit(const CallAs& as, const rv1::Unit& unit) override;
  absl::StatusOr<Upsert> EnsureCluster(const CallAs& as, const rv1::Cluster& cluster) override;

 private:
  uplift::registry::RegistryClient client_;
  rv1::EnterpriseRegistry::Stub* const stub_;
};

}  // namespace uplift::tasks

// The registry's reads over gRPC, for the services that look units,
// clusters and enterprises up (part of the registry's model library, so no
// service links the registry's own). Every call carries the given token and
// deadline (capped at 5 s); a registry that cannot be reached is
// UNAVAILABLE naming it.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "common/client_channel.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift::registry {

class RegistryClient {
 public:
  explicit RegistryClient(std::shared_ptr<grpc::Channel> channel)
      : stub_(v1::EnterpriseRegistry::NewStub(std::move(channel))) {}

  absl::StatusOr<v1::Enterprise> GetEnterprise(const CallAs& as, const std::string& credit_code);
  absl::StatusOr<v1::Cluster> GetCluster(const CallAs& as, const std::string& cluster_id);
  absl::StatusOr<v1::Unit> GetUnit(const CallAs& as, const std::string& unit_id);
  v1::EnterpriseRegistry::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<v1::EnterpriseRegistry::Stub> stub_;
};

}  // namespace uplift::registry

// Registry reads.
#include "services/registry/registry_client.h"

namespace uplift::registry {

absl::StatusOr<v1::Enterprise> RegistryClient::GetEnterprise(const CallAs& as,
                                                             const std::string& code) {
  v1::GetEnterpriseRequest req;
  req.set_credit_code(code);
  v1::GetEnterpriseResponse resp;
  grpc::Status s = stub_->GetEnterprise(MakeClientContext(as).get(), req, &resp);
  if (!s.ok()) return DependencyError(s, "registry", "GetEnterprise");
  return resp.enterprise();
}

absl::StatusOr<v1::Cluster> RegistryClient::GetCluster(const CallAs& as, const std::string& id) {
  v1::GetClusterRequest req;
  req.set_cluster_id(id);
  v1::GetClusterResponse resp;
  grpc::Status s = stub_->GetCluster(MakeClientContext(as).get(), req, &resp);
  if (!s.ok()) return DependencyError(s, "registry", "GetCluster");
  return resp.cluster();
}

absl::StatusOr<v1::Unit> RegistryClient::GetUnit(const CallAs& as, const std::string& id) {
  v1::GetUnitRequest req;
  req.set_unit_id(id);
  v1::GetUnitResponse resp;
  grpc::Status s = stub_->GetUnit(MakeClientContext(as).get(), req, &resp);
  if (!s.ok()) return DependencyError(s, "registry", "GetUnit " + id);
  return resp.unit();
}

}  // namespace uplift::registry

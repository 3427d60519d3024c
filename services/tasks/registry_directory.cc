// The registry over gRPC (reads through the registry's RegistryClient).
// Every call carries the caller's token (or the service's own) and the
// caller's deadline, capped at 5 s.
#include "services/tasks/registry_directory.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace uplift::tasks {
namespace {

absl::Status FromRegistry(const grpc::Status& s, const std::string& what) {
  return DependencyError(s, "registry", what);
}

bool SameUnit(const rv1::Unit& have, const rv1::Unit& want) {
  return have.name() == want.name() && have.kind() == want.kind() &&
         (want.supervisor_unit_id().empty() || have.supervisor_unit_id() == want.supervisor_unit_id()) &&
         (want.contact().empty() || have.contact() == want.contact());
}

bool SameCluster(const rv1::Cluster& have, const rv1::Cluster& want) {
  return have.name() == want.name() && have.liaison_leader_unit_id() == want.liaison_leader_unit_id() &&
         have.lead_department_unit_id() == want.lead_department_unit_id() &&
         (want.description().empty() || have.description() == want.description());
}

}  // namespace

RegistryDirectoryGrpc::RegistryDirectoryGrpc(std::shared_ptr<grpc::Channel> channel)
    : client_(std::move(channel)), stub_(&client_.stub()) {}

absl::StatusOr<rv1::Enterprise> RegistryDirectoryGrpc::GetEnterprise(const CallAs& as,
                                                                      const std::string& code) {
  return client_.GetEnterprise(as, code);
}

absl::StatusOr<rv1::Cluster> RegistryDirectoryGrpc::GetCluster(const CallAs& as,
                                                               const std::string& id) {
  return client_.GetCluster(as, id);
}

absl::StatusOr<Upsert> RegistryDirectoryGrpc::EnsureUnit(const CallAs& as, const rv1::Unit& unit) {
  rv1::GetUnitRequest get;
  get.set_unit_id(unit.unit_id());
  rv1::GetUnitResponse have;
  grpc::Status s = stub_->GetUnit(MakeClientContext(as).get(), get, &have);
  if (s.error_code() == grpc::StatusCode::NOT_FOUND) {
    rv1::CreateUnitRequest create;
    *create.mutable_unit() = unit;
    create.set_request_id(absl::StrCat("plan-unit-", unit.unit_id()));
    rv1::CreateUnitResponse created;
    s = stub_->CreateUnit(MakeClientContext(as).get(), create, &created);
    if (!s.ok()) return FromRegistry(s, "CreateUnit " + unit.unit_id());
    return Upsert::kCreated;
  }
  if (!s.ok()) return FromRegistry(s, "GetUnit " + unit.unit_id());
  if (SameUnit(have.unit(), unit)) return Upsert::kUnchanged;
  rv1::UpdateUnitRequest update;
  *update.mutable_unit() = unit;
  for (const char* p : {"name", "kind"}) update.mutable_update_mask()->add_paths(p);
  if (!unit.supervisor_unit_id().empty()) update.mutable_update_mask()->add_paths("supervisor_unit_id");
  if (!unit.contact().empty()) update.mutable_update_mask()->add_paths("contact");
  rv1::UpdateUnitResponse updated;
  s = stub_->UpdateUnit(MakeClientContext(as).get(), update, &updated);
  if (!s.ok()) return FromRegistry(s, "UpdateUnit " + unit.unit_id());
  return Upsert::kUpdated;
}

absl::StatusOr<Upsert> RegistryDirectoryGrpc::EnsureCluster(const CallAs& as,
                                                            const rv1::Cluster& cluster) {
  rv1::GetClusterRequest get;
  get.set_cluster_id(cluster.cluster_id());
  rv1::GetClusterResponse have;
  grpc::Status s = stub_->GetCluster(MakeClientContext(as).get(), get, &have);
  if (s.error_code() == grpc::StatusCode::NOT_FOUND) {
    rv1::CreateClusterRequest create;
    *create.mutable_cluster() = cluster;
    create.set_request_id(absl::StrCat("plan-cluster-", cluster.cluster_id()));
    rv1::CreateClusterResponse created;
    s = stub_->CreateCluster(MakeClientContext(as).get(), create, &created);
    if (!s.ok()) return FromRegistry(s, "CreateCluster " + cluster.cluster_id());
    return Upsert::kCreated;
  }
  if (!s.ok()) return FromRegistry(s, "GetCluster " + cluster.cluster_id());
  if (SameCluster(have.cluster(), cluster)) return Upsert::kUnchanged;
  rv1::UpdateClusterRequest update;
  *update.mutable_cluster() = cluster;
  for (const char* p : {"name", "liaison_leader_unit_id", "lead_department_unit_id"}) {
    update.mutable_update_mask()->add_paths(p);
  }
  if (!cluster.description().empty()) update.mutable_update_mask()->add_paths("description");
  rv1::UpdateClusterResponse updated;
  s = stub_->UpdateCluster(MakeClientContext(as).get(), update, &updated);
  if (!s.ok()) return FromRegistry(s, "UpdateCluster " + cluster.cluster_id());
  return Upsert::kUpdated;
}

}  // namespace uplift::tasks

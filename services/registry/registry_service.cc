// RegistryService: construction, the shared change recorder, units,
// clusters and the audit log. Enterprises, tiers and pools live in their
// own registry_service_*.cc files.
#include "services/registry/registry_service.h"

#include "absl/strings/str_cat.h"
#include "common/page.h"
#include "common/sql/query.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/registry/registry_access.h"
#include "services/registry/registry_labels.h"
#include "services/registry/registry_rules.h"
#include "services/registry/registry_store.h"

namespace uplift::registry {
namespace {

absl::Status UnitNotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("unit ", QuoteInput(id), " does not exist"));
}

absl::Status ClusterNotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("cluster ", QuoteInput(id), " does not exist"));
}

// The referenced unit exists and is of `kind`.
absl::Status CheckUnitReference(sql::Connection& tx, const std::string& field,
                                const std::string& unit_id, v1::UnitKind kind) {
  std::optional<v1::Unit> unit = store::FindUnit(tx, unit_id);
  if (!unit.has_value()) return FieldError(field, absl::StrCat("no unit ", QuoteInput(unit_id)));
  if (unit->kind() != kind) {
    return FieldError(field, absl::StrCat("unit ", QuoteInput(unit_id), " is a ",
                                          UnitKindLabel(unit->kind()), ", not a ",
                                          UnitKindLabel(kind)));
  }
  return absl::OkStatus();
}

absl::Status CheckClusterReferences(sql::Connection& tx, const v1::Cluster& c,
                                    const std::string& prefix) {
  RETURN_IF_ERROR(CheckUnitReference(tx, prefix + "liaison_leader_unit_id",
                                     c.liaison_leader_unit_id(), v1::UNIT_KIND_CITY_LEADER));
  return CheckUnitReference(tx, prefix + "lead_department_unit_id",
                            c.lead_department_unit_id(), v1::UNIT_KIND_DEPARTMENT);
}

// A unit's kind may change only if nothing relies on its current kind.
absl::Status CheckKindChange(sql::Connection& tx, const v1::Unit& before, const v1::Unit& after) {
  if (before.kind() == after.kind()) return absl::OkStatus();
  sql::Query q(tx,
               "SELECT (SELECT COUNT(*) FROM enterprises WHERE township_id=?1),"
               " (SELECT COUNT(*) FROM clusters WHERE liaison_leader_unit_id=?1"
               "  OR lead_department_unit_id=?1)");
  q.Bind(1, before.unit_id());
  q.Step();
  const int64_t enterprises = q.Int64(0);
  const int64_t clusters = q.Int64(1);
  if (enterprises > 0 && !IsTerritorial(after.kind())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit.kind: ", before.unit_id(), " holds ", enterprises,
        " enterprises, so it must stay a township, subdistrict or development zone"));
  }
  if (clusters > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit.kind: ", before.unit_id(), " is the liaison leader or lead department of ",
        clusters, " clusters; reassign them first"));
  }
  return absl::OkStatus();
}

}  // namespace

RegistryService::RegistryService(sql::Store* db, const Clock* clock, size_t cache_entries,
                                 RegistryAccess access)
    : db_(db),
      clock_(clock),
      outbox_(kRegistrySource, clock),
      audit_(clock),
      idempotency_(clock),
      cache_(cache_entries),
      access_(std::move(access)) {}

absl::CivilDay RegistryService::Today() const { return ShanghaiDay(clock_->Now()); }

absl::Status RegistryService::RecordChange(sql::Connection& tx, const Principal& who,
                                           absl::string_view action, absl::string_view target,
                                           const google::protobuf::Message* before,
                                           const google::protobuf::Message* after,
                                           absl::string_view subject,
                                           const google::protobuf::Message& event,
                                           absl::string_view request_id) {
  audit_.Record(tx, who, action, target, before, after, request_id);
  return outbox_.Append(tx, subject, event).status();
}

// ---- Units ----

absl::StatusOr<v1::CreateUnitResponse> RegistryService::CreateUnit(
    const Principal& who, const v1::CreateUnitRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "CreateUnit"));
  RETURN_IF_ERROR(CheckRequestId("request_id", req.request_id()));
  v1::Unit unit = req.unit();
  RETURN_IF_ERROR(NormalizeAndCheckUnit(&unit, "unit."));
  v1::CreateUnitResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed, idempotency_.Lookup(tx, who, "CreateUnit", req.request_id(),
                                                        req, &response));
    if (replayed) return absl::OkStatus();
    if (store::FindUnit(tx, unit.unit_id()).has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat("unit.unit_id: unit ", QuoteInput(unit.unit_id()), " already exists"));
    }
    if (!unit.supervisor_unit_id().empty() &&
        !store::FindUnit(tx, unit.supervisor_unit_id()).has_value()) {
      return FieldError("unit.supervisor_unit_id",
                        absl::StrCat("no unit ", QuoteInput(unit.supervisor_unit_id())));
    }
    *unit.mutable_create_time() = ToProtoTimestamp(clock_->Now());
    *unit.mutable_update_time() = unit.create_time();
    store::InsertUnit(tx, unit);
    v1::UnitCreated event;
    *event.mutable_unit() = unit;
    RETURN_IF_ERROR(RecordChange(tx, who, "CreateUnit", "unit/" + unit.unit_id(), nullptr,
                                 &unit, "unit/" + unit.unit_id(), event, req.request_id()));
    *response.mutable_unit() = unit;
    idempotency_.Remember(tx, who, "CreateUnit", req.request_id(), req, response);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetUnitResponse> RegistryService::GetUnit(const Principal& who,
                                                             const v1::GetUnitRequest& req) {
  RETURN_IF_ERROR(CheckId("unit_id", req.unit_id()));
  v1::GetUnitResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::optional<v1::Unit> unit = store::FindUnit(db, req.unit_id());
    if (!unit.has_value()) return UnitNotFound(req.unit_id());
    *response.mutable_unit() = std::move(*unit);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListUnitsResponse> RegistryService::ListUnits(
    const Principal& who, const v1::ListUnitsRequest& req) {
  if (!v1::UnitKind_IsValid(req.kind())) return FieldError("kind", "is not a unit kind");
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  const std::string filter = absl::StrCat(req.kind());
  ASSIGN_OR_RETURN(const std::string after, DecodePageToken(req.page_token(), filter));
  v1::ListUnitsResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    for (v1::Unit& u : store::ListUnits(db, req.kind(), after, page_size + 1)) {
      *response.add_units() = std::move(u);
    }
    return absl::OkStatus();
  }));
  if (response.units_size() > page_size) {
    response.mutable_units()->RemoveLast();
    response.set_next_page_token(
        EncodePageToken(response.units(page_size - 1).unit_id(), filter));
  }
  return response;
}

absl::StatusOr<v1::UpdateUnitResponse> RegistryService::UpdateUnit(
    const Principal& who, const v1::UpdateUnitRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "UpdateUnit"));
  RETURN_IF_ERROR(CheckId("unit.unit_id", req.unit().unit_id()));
  v1::UpdateUnitResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Unit> before = store::FindUnit(tx, req.unit().unit_id());
    if (!before.has_value()) return UnitNotFound(req.unit().unit_id());
    v1::Unit after = *before;
    RETURN_IF_ERROR(ApplyUpdateMask(req.update_mask(), UnitPaths(), req.unit(), &after));
    RETURN_IF_ERROR(NormalizeAndCheckUnit(&after, "unit."));
    std::vector<std::string> changed = ChangedPaths(UnitPaths(), *before, after);
    if (changed.empty()) {
      *response.mutable_unit() = *before;
      return absl::OkStatus();
    }
    if (!after.supervisor_unit_id().empty() &&
        !store::FindUnit(tx, after.supervisor_unit_id()).has_value()) {
      return FieldError("unit.supervisor_unit_id",
                        absl::StrCat("no unit ", QuoteInput(after.supervisor_unit_id())));
    }
    RETURN_IF_ERROR(CheckKindChange(tx, *before, after));
    *after.mutable_update_time() = ToProtoTimestamp(clock_->Now());
    store::UpdateUnit(tx, after);
    v1::UnitUpdated event;
    *event.mutable_before() = *before;
    *event.mutable_after() = after;
    for (const std::string& p : changed) event.add_changed_paths(p);
    RETURN_IF_ERROR(RecordChange(tx, who, "UpdateUnit", "unit/" + after.unit_id(), &*before,
                                 &after, "unit/" + after.unit_id(), event, ""));
    *response.mutable_unit() = after;
    return absl::OkStatus();
  }));
  return response;
}

// ---- Clusters ----

absl::StatusOr<v1::CreateClusterResponse> RegistryService::CreateCluster(
    const Principal& who, const v1::CreateClusterRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "CreateCluster"));
  RETURN_IF_ERROR(CheckRequestId("request_id", req.request_id()));
  v1::Cluster cluster = req.cluster();
  RETURN_IF_ERROR(NormalizeAndCheckCluster(&cluster, "cluster."));
  v1::CreateClusterResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed, idempotency_.Lookup(tx, who, "CreateCluster", req.request_id(),
                                                        req, &response));
    if (replayed) return absl::OkStatus();
    if (store::FindCluster(tx, cluster.cluster_id()).has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(
          "cluster.cluster_id: cluster ", QuoteInput(cluster.cluster_id()), " already exists"));
    }
    RETURN_IF_ERROR(CheckClusterReferences(tx, cluster, "cluster."));
    *cluster.mutable_create_time() = ToProtoTimestamp(clock_->Now());
    *cluster.mutable_update_time() = cluster.create_time();
    store::InsertCluster(tx, cluster);
    v1::ClusterCreated event;
    *event.mutable_cluster() = cluster;
    RETURN_IF_ERROR(RecordChange(tx, who, "CreateCluster", "cluster/" + cluster.cluster_id(),
                                 nullptr, &cluster, "cluster/" + cluster.cluster_id(), event,
                                 req.request_id()));
    *response.mutable_cluster() = cluster;
    idempotency_.Remember(tx, who, "CreateCluster", req.request_id(), req, response);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetClusterResponse> RegistryService::GetCluster(
    const Principal& who, const v1::GetClusterRequest& req) {
  RETURN_IF_ERROR(CheckId("cluster_id", req.cluster_id()));
  v1::GetClusterResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::optional<v1::Cluster> cluster = store::FindCluster(db, req.cluster_id());
    if (!cluster.has_value()) return ClusterNotFound(req.cluster_id());
    *response.mutable_cluster() = std::move(*cluster);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListClustersResponse> RegistryService::ListClusters(
    const Principal& who, const v1::ListClustersRequest& req) {
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  ASSIGN_OR_RETURN(const std::string after, DecodePageToken(req.page_token(), "clusters"));
  v1::ListClustersResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    for (v1::Cluster& c : store::ListClusters(db, after, page_size + 1)) {
      *response.add_clusters() = std::move(c);
    }
    return absl::OkStatus();
  }));
  if (response.clusters_size() > page_size) {
    response.mutable_clusters()->RemoveLast();
    response.set_next_page_token(
        EncodePageToken(response.clusters(page_size - 1).cluster_id(), "clusters"));
  }
  return response;
}

absl::StatusOr<v1::UpdateClusterResponse> RegistryService::UpdateCluster(
    const Principal& who, const v1::UpdateClusterRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "UpdateCluster"));
  RETURN_IF_ERROR(CheckId("cluster.cluster_id", req.cluster().cluster_id()));
  v1::UpdateClusterResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Cluster> before = store::FindCluster(tx, req.cluster().cluster_id());
    if (!before.has_value()) return ClusterNotFound(req.cluster().cluster_id());
    v1::Cluster after = *before;
    RETURN_IF_ERROR(ApplyUpdateMask(req.update_mask(), ClusterPaths(), req.cluster(), &after));
    RETURN_IF_ERROR(NormalizeAndCheckCluster(&after, "cluster."));
    std::vector<std::string> changed = ChangedPaths(ClusterPaths(), *before, after);
    if (changed.empty()) {
      *response.mutable_cluster() = *before;
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(CheckClusterReferences(tx, after, "cluster."));
    *after.mutable_update_time() = ToProtoTimestamp(clock_->Now());
    store::UpdateCluster(tx, after);
    v1::ClusterUpdated event;
    *event.mutable_before() = *before;
    *event.mutable_after() = after;
    for (const std::string& p : changed) event.add_changed_paths(p);
    RETURN_IF_ERROR(RecordChange(tx, who, "UpdateCluster", "cluster/" + after.cluster_id(),
                                 &*before, &after, "cluster/" + after.cluster_id(), event, ""));
    *response.mutable_cluster() = after;
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> RegistryService::ListAuditRecords(
    const Principal& who, const uplift::audit::v1::ListAuditRecordsRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListAuditRecords"));
  return audit_.List(*db_, req);
}

}  // namespace uplift::registry

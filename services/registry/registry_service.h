// The registry's logic, free of gRPC: each method takes the caller's
// Principal and the request, checks access and input, changes the store in
// one transaction together with its audit record and outbox event, and
// returns the response. Tests build it directly on a Database.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/audit_log.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/event_router.h"
#include "common/idempotency.h"
#include "common/outbox.h"
#include "common/sql/store.h"
#include "services/registry/enterprise_cache.h"
#include "services/registry/project_intake.h"
#include "services/registry/registry_access.h"
#include "uplift/registry/v1/registry.pb.h"
#include "uplift/registry/v1/registry_events.pb.h"

namespace uplift::registry {

inline constexpr char kRegistryEventsStream[] = "uplift:events:registry";
inline constexpr char kRegistrySource[] = "uplift-registry";

// The enterprise as events name it.
v1::EnterpriseRef RefOf(const v1::Enterprise& enterprise);

class RegistryService {
 public:
  // `cache_entries`: how many enterprises GetEnterprise keeps in memory.
  RegistryService(sql::Store* db, const Clock* clock, size_t cache_entries = 100000,
                  RegistryAccess access = RegistryAccess());

  absl::StatusOr<v1::CreateUnitResponse> CreateUnit(const Principal& who,
                                                    const v1::CreateUnitRequest& req);
  absl::StatusOr<v1::GetUnitResponse> GetUnit(const Principal& who,
                                              const v1::GetUnitRequest& req);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(const Principal& who,
                                                  const v1::ListUnitsRequest& req);
  absl::StatusOr<v1::UpdateUnitResponse> UpdateUnit(const Principal& who,
                                                    const v1::UpdateUnitRequest& req);

  absl::StatusOr<v1::CreateClusterResponse> CreateCluster(const Principal& who,
                                                          const v1::CreateClusterRequest& req);
  absl::StatusOr<v1::GetClusterResponse> GetCluster(const Principal& who,
                                                    const v1::GetClusterRequest& req);
  absl::StatusOr<v1::ListClustersResponse> ListClusters(const Principal& who,
                                                        const v1::ListClustersRequest& req);
  absl::StatusOr<v1::UpdateClusterResponse> UpdateCluster(const Principal& who,
                                                          const v1::UpdateClusterRequest& req);

  absl::StatusOr<v1::CreateEnterpriseResponse> CreateEnterprise(
      const Principal& who, const v1::CreateEnterpriseRequest& req);
  absl::StatusOr<v1::GetEnterpriseResponse> GetEnterprise(const Principal& who,
                                                          const v1::GetEnterpriseRequest& req);
  // GetEnterprise's answer without waiting, or nullopt: a bad credit code's
  // error, or the cached enterprise while nothing has committed since it
  // was found current (EnterpriseCache, sql::Store::CommitGeneration).
  std::optional<absl::StatusOr<v1::GetEnterpriseResponse>> GetEnterpriseFromMemory(
      const Principal& who, const v1::GetEnterpriseRequest& req);
  absl::StatusOr<v1::ListEnterprisesResponse> ListEnterprises(
      const Principal& who, const v1::ListEnterprisesRequest& req);
  absl::StatusOr<v1::UpdateEnterpriseResponse> UpdateEnterprise(
      const Principal& who, const v1::UpdateEnterpriseRequest& req);

  absl::StatusOr<v1::AwardTierResponse> AwardTier(const Principal& who,
                                                  const v1::AwardTierRequest& req);
  absl::StatusOr<v1::RevokeTierResponse> RevokeTier(const Principal& who,
                                                    const v1::RevokeTierRequest& req);
  absl::StatusOr<v1::ListTierAwardsResponse> ListTierAwards(
      const Principal& who, const v1::ListTierAwardsRequest& req);

  absl::StatusOr<v1::EnterListingPoolResponse> EnterListingPool(
      const Principal& who, const v1::EnterListingPoolRequest& req);
  absl::StatusOr<v1::AdvanceListingStageResponse> AdvanceListingStage(
      const Principal& who, const v1::AdvanceListingStageRequest& req);
  absl::StatusOr<v1::LeaveListingPoolResponse> LeaveListingPool(
      const Principal& who, const v1::LeaveListingPoolRequest& req);
  absl::StatusOr<v1::EnterAboveSizePoolResponse> EnterAboveSizePool(
      const Principal& who, const v1::EnterAboveSizePoolRequest& req);
  absl::StatusOr<v1::LeaveAboveSizePoolResponse> LeaveAboveSizePool(
      const Principal& who, const v1::LeaveAboveSizePoolRequest& req);
  absl::StatusOr<v1::MarkAboveSizeResponse> MarkAboveSize(const Principal& who,
                                                          const v1::MarkAboveSizeRequest& req);
  absl::StatusOr<v1::ListPoolHistoryResponse> ListPoolHistory(
      const Principal& who, const v1::ListPoolHistoryRequest& req);

  absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> ListAuditRecords(
      const Principal& who, const uplift::audit::v1::ListAuditRecordsRequest& req);

  // Bulk import, one row at a time inside the caller's transaction (see
  // EnterpriseImport). Validates, checks the row's township against `who`,
  // then creates, updates (when `update_existing`) or reports it unchanged.
  // The caller passed ImportAllowed first.
  enum class ImportOutcome { kCreated, kUpdated, kUnchanged };
  absl::StatusOr<ImportOutcome> ImportRow(sql::Connection& tx, const Principal& who,
                                          const v1::Enterprise& row, bool update_existing);

  absl::Status ImportAllowed(const Principal& who) const {
    return access_.Gate(who, "ImportEnterprises");
  }
  sql::Store* database() { return db_; }

  // The events the registry consumes: uplift-tasks' ProjectChanged, for
  // 新建投产入统 (ApplyProjectIntake).
  void RegisterEventHandlers(EventRouter* router);
  // Inside the router's transaction: enters the project's enterprise in the
  // above-size cultivation pool, or marks it above size, as `intake` says.
  // Nothing happens for an enterprise not (yet) registered, one already
  // above size, or (投产) one in the pool or that this project has entered
  // before; the system is the actor.
  absl::Status ApplyProjectIntake(sql::Connection& tx, const ProjectIntake& intake);

 private:
  // Records the audit entry and the outbox event of one change, inside `tx`.
  // `subject` is the entity the event describes ("unit/<id>",
  // "enterprise/<code>", "award/<id>").
  absl::Status RecordChange(sql::Connection& tx, const Principal& who, absl::string_view action,
                            absl::string_view target, const google::protobuf::Message* before,
                            const google::protobuf::Message* after, absl::string_view subject,
                            const google::protobuf::Message& event, absl::string_view request_id);

  // Inside `tx`: input already normalized and validated.
  // `method` is the RPC being served, for the access check.
  absl::StatusOr<v1::Enterprise> InsertEnterpriseTx(sql::Connection& tx, const Principal& who,
                                                    absl::string_view method,
                                                    v1::Enterprise enterprise,
                                                    absl::string_view request_id);
  // Replaces the updatable fields of `current` by those of `desired` at
  // `paths`; a no-op if nothing differs.
  absl::StatusOr<v1::Enterprise> UpdateEnterpriseTx(sql::Connection& tx, const Principal& who,
                                                    absl::string_view method,
                                                    const v1::Enterprise& current,
                                                    const v1::Enterprise& desired,
                                                    const google::protobuf::FieldMask& paths);
  // References of an enterprise (cluster, township) exist and fit.
  absl::Status CheckEnterpriseReferences(sql::Connection& tx, const v1::Enterprise& e);
  // The enterprise or NOT_FOUND; `code` must already be normalized.
  absl::StatusOr<v1::Enterprise> LoadEnterprise(sql::Connection& tx, const std::string& code);
  // The cached enterprise `code` if it was found current at `generation`.
  std::optional<v1::GetEnterpriseResponse> CachedAt(const std::string& code,
                                                    std::optional<uint64_t> generation) const;
  // Saves a pool or stage change of `after` with its history entry and events.
  absl::Status SavePoolChange(sql::Connection& tx, const Principal& who, absl::string_view action,
                              const v1::Enterprise& before, v1::Enterprise& after,
                              v1::PoolHistoryEntry entry);
  // The cores of EnterAboveSizePool and MarkAboveSize inside `tx`, after
  // access and input are checked; they return the enterprise after.
  absl::StatusOr<v1::Enterprise> EnterAboveSizePoolTx(sql::Connection& tx, const Principal& who,
                                                      absl::string_view action,
                                                      const v1::Enterprise& before,
                                                      absl::CivilDay date, const std::string& note);
  absl::StatusOr<v1::Enterprise> MarkAboveSizeTx(sql::Connection& tx, const Principal& who,
                                                 absl::string_view action,
                                                 const v1::Enterprise& before, absl::CivilDay since,
                                                 const std::string& note);
  absl::CivilDay Today() const;

  sql::Store* const db_;
  const Clock* const clock_;
  Outbox outbox_;
  AuditLog audit_;
  IdempotencyKeys idempotency_;
  EnterpriseCache cache_;
  const RegistryAccess access_;
};

}  // namespace uplift::registry

// Registry rows <-> protobuf messages. Every function runs on a connection
// the caller holds (inside Store::Read or Store::Write); none checks
// permissions or validates input: that is RegistryService's job.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/sql/connection.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::registry::store {

namespace v1 = uplift::registry::v1;

std::optional<v1::Unit> FindUnit(sql::Connection& db, const std::string& unit_id);
void InsertUnit(sql::Connection& db, const v1::Unit& unit);
void UpdateUnit(sql::Connection& db, const v1::Unit& unit);
// Ordered by unit_id, after `after_id`; kind UNSPECIFIED means all kinds.
std::vector<v1::Unit> ListUnits(sql::Connection& db, v1::UnitKind kind, const std::string& after_id,
                                int limit);

std::optional<v1::Cluster> FindCluster(sql::Connection& db, const std::string& cluster_id);
void InsertCluster(sql::Connection& db, const v1::Cluster& cluster);
void UpdateCluster(sql::Connection& db, const v1::Cluster& cluster);
std::vector<v1::Cluster> ListClusters(sql::Connection& db, const std::string& after_id, int limit);

struct EnterpriseFilter {
  std::string cluster_id;
  std::string township_id;
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  v1::Pool pool = v1::POOL_UNSPECIFIED;
  std::optional<bool> key_enterprise;
  std::optional<bool> above_size;
  std::string query;  // name contains it, or credit code starts with it
};

// With active tiers and etag filled in.
std::optional<v1::Enterprise> FindEnterprise(sql::Connection& db, const std::string& credit_code);
// How many changes GetEnterprise's answer for the enterprise has had (0:
// none since it was stored): UpdateEnterprise, InsertAward and
// SaveRevocation bump it, in the caller's transaction (the replicas'
// caches compare it, EnterpriseCache).
int64_t EnterpriseVersion(sql::Connection& db, const std::string& credit_code);
void BumpEnterpriseVersion(sql::Connection& db, const std::string& credit_code);
void InsertEnterprise(sql::Connection& db, const v1::Enterprise& enterprise);
// Writes every stored column and bumps the version (the etag).
void UpdateEnterprise(sql::Connection& db, const v1::Enterprise& enterprise);
// Ordered by credit_code, after `after_code`.
std::vector<v1::Enterprise> ListEnterprises(sql::Connection& db, const EnterpriseFilter& filter,
                                            const std::string& after_code, int limit);

void InsertAward(sql::Connection& db, const std::string& credit_code, const v1::TierAward& award,
                 absl::Time now);
std::optional<v1::TierAward> FindAward(sql::Connection& db, const std::string& credit_code,
                                       const std::string& award_id);
void SaveRevocation(sql::Connection& db, const v1::TierAward& award);
// Oldest first.
std::vector<v1::TierAward> ListAwards(sql::Connection& db, const std::string& credit_code,
                                      bool include_revoked);

void AppendPoolHistory(sql::Connection& db, const std::string& credit_code,
                       const v1::PoolHistoryEntry& entry);
std::vector<v1::PoolHistoryEntry> ListPoolHistory(sql::Connection& db,
                                                  const std::string& credit_code);

}  // namespace uplift::registry::store

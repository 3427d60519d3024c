// Registry migrations. Append new versions; never edit a shipped one.
#include "services/registry/registry_schema.h"

namespace uplift::registry {

MigrationSet RegistryMigrations() {
  return {"registry",
          {
              {1, "units, clusters, enterprises, tier awards, pool history",
               "CREATE TABLE units ("
               " unit_id TEXT PRIMARY KEY,"
               " name TEXT NOT NULL,"
               " kind INTEGER NOT NULL,"
               " supervisor_unit_id TEXT NOT NULL DEFAULT '',"
               " contact TEXT NOT NULL DEFAULT '',"
               " create_time TEXT NOT NULL,"
               " update_time TEXT NOT NULL);"
               "CREATE TABLE clusters ("
               " cluster_id TEXT PRIMARY KEY,"
               " name TEXT NOT NULL,"
               " liaison_leader_unit_id TEXT NOT NULL REFERENCES units(unit_id),"
               " lead_department_unit_id TEXT NOT NULL REFERENCES units(unit_id),"
               " description TEXT NOT NULL DEFAULT '',"
               " create_time TEXT NOT NULL,"
               " update_time TEXT NOT NULL);"
               "CREATE TABLE enterprises ("
               " credit_code TEXT PRIMARY KEY,"
               " name TEXT NOT NULL,"
               " cluster_id TEXT NOT NULL REFERENCES clusters(cluster_id),"
               " township_id TEXT NOT NULL REFERENCES units(unit_id),"
               " park TEXT NOT NULL DEFAULT '',"
               " address TEXT NOT NULL DEFAULT '',"
               " industry TEXT NOT NULL DEFAULT '',"
               " key_enterprise INTEGER NOT NULL DEFAULT 0,"
               " above_size INTEGER NOT NULL DEFAULT 0,"
               " above_size_since TEXT NOT NULL DEFAULT '',"
               " listing_stage INTEGER NOT NULL DEFAULT 0,"
               " listing_stage_since TEXT NOT NULL DEFAULT '',"
               " in_above_size_pool INTEGER NOT NULL DEFAULT 0,"
               " above_size_pool_since TEXT NOT NULL DEFAULT '',"
               " create_time TEXT NOT NULL,"
               " update_time TEXT NOT NULL,"
               " version INTEGER NOT NULL DEFAULT 1);"
               "CREATE INDEX enterprises_by_cluster ON enterprises(cluster_id, credit_code);"
               "CREATE INDEX enterprises_by_township ON enterprises(township_id, credit_code);"
               "CREATE TABLE tier_awards ("
               " award_id TEXT PRIMARY KEY,"
               " credit_code TEXT NOT NULL REFERENCES enterprises(credit_code),"
               " tier INTEGER NOT NULL,"
               " level INTEGER NOT NULL,"
               " awarded_on TEXT NOT NULL,"
               " evidence TEXT NOT NULL,"
               " revoked_on TEXT NOT NULL DEFAULT '',"
               " revoke_reason TEXT NOT NULL DEFAULT '',"
               " awarded_by TEXT NOT NULL,"
               " revoked_by TEXT NOT NULL DEFAULT '',"
               " record_time TEXT NOT NULL);"
               "CREATE INDEX tier_awards_by_enterprise ON tier_awards(credit_code, awarded_on);"
               "CREATE INDEX tier_awards_active ON tier_awards(tier, credit_code)"
               " WHERE revoked_on = '';"
               "CREATE TABLE pool_history ("
               " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
               " credit_code TEXT NOT NULL REFERENCES enterprises(credit_code),"
               " pool INTEGER NOT NULL,"
               " action INTEGER NOT NULL,"
               " stage INTEGER NOT NULL,"
               " date TEXT NOT NULL,"
               " note TEXT NOT NULL,"
               " actor TEXT NOT NULL,"
               " record_time TEXT NOT NULL);"
               "CREATE INDEX pool_history_by_enterprise ON pool_history(credit_code, seq);"},
              {2, "revoked tokens",
               "CREATE TABLE revoked_tokens ("
               " token_id TEXT PRIMARY KEY,"
               " expire_time TEXT NOT NULL,"
               " reason TEXT NOT NULL,"
               " revoke_time TEXT NOT NULL,"
               " revoked_by TEXT NOT NULL);"
               "CREATE INDEX revoked_tokens_by_time ON revoked_tokens(revoke_time, token_id);"},
              {3, "enterprise versions",
               // Bumped by every change to what GetEnterprise returns, by
               // whichever replica commits it: the replicas' caches check it.
               "CREATE TABLE enterprise_versions ("
               " credit_code TEXT PRIMARY KEY,"
               " version INTEGER NOT NULL);"},
          }};
}

}  // namespace uplift::registry

// Indicator migrations. Append new versions; never edit a shipped one.
//
// Every row the in-memory data mirrors (reports and the directory fed by
// registry events) carries a `seq` from change_seq, so a process catches up
// with `WHERE seq > ?`, also with rows another replica wrote.
#include "services/indicators/indicators_schema.h"

#include "services/indicators/activity_store.h"
#include "services/indicators/project_store.h"

namespace uplift::indicators {

MigrationSet IndicatorsMigrations() {
  return {
      "indicators",
      {
          {1, "reports, directory, plans, unit figures, closed periods",
           "CREATE TABLE change_seq (id INTEGER PRIMARY KEY CHECK (id = 1),"
           " value INTEGER NOT NULL);"
           "INSERT INTO change_seq VALUES (1, 0);"
           // One report per enterprise and month; period is YYYYMM.
           "CREATE TABLE reports ("
           " credit_code TEXT NOT NULL,"
           " period INTEGER NOT NULL,"
           " revenue_fen INTEGER NOT NULL,"
           " output_value_fen INTEGER NOT NULL,"
           " tax_fen INTEGER NOT NULL,"
           " rnd_fen INTEGER NOT NULL,"
           " employees INTEGER NOT NULL,"
           " land_centi_mu INTEGER NOT NULL,"
           " submitted_by TEXT NOT NULL,"
           " submit_time INTEGER NOT NULL,"  // unix microseconds
           " seq INTEGER NOT NULL,"
           " PRIMARY KEY (credit_code, period)) WITHOUT ROWID;"
           "CREATE INDEX reports_by_seq ON reports(seq);"
           // The registry as its events describe it.
           "CREATE TABLE enterprises ("
           " credit_code TEXT PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " cluster_id TEXT NOT NULL,"
           " township_id TEXT NOT NULL,"
           " key_enterprise INTEGER NOT NULL,"
           " above_size INTEGER NOT NULL,"
           " above_size_since TEXT NOT NULL,"
           " listing_stage INTEGER NOT NULL,"
           " in_above_size_pool INTEGER NOT NULL,"
           " seq INTEGER NOT NULL);"
           "CREATE INDEX enterprises_by_seq ON enterprises(seq);"
           "CREATE TABLE tier_awards ("
           " award_id TEXT PRIMARY KEY,"
           " credit_code TEXT NOT NULL,"
           " tier INTEGER NOT NULL,"
           " level INTEGER NOT NULL,"
           " awarded_on TEXT NOT NULL,"
           " revoked_on TEXT NOT NULL,"
           " seq INTEGER NOT NULL);"
           "CREATE INDEX tier_awards_by_seq ON tier_awards(seq);"
           "CREATE TABLE units ("
           " unit_id TEXT PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " kind INTEGER NOT NULL,"
           " seq INTEGER NOT NULL);"
           "CREATE TABLE clusters ("
           " cluster_id TEXT PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " liaison_leader_unit_id TEXT NOT NULL,"
           " lead_department_unit_id TEXT NOT NULL,"
           " seq INTEGER NOT NULL);"
           // Plans as the tasks service announces them.
           "CREATE TABLE plans ("
           " plan_id TEXT PRIMARY KEY,"
           " year INTEGER NOT NULL,"
           " content_hash TEXT NOT NULL);"
           // Figures units report with their monthly progress.
           "CREATE TABLE unit_figures ("
           " plan_id TEXT NOT NULL,"
           " task_id TEXT NOT NULL,"
           " unit_id TEXT NOT NULL,"
           " period TEXT NOT NULL,"
           " target_id TEXT NOT NULL,"
           " value INTEGER NOT NULL,"
           " PRIMARY KEY (plan_id, task_id, unit_id, period, target_id));"
           "CREATE TABLE closed_periods ("
           " plan_id TEXT NOT NULL,"
           " period TEXT NOT NULL,"
           " close_time INTEGER NOT NULL,"
           " result BLOB NOT NULL,"
           " PRIMARY KEY (plan_id, period));"
           // The last TargetProgressChanged sent per target, to send
           // only changes.
           "CREATE TABLE published_progress ("
           " plan_id TEXT NOT NULL,"
           " target_id TEXT NOT NULL,"
           " fingerprint TEXT NOT NULL,"
           " PRIMARY KEY (plan_id, target_id));"},
          {2, "service activity records (服务活动台账)", store::kActivityTables},
          {3, "projects followed from uplift:events:projects (重点项目)", store::kProjectTables},
      }};
}

}  // namespace uplift::indicators

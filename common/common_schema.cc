// Versioned migrations of the shared tables. Append; never edit a shipped one.
#include "common/common_schema.h"

namespace uplift {

MigrationSet CommonMigrations() {
  return {"common",
          {
              {1, "outbox",
               "CREATE TABLE outbox ("
               " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
               " stream TEXT NOT NULL,"
               " event_id TEXT NOT NULL UNIQUE,"
               " type TEXT NOT NULL,"
               " source TEXT NOT NULL,"
               " subject TEXT NOT NULL,"
               " occurred_at TEXT NOT NULL,"
               " payload BLOB NOT NULL,"
               " sent_at TEXT);"
               "CREATE INDEX outbox_unsent ON outbox(seq) WHERE sent_at IS NULL;"},
              {2, "audit log",
               "CREATE TABLE audit_log ("
               " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
               " at TEXT NOT NULL,"
               " subject TEXT NOT NULL,"
               " role INTEGER NOT NULL,"
               " unit_id TEXT NOT NULL,"
               " action TEXT NOT NULL,"
               " target TEXT NOT NULL,"
               " before_json TEXT NOT NULL,"
               " after_json TEXT NOT NULL,"
               " request_id TEXT NOT NULL,"
               " token_id TEXT NOT NULL);"
               "CREATE INDEX audit_log_target ON audit_log(target, seq);"
               "CREATE INDEX audit_log_subject ON audit_log(subject, seq);"},
              {3, "idempotency keys",
               "CREATE TABLE idempotency ("
               " method TEXT NOT NULL,"
               " request_id TEXT NOT NULL,"
               " request_hash TEXT NOT NULL,"
               " response BLOB NOT NULL,"
               " created_at TEXT NOT NULL,"
               " PRIMARY KEY (method, request_id));"},
              {4, "processed events",
               "CREATE TABLE processed_events ("
               " event_id TEXT PRIMARY KEY,"
               " stream TEXT NOT NULL,"
               " processed_at TEXT NOT NULL);"},
          }};
}

}  // namespace uplift

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
              {5, "entity versions, stream entry ids, leases",
               // Publisher side: each subject's version, and the time part
               // of each stream's entry ids (never going back).
               "ALTER TABLE outbox ADD COLUMN version INTEGER NOT NULL DEFAULT 0;"
               "ALTER TABLE outbox ADD COLUMN entry_ms INTEGER NOT NULL DEFAULT 0;"
               "CREATE TABLE subject_versions ("
               " subject TEXT PRIMARY KEY,"
               " version INTEGER NOT NULL);"
               "CREATE TABLE outbox_streams ("
               " stream TEXT PRIMARY KEY,"
               " last_ms INTEGER NOT NULL);"
               // Consumer side: the newest version applied per subject.
               "CREATE TABLE applied_versions ("
               " stream TEXT NOT NULL,"
               " subject TEXT NOT NULL,"
               " version INTEGER NOT NULL,"
               " PRIMARY KEY (stream, subject));"
               "CREATE INDEX processed_events_time ON processed_events(processed_at);"
               "CREATE TABLE leases ("
               " name TEXT PRIMARY KEY,"
               " holder TEXT NOT NULL,"
               " expires_ms INTEGER NOT NULL);"},
              {6, "idempotency keys per caller",
               // Keys were global per (method, request_id): another caller's
               // key replayed its response. They last a day, so the old
               // ones are dropped rather than guessed a caller.
               "DROP TABLE idempotency;"
               "CREATE TABLE idempotency ("
               " method TEXT NOT NULL,"
               " caller TEXT NOT NULL,"
               " request_id TEXT NOT NULL,"
               " request_hash TEXT NOT NULL,"
               " response BLOB NOT NULL,"
               " created_at TEXT NOT NULL,"
               " PRIMARY KEY (method, caller, request_id));"
               "CREATE INDEX idempotency_time ON idempotency(created_at);"},
          }};
}

}  // namespace uplift

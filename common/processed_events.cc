// processed_events and applied_versions rows.
#include "common/processed_events.h"

#include "common/statement_cache.h"
#include "common/time_util.h"

namespace uplift {

bool MarkEventProcessed(SQLite::Database& tx, const std::string& event_id,
                        const std::string& stream, absl::Time now) {
  CachedStatement insert(
      tx, "INSERT OR IGNORE INTO processed_events(event_id, stream, processed_at) VALUES(?,?,?)");
  insert.bind(1, event_id);
  insert.bind(2, stream);
  insert.bind(3, FormatRfc3339(now));
  return insert.exec() == 1;
}

int64_t AppliedVersion(SQLite::Database& tx, const std::string& stream,
                       const std::string& subject) {
  CachedStatement q(tx, "SELECT version FROM applied_versions WHERE stream=? AND subject=?");
  q.bind(1, stream);
  q.bind(2, subject);
  return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

void SetAppliedVersion(SQLite::Database& tx, const std::string& stream, const std::string& subject,
                       int64_t version) {
  CachedStatement upsert(tx,
                         "INSERT INTO applied_versions(stream, subject, version) VALUES(?1,?2,?3)"
                         " ON CONFLICT(stream, subject) DO UPDATE SET version=MAX(version, ?3)");
  upsert.bind(1, stream);
  upsert.bind(2, subject);
  upsert.bind(3, version);
  upsert.exec();
}

int64_t PurgeProcessedEvents(SQLite::Database& tx, absl::Time now, absl::Duration retention) {
  CachedStatement del(tx, "DELETE FROM processed_events WHERE processed_at < ?");
  del.bind(1, FormatRfc3339(now - retention));
  return del.exec();
}

}  // namespace uplift

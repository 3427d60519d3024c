// processed_events and applied_versions rows, in SQL both engines read the
// same way.
#include "common/processed_events.h"

#include "common/sql/query.h"
#include "common/time_util.h"

namespace uplift {

bool MarkEventProcessed(sql::Connection& tx, const std::string& event_id, const std::string& stream,
                        absl::Time now) {
  sql::Query insert(tx,
                    "INSERT INTO processed_events (event_id, stream, processed_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (event_id) DO NOTHING");
  insert.Bind(1, event_id).Bind(2, stream).Bind(3, FormatRfc3339(now));
  return insert.Exec() == 1;
}

int64_t AppliedVersion(sql::Connection& tx, const std::string& stream, const std::string& subject) {
  sql::Query q(tx, "SELECT version FROM applied_versions WHERE stream = ? AND subject = ?");
  q.Bind(1, stream).Bind(2, subject);
  return q.Step() ? q.Int64(0) : 0;
}

void SetAppliedVersion(sql::Connection& tx, const std::string& stream, const std::string& subject,
                       int64_t version) {
  sql::Query upsert(tx,
                    "INSERT INTO applied_versions (stream, subject, version) VALUES (?, ?, ?)"
                    " ON CONFLICT (stream, subject) DO UPDATE SET version ="
                    " CASE WHEN excluded.version > applied_versions.version"
                    " THEN excluded.version ELSE applied_versions.version END");
  upsert.Bind(1, stream).Bind(2, subject).Bind(3, version).Exec();
}

int64_t PurgeProcessedEvents(sql::Connection& tx, absl::Time now, absl::Duration retention) {
  sql::Query del(tx, "DELETE FROM processed_events WHERE processed_at < ?");
  del.Bind(1, FormatRfc3339(now - retention));
  return del.Exec();
}

}  // namespace uplift

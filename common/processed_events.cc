// processed_events rows.
#include "common/processed_events.h"

#include "common/time_util.h"

namespace uplift {

bool MarkEventProcessed(SQLite::Database& tx, const std::string& event_id,
                        const std::string& stream, absl::Time now) {
  SQLite::Statement insert(
      tx, "INSERT OR IGNORE INTO processed_events(event_id, stream, processed_at) VALUES(?,?,?)");
  insert.bind(1, event_id);
  insert.bind(2, stream);
  insert.bind(3, FormatRfc3339(now));
  return insert.exec() == 1;
}

}  // namespace uplift

// Gauges read at scrape time from the outbox, Redis and the pool.
#include "common/metrics/service_gauges.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sql/query.h"
#include "common/suite_catalog.h"
#include "common/time_util.h"

namespace uplift::metrics {
namespace {

// One field of a group in XINFO GROUPS's reply (a flat key, value list).
const RedisReply* Field(const RedisReply& group, const std::string& key) {
  for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
    if (group.elements[i].str == key) return &group.elements[i + 1];
  }
  return nullptr;
}

}  // namespace

void AddOutboxGauges(Registry* registry, sql::Store* db, const Clock* clock) {
  struct Waiting {
    int64_t rows = 0;
    int64_t oldest_ms = 0;
  };
  const auto read = [db]() -> absl::StatusOr<Waiting> {
    Waiting w;
    absl::Status s = db->Read([&](sql::Connection& c) {
      sql::Query count(c, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
      if (count.Step()) w.rows = count.Int64(0);
      sql::Query oldest(c,
                        "SELECT occurred_at FROM outbox WHERE sent_at IS NULL"
                        " ORDER BY seq LIMIT 1");
      if (oldest.Step()) {
        absl::StatusOr<absl::Time> at = ParseRfc3339(oldest.Text(0));
        if (at.ok()) w.oldest_ms = absl::ToUnixMillis(*at);
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return w;
  };
  registry->AddGauge("uplift_outbox_rows_waiting",
                     "Outbox rows committed and not yet published to Redis.", {},
                     [read]() -> absl::StatusOr<std::vector<GaugeSample>> {
                       absl::StatusOr<Waiting> w = read();
                       if (!w.ok()) return w.status();
                       return std::vector<GaugeSample>{{{}, static_cast<double>(w->rows)}};
                     });
  registry->AddGauge("uplift_outbox_oldest_waiting_seconds",
                     "Age of the oldest outbox row not yet published (0 when none waits).", {},
                     [read, clock]() -> absl::StatusOr<std::vector<GaugeSample>> {
                       absl::StatusOr<Waiting> w = read();
                       if (!w.ok()) return w.status();
                       const int64_t now_ms = absl::ToUnixMillis(clock->Now());
                       const double age =
                           w->rows == 0 ? 0 : std::max<int64_t>(0, now_ms - w->oldest_ms) / 1e3;
                       return std::vector<GaugeSample>{{{}, age}};
                     });
}

void AddStreamGauges(Registry* registry, RedisClient* redis, const std::string& group,
                     const std::vector<std::string>& streams) {
  // XINFO GROUPS of each stream, this service's group picked out.
  const auto group_field =
      [redis, group, streams](const std::string& key) -> absl::StatusOr<std::vector<GaugeSample>> {
    std::vector<GaugeSample> out;
    for (const std::string& stream : streams) {
      absl::StatusOr<RedisReply> groups = redis->Command({"XINFO", "GROUPS", stream});
      if (!groups.ok()) {
        // A stream nothing was published to yet has no groups to report.
        if (absl::StrContains(groups.status().message(), "no such key")) continue;
        return groups.status();
      }
      for (const RedisReply& g : groups->elements) {
        const RedisReply* name = Field(g, "name");
        const RedisReply* value = Field(g, key);
        if (name == nullptr || name->str != group || value == nullptr ||
            value->type != RedisReply::Type::kInteger) {
          continue;
        }
        out.push_back({{stream, group}, static_cast<double>(value->integer)});
      }
    }
    return out;
  };
  registry->AddGauge("uplift_stream_consumer_lag",
                     "Entries of the stream the group has not yet read.", {"stream", "group"},
                     [group_field] { return group_field("lag"); });
  registry->AddGauge("uplift_stream_pending_entries",
                     "Entries the group has read and not yet acknowledged.", {"stream", "group"},
                     [group_field] { return group_field("pending"); });
  registry->AddGauge(
      "uplift_dead_letters", "Entries set aside in the stream's dead letters.", {"stream"},
      [redis, streams]() -> absl::StatusOr<std::vector<GaugeSample>> {
        std::vector<GaugeSample> out;
        for (const std::string& stream : streams) {
          absl::StatusOr<RedisReply> n = redis->Command({"XLEN", DeadLetterStream(stream)});
          if (!n.ok()) return n.status();
          out.push_back({{stream}, static_cast<double>(n->integer)});
        }
        return out;
      });
}

void AddDatabaseGauges(Registry* registry, sql::Store* db) {
  if (!db->pool_use().has_value()) return;
  registry->AddGauge("uplift_database_pool_connections",
                     "Database connections open, by whether a transaction holds them.", {"state"},
                     [db]() -> absl::StatusOr<std::vector<GaugeSample>> {
                       const sql::Store::PoolUse use = *db->pool_use();
                       return std::vector<GaugeSample>{
                           {{"in_use"}, static_cast<double>(use.in_use)},
                           {{"idle"}, static_cast<double>(use.open - use.in_use)}};
                     });
  registry->AddGauge(
      "uplift_database_pool_size", "Database connections the pool may open.", {},
      [db]() -> absl::StatusOr<std::vector<GaugeSample>> {
        return std::vector<GaugeSample>{{{}, static_cast<double>(db->pool_use()->size)}};
      });
}

}  // namespace uplift::metrics

// The gauges every service exposes, read from where the truth is at each
// scrape: its outbox (rows waiting, the oldest one's age), its consumer
// groups (lag and pending entries per stream, dead letters), and its
// database pool (on PostgreSQL).
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/metrics/metrics.h"
#include "common/redis_client.h"
#include "common/sql/store.h"

namespace uplift::metrics {

// uplift_outbox_rows_waiting, uplift_outbox_oldest_waiting_seconds.
void AddOutboxGauges(Registry* registry, sql::Store* db, const Clock* clock);

// uplift_stream_consumer_lag, uplift_stream_pending_entries (per stream,
// for `group`), uplift_dead_letters (per stream). `redis` is the scrape's
// own connection.
void AddStreamGauges(Registry* registry, RedisClient* redis, const std::string& group,
                     const std::vector<std::string>& streams);

// uplift_database_pool_connections{state="in_use"|"idle"} and
// uplift_database_pool_size, on an engine with a pool.
void AddDatabaseGauges(Registry* registry, sql::Store* db);

}  // namespace uplift::metrics

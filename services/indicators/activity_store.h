// SQL of the service activity records (服务活动台账): one row per activity
// with its body, one per enterprise that attended (to find an enterprise's
// services). `dedup_key` (day, kind and title without spaces) is unique:
// the same event recorded by a second unit is refused, so it counts once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/sql/connection.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::indicators::store {

extern const char kActivityTables[];  // for the migration

std::string ActivityKey(const v1::Activity& a);
std::optional<v1::Activity> FindActivityByKey(sql::Connection& db, const std::string& key);
void InsertActivity(sql::Connection& tx, const v1::Activity& a);

struct ActivityFilter {
  absl::CivilDay from, until;  // held on, inclusive
  v1::ActivityKind kind = v1::ACTIVITY_KIND_UNSPECIFIED;
  std::string organiser_unit_id, credit_code;
};
// Latest first, after the (held_on, activity_id) cursor.
std::vector<v1::Activity> ListActivities(sql::Connection& db, const ActivityFilter& f,
                                         const std::string& after_cursor, int limit);
std::string ActivityCursor(const v1::Activity& a);

}  // namespace uplift::indicators::store

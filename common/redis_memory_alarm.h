// Watches Redis's memory: streams live in memory, and Redis refuses writes
// at maxmemory (noeviction), so an operator must hear before that. Logs an
// error when used memory passes the threshold (and every hour it stays
// above), and an info line when it falls back below.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis_client.h"

namespace uplift {

class RedisMemoryAlarm {
 public:
  RedisMemoryAlarm(RedisClient* redis, int64_t threshold_bytes)
      : redis_(redis), threshold_(threshold_bytes) {}
  // Reads INFO memory; returns used_memory in bytes.
  absl::StatusOr<int64_t> Check(absl::Time now);
  bool raised() const { return raised_; }

 private:
  RedisClient* const redis_;
  const int64_t threshold_;
  bool raised_ = false;
  absl::Time last_alarm_ = absl::InfinitePast();
};

}  // namespace uplift

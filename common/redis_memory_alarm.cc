// INFO memory against the threshold.
#include "common/redis_memory_alarm.h"

#include <spdlog/spdlog.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"

namespace uplift {

absl::StatusOr<int64_t> RedisMemoryAlarm::Check(absl::Time now) {
  ASSIGN_OR_RETURN(RedisReply info, redis_->Command({"INFO", "memory"}));
  int64_t used = -1;
  for (absl::string_view line : absl::StrSplit(info.str, absl::ByAnyChar("\r\n"))) {
    if (absl::ConsumePrefix(&line, "used_memory:")) (void)absl::SimpleAtoi(line, &used);
  }
  if (used < 0) return absl::InternalError("INFO memory has no used_memory");
  if (used > threshold_) {
    if (!raised_ || now - last_alarm_ >= absl::Hours(1)) {
      spdlog::error("ALARM: Redis uses {} MB, above the alarm threshold of {} MB; streams are "
                    "kept in memory and Redis refuses writes at maxmemory: check that consumers "
                    "keep up and trimming runs (docs/operations.md)",
                    used >> 20, threshold_ >> 20);
      last_alarm_ = now;
    }
    raised_ = true;
  } else if (raised_) {
    spdlog::info("Redis memory is back below the alarm threshold ({} MB)", used >> 20);
    raised_ = false;
  }
  return used;
}

}  // namespace uplift

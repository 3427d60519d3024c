// Safe trimming by MINID.
#include "common/stream_trimmer.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/suite_catalog.h"

namespace uplift {
namespace {

StreamId IdAt(absl::Time t) {
  return {static_cast<uint64_t>(std::max<int64_t>(0, absl::ToUnixMillis(t))), 0};
}

absl::StatusOr<TrimOutcome> TrimBelow(RedisClient& redis, absl::string_view stream, StreamId min) {
  TrimOutcome out;
  out.min_id = min.ToString();
  ASSIGN_OR_RETURN(RedisReply r,
                   redis.Command({"XTRIM", std::string(stream), "MINID", out.min_id}));
  out.removed = r.integer;
  return out;
}

// Field `name` of a flat [k, v, k, v...] reply.
const RedisReply* FieldOf(const RedisReply& flat, absl::string_view name) {
  for (size_t i = 0; i + 1 < flat.elements.size(); i += 2) {
    if (flat.elements[i].str == name) return &flat.elements[i + 1];
  }
  return nullptr;
}

}  // namespace

std::string StreamId::ToString() const { return absl::StrCat(ms, "-", seq); }

StreamId ParseStreamId(absl::string_view id) {
  StreamId out;
  const size_t dash = id.find('-');
  if (dash == absl::string_view::npos) {
    if (!absl::SimpleAtoi(id, &out.ms)) return {};
    return out;
  }
  if (!absl::SimpleAtoi(id.substr(0, dash), &out.ms) ||
      !absl::SimpleAtoi(id.substr(dash + 1), &out.seq)) {
    return {};
  }
  return out;
}

absl::StatusOr<TrimOutcome> TrimStream(RedisClient& redis, const suite::v1::Stream& stream,
                                       absl::Time now) {
  StreamId min = IdAt(now - StreamRetention(stream));
  if (!stream.every_replica()) {
    absl::StatusOr<RedisReply> groups = redis.Command({"XINFO", "GROUPS", stream.name()});
    if (!groups.ok()) {
      if (absl::StrContains(groups.status().message(), "no such key")) return TrimOutcome{};
      return groups.status();
    }
    for (const std::string& expected : stream.consumer_groups()) {
      const RedisReply* group = nullptr;
      for (const RedisReply& g : groups->elements) {
        const RedisReply* name = FieldOf(g, "name");
        if (name != nullptr && name->str == expected) group = &g;
      }
      if (group == nullptr) {
        TrimOutcome waiting;
        waiting.waiting_for = expected;
        return waiting;
      }
      const RedisReply* pending = FieldOf(*group, "pending");
      const RedisReply* delivered = FieldOf(*group, "last-delivered-id");
      if (pending == nullptr || delivered == nullptr) {
        return absl::InternalError("XINFO GROUPS: no pending or last-delivered-id");
      }
      StreamId floor;
      if (pending->integer > 0) {
        ASSIGN_OR_RETURN(RedisReply oldest, redis.Command({"XPENDING", stream.name(), expected,
                                                           "-", "+", "1"}));
        if (oldest.elements.empty() || oldest.elements[0].elements.empty()) continue;
        floor = ParseStreamId(oldest.elements[0].elements[0].str);
      } else {
        floor = ParseStreamId(delivered->str);
        floor.seq += 1;  // everything after the last entry given to the group
      }
      min = std::min(min, floor);
    }
  }
  return TrimBelow(redis, stream.name(), min);
}

absl::StatusOr<TrimOutcome> TrimDeadLetters(RedisClient& redis, absl::string_view stream,
                                            absl::Time now) {
  return TrimBelow(redis, DeadLetterStream(stream), IdAt(now - DeadLetterRetention()));
}

}  // namespace uplift

// Consumer-group reading, acknowledgement, reclaiming and dead-lettering.
#include "common/stream_consumer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/suite_catalog.h"

namespace uplift {
namespace {

constexpr char kPoisonPayload[] = "type.uplift/poison";

}  // namespace

absl::Status PoisonError(absl::string_view why) {
  absl::Status status = absl::InvalidArgumentError(why);
  status.SetPayload(kPoisonPayload, absl::Cord("1"));
  return status;
}

bool IsPoison(const absl::Status& status) {
  return status.GetPayload(kPoisonPayload).has_value();
}

StreamConsumer::StreamConsumer(RedisClient* redis, ConsumerOptions options,
                               StreamHandler handler)
    : redis_(redis), options_(std::move(options)), handler_(std::move(handler)) {}

StreamConsumer::~StreamConsumer() { Stop(); }

absl::Status StreamConsumer::EnsureGroup() {
  absl::StatusOr<RedisReply> r = redis_->Command(
      {"XGROUP", "CREATE", options_.stream, options_.group, options_.start_id, "MKSTREAM"});
  if (!r.ok() && !absl::StrContains(r.status().message(), "BUSYGROUP")) return r.status();
  group_ready_ = true;
  return absl::OkStatus();
}

absl::Status StreamConsumer::DeadLetter(const RedisReply& entry, const std::string& reason,
                                        int deliveries) {
  const std::string id = entry.elements.empty() ? "" : entry.elements[0].str;
  std::vector<std::string> xadd = {"XADD", DeadLetterStream(options_.stream), "*"};
  if (entry.elements.size() == 2) {
    for (const RedisReply& f : entry.elements[1].elements) xadd.push_back(f.str);
  }
  xadd.insert(xadd.end(), {"dlq_stream", options_.stream, "dlq_entry_id", id, "dlq_group",
                           options_.group, "dlq_reason", reason, "dlq_deliveries",
                           std::to_string(deliveries)});
  // Dead-letter first, then acknowledge: a crash between the two leaves a
  // copy in both places, never in neither.
  RETURN_IF_ERROR(redis_->Command(xadd).status());
  Acknowledge(id);
  spdlog::warn("{} ({}): entry {} moved to {}: {}", options_.stream, options_.group, id,
               DeadLetterStream(options_.stream), reason);
  return absl::OkStatus();
}

void StreamConsumer::Acknowledge(const std::string& entry_id) {
  absl::Status acked =
      redis_->Command({"XACK", options_.stream, options_.group, entry_id}).status();
  if (acked.ok()) return;
  // The effect is durable; the entry stays pending until the retry, and if
  // it is reclaimed meanwhile the handler drops it as already processed.
  spdlog::warn("{} ({}): XACK {} failed, retrying next round: {}", options_.stream,
               options_.group, entry_id, acked.ToString());
  unacknowledged_.push_back(entry_id);
}

absl::Status StreamConsumer::RetryAcknowledgements() {
  if (unacknowledged_.empty()) return absl::OkStatus();
  std::vector<std::string> xack = {"XACK", options_.stream, options_.group};
  xack.insert(xack.end(), unacknowledged_.begin(), unacknowledged_.end());
  RETURN_IF_ERROR(redis_->Command(xack).status());
  unacknowledged_.clear();
  return absl::OkStatus();
}

absl::StatusOr<bool> StreamConsumer::Handle(const RedisReply& entry) {
  absl::StatusOr<StreamEvent> event = ParseStreamEntry(entry);
  if (!event.ok()) {
    RETURN_IF_ERROR(DeadLetter(entry, std::string(event.status().message()), 1));
    return false;
  }
  absl::Status handled;
  try {
    handled = handler_(*event);
  } catch (const std::exception& e) {
    handled = absl::InternalError(absl::StrCat("handler threw: ", e.what()));
  }
  if (IsPoison(handled)) {
    RETURN_IF_ERROR(DeadLetter(entry, std::string(handled.message()), 1));
    return false;
  }
  if (!handled.ok()) {
    spdlog::warn("{} ({}): event {} ({}) not handled, will retry: {}", options_.stream,
                 options_.group, event->event_id, event->type, handled.ToString());
    return false;
  }
  Acknowledge(event->entry_id);
  return true;
}

absl::StatusOr<int> StreamConsumer::ReclaimStale() {
  const std::string idle_ms = std::to_string(absl::ToInt64Milliseconds(options_.claim_idle));
  ASSIGN_OR_RETURN(RedisReply pending,
                   redis_->Command({"XPENDING", options_.stream, options_.group, "IDLE", idle_ms,
                                    "-", "+", std::to_string(options_.batch)}));
  int handled = 0;
  for (const RedisReply& p : pending.elements) {
    if (p.elements.size() < 4) continue;
    const std::string& id = p.elements[0].str;
    const int deliveries = static_cast<int>(p.elements[3].integer);
    // Claim it first so no other consumer works on it meanwhile.
    ASSIGN_OR_RETURN(RedisReply claimed,
                     redis_->Command({"XCLAIM", options_.stream, options_.group,
                                      options_.consumer, idle_ms, id}));
    if (claimed.elements.empty()) continue;  // another consumer took it
    const RedisReply& entry = claimed.elements[0];
    if (entry.type != RedisReply::Type::kArray || entry.elements.size() != 2 ||
        entry.elements[1].is_nil()) {
      // Trimmed away while pending: nothing left to do but acknowledge.
      Acknowledge(id);
      continue;
    }
    if (deliveries >= options_.max_deliveries) {
      RETURN_IF_ERROR(DeadLetter(entry, absl::StrCat("failed ", deliveries, " deliveries"),
                                 deliveries));
      continue;
    }
    ASSIGN_OR_RETURN(bool ok, Handle(entry));
    handled += ok ? 1 : 0;
  }
  return handled;
}

absl::StatusOr<int> StreamConsumer::ReadNew() {
  const int64_t block_ms = absl::ToInt64Milliseconds(options_.block);
  ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_->CommandWithTimeout({"XREADGROUP", "GROUP", options_.group, options_.consumer,
                                  "COUNT", std::to_string(options_.batch), "BLOCK",
                                  std::to_string(block_ms), "STREAMS", options_.stream, ">"},
                                 options_.block + absl::Seconds(2)));
  if (reply.is_nil() || reply.elements.empty()) return 0;
  int handled = 0;
  for (const RedisReply& stream : reply.elements) {
    if (stream.elements.size() != 2) continue;
    for (const RedisReply& entry : stream.elements[1].elements) {
      // A Redis error here (the dead-letter XADD) ends the round; the
      // entries not reached stay pending and are reclaimed.
      ASSIGN_OR_RETURN(bool ok, Handle(entry));
      handled += ok ? 1 : 0;
    }
  }
  return handled;
}

absl::StatusOr<int> StreamConsumer::PollOnce() {
  if (!group_ready_) RETURN_IF_ERROR(EnsureGroup());
  RETURN_IF_ERROR(RetryAcknowledgements());
  ASSIGN_OR_RETURN(int reclaimed, ReclaimStale());
  absl::StatusOr<int> fresh = ReadNew();
  if (!fresh.ok()) {
    // The group vanishes if Redis lost its data; create it again next time.
    if (absl::StrContains(fresh.status().message(), "NOGROUP")) group_ready_ = false;
    return fresh.status();
  }
  return reclaimed + *fresh;
}

void StreamConsumer::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    absl::Duration backoff = absl::Milliseconds(100);
    bool failing = false;
    while (!stop_) {
      absl::StatusOr<int> n = PollOnce();
      if (n.ok()) {
        if (failing) spdlog::info("{} ({}): consuming again", options_.stream, options_.group);
        failing = false;
        backoff = absl::Milliseconds(100);
        continue;
      }
      if (!failing) {
        spdlog::warn("{} ({}): cannot consume: {}", options_.stream, options_.group,
                     n.status().ToString());
      }
      failing = true;
      for (absl::Duration slept; slept < backoff && !stop_; slept += absl::Milliseconds(50)) {
        absl::SleepFor(absl::Milliseconds(50));
      }
      backoff = std::min(backoff * 2, absl::Seconds(5));
    }
  });
}

void StreamConsumer::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace uplift

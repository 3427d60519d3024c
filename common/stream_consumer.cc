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

bool IsTransient(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kAborted ||
         status.code() == absl::StatusCode::kDeadlineExceeded;
}

StreamConsumer::StreamConsumer(RedisClient* redis, ConsumerOptions options,
                               StreamBatchHandler handler)
    : redis_(redis), options_(std::move(options)), handler_(std::move(handler)) {}

StreamConsumer::StreamConsumer(RedisClient* redis, ConsumerOptions options, StreamHandler handler)
    : StreamConsumer(redis, std::move(options),
                     [handler = std::move(handler)](const std::vector<StreamEvent>& events) {
                       std::vector<absl::Status> out;
                       for (const StreamEvent& e : events) out.push_back(handler(e));
                       return out;
                     }) {}

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
  Acknowledge({id});
  spdlog::warn("{} ({}): entry {} moved to {}: {}", options_.stream, options_.group, id,
               DeadLetterStream(options_.stream), reason);
  return absl::OkStatus();
}

void StreamConsumer::Acknowledge(const std::vector<std::string>& entry_ids) {
  if (entry_ids.empty()) return;
  std::vector<std::string> xack = {"XACK", options_.stream, options_.group};
  xack.insert(xack.end(), entry_ids.begin(), entry_ids.end());
  absl::Status acked = redis_->Command(xack).status();
  if (acked.ok()) return;
  // The effect is durable; the entries stay pending until the retry, and if
  // one is reclaimed meanwhile the handler drops it as already processed.
  spdlog::warn("{} ({}): XACK of {} entries ({} ...) failed, retrying next round: {}",
               options_.stream, options_.group, entry_ids.size(), entry_ids.front(),
               acked.ToString());
  unacknowledged_.insert(unacknowledged_.end(), entry_ids.begin(), entry_ids.end());
}

absl::Status StreamConsumer::RetryAcknowledgements() {
  if (unacknowledged_.empty()) return absl::OkStatus();
  std::vector<std::string> xack = {"XACK", options_.stream, options_.group};
  xack.insert(xack.end(), unacknowledged_.begin(), unacknowledged_.end());
  RETURN_IF_ERROR(redis_->Command(xack).status());
  unacknowledged_.clear();
  return absl::OkStatus();
}

absl::StatusOr<int> StreamConsumer::Handle(const std::vector<const RedisReply*>& entries,
                                           std::vector<std::string>* failed) {
  std::vector<StreamEvent> events;
  std::vector<const RedisReply*> handed;
  for (const RedisReply* entry : entries) {
    absl::StatusOr<StreamEvent> event = ParseStreamEntry(*entry);
    if (!event.ok()) {
      RETURN_IF_ERROR(DeadLetter(*entry, std::string(event.status().message()), 1));
      continue;
    }
    events.push_back(std::move(*event));
    handed.push_back(entry);
  }
  if (events.empty()) return 0;
  std::vector<absl::Status> results;
  try {
    results = handler_(events);
  } catch (const std::exception& e) {
    results.clear();
    spdlog::error("{} ({}): handler threw: {}", options_.stream, options_.group, e.what());
  }
  results.resize(events.size(), absl::InternalError("the handler gave no answer"));
  std::vector<std::string> handled;
  for (size_t i = 0; i < events.size(); ++i) {
    if (IsPoison(results[i])) {
      RETURN_IF_ERROR(DeadLetter(*handed[i], std::string(results[i].message()), 1));
    } else if (!results[i].ok()) {
      spdlog::warn("{} ({}): event {} ({}) not handled, will retry: {}", options_.stream,
                   options_.group, events[i].event_id, events[i].type, results[i].ToString());
      if (!IsTransient(results[i])) failed->push_back(events[i].entry_id);
    } else {
      handled.push_back(events[i].entry_id);
    }
  }
  Acknowledge(handled);
  return static_cast<int>(handled.size());
}

absl::Status StreamConsumer::CountFailures(const std::vector<std::string>& entry_ids,
                                           int deliveries) {
  for (const std::string& id : entry_ids) {
    RETURN_IF_ERROR(redis_
                        ->Command({"XCLAIM", options_.stream, options_.group, options_.consumer,
                                   "0", id, "RETRYCOUNT", std::to_string(deliveries + 1), "JUSTID"})
                        .status());
  }
  return absl::OkStatus();
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
    // 1 + the failures of the handler (see the header); never below 1.
    const int deliveries = std::max(1, static_cast<int>(p.elements[3].integer));
    const int failures = deliveries - 1;
    // Claim it first so no other consumer works on it meanwhile; the claim
    // itself is not a failure, so the counter stays.
    ASSIGN_OR_RETURN(RedisReply claimed,
                     redis_->Command({"XCLAIM", options_.stream, options_.group, options_.consumer,
                                      idle_ms, id, "RETRYCOUNT", std::to_string(deliveries)}));
    if (claimed.elements.empty()) continue;  // another consumer took it
    const RedisReply& entry = claimed.elements[0];
    if (entry.type != RedisReply::Type::kArray || entry.elements.size() != 2 ||
        entry.elements[1].is_nil()) {
      // Trimmed away while pending: nothing left to do but acknowledge.
      Acknowledge({id});
      continue;
    }
    if (failures >= options_.max_deliveries) {
      RETURN_IF_ERROR(
          DeadLetter(entry, absl::StrCat("failed ", failures, " deliveries"), failures));
      continue;
    }
    std::vector<std::string> failed;
    ASSIGN_OR_RETURN(int ok, Handle({&entry}, &failed));
    handled += ok;
    RETURN_IF_ERROR(CountFailures(failed, deliveries));
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
  std::vector<const RedisReply*> entries;
  for (const RedisReply& stream : reply.elements) {
    if (stream.elements.size() != 2) continue;
    for (const RedisReply& entry : stream.elements[1].elements) entries.push_back(&entry);
  }
  // Handled together. A Redis error here (a dead-letter XADD) ends the
  // round; the entries not acknowledged stay pending and are reclaimed.
  std::vector<std::string> failed;
  ASSIGN_OR_RETURN(int handled, Handle(entries, &failed));
  RETURN_IF_ERROR(CountFailures(failed, 1));  // XREADGROUP set their counters to 1
  return handled;
}

absl::StatusOr<int> StreamConsumer::PollOnce() {
  absl::StatusOr<int> handled = PollGroup();
  // The group vanishes when Redis loses its data (a failover to a replica
  // that had not synced it): any command of the round may say so first.
  // Made again next round, from start_id.
  if (!handled.ok() && absl::StrContains(handled.status().message(), "NOGROUP") && group_ready_) {
    spdlog::warn("{} ({}): the group is gone from Redis; making it again from {}", options_.stream,
                 options_.group, options_.start_id);
    group_ready_ = false;
  }
  return handled;
}

absl::StatusOr<int> StreamConsumer::PollGroup() {
  if (!group_ready_) RETURN_IF_ERROR(EnsureGroup());
  RETURN_IF_ERROR(RetryAcknowledgements());
  ASSIGN_OR_RETURN(int reclaimed, ReclaimStale());
  ASSIGN_OR_RETURN(int fresh, ReadNew());
  return reclaimed + fresh;
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

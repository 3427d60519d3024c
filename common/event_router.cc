// The typed event router.
#include "common/event_router.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/processed_events.h"
#include "common/sql/transaction.h"
#include "common/status_macros.h"
#include "common/stream_consumer.h"
#include "common/validation.h"

namespace uplift {

absl::Status EventRouter::Handle(const std::string& stream, const StreamEvent& event) {
  return HandleBatch(stream, {event}).front();
}

std::vector<absl::Status> EventRouter::HandleBatch(const std::string& stream,
                                                   const std::vector<StreamEvent>& events) {
  enum Outcome { kPoison, kSkipped, kApplied, kDuplicate, kStale, kFailed };
  std::vector<absl::Status> results(events.size());
  std::vector<Outcome> outcomes(events.size(), kSkipped);
  std::vector<std::unique_ptr<google::protobuf::Message>> messages(events.size());
  std::vector<const Route*> routes(events.size(), nullptr);
  // Verified and parsed before the transaction: poison never holds the write lock.
  bool any_to_apply = false;
  for (size_t i = 0; i < events.size(); ++i) {
    const StreamEvent& event = events[i];
    if (verifier_ != nullptr) {
      absl::Status verified = verifier_->Verify(stream, event);
      if (!verified.ok()) {
        results[i] = PoisonError(verified.message());
        outcomes[i] = kPoison;
        continue;
      }
    }
    if (event.version < 1) {
      results[i] =
          PoisonError(absl::StrCat("event ", QuoteInput(event.event_id), " has no version"));
      outcomes[i] = kPoison;
      continue;
    }
    auto route = routes_.find(event.type);
    if (route == routes_.end()) continue;  // nobody here handles it: skipped
    messages[i] = route->second.make();
    if (!messages[i]->ParseFromString(event.payload)) {
      results[i] =
          PoisonError(absl::StrCat("event ", QuoteInput(event.event_id),
                                   ": payload does not parse as ", QuoteInput(event.type)));
      outcomes[i] = kPoison;
      continue;
    }
    routes[i] = &route->second;
    any_to_apply = true;
  }
  if (any_to_apply) {
    // One transaction, one commit for the batch; each event in a savepoint
    // of its own, so one that fails leaves no trace and stops no other.
    absl::Status written = db_->Write([&](sql::Connection& tx) -> absl::Status {
      for (size_t i = 0; i < events.size(); ++i) {
        if (routes[i] == nullptr) continue;
        const StreamEvent& event = events[i];
        // The database may run this again (busy, a serialization conflict).
        outcomes[i] = kApplied;
        results[i] = sql::WithSavepoint(tx, [&]() -> absl::Status {
          if (!MarkEventProcessed(tx, event.event_id, stream, clock_->Now())) {
            outcomes[i] = kDuplicate;
          } else if (AppliedVersion(tx, stream, event.subject) >= event.version) {
            outcomes[i] = kStale;
          } else {
            RETURN_IF_ERROR(routes[i]->apply(tx, *messages[i], event));
            SetAppliedVersion(tx, stream, event.subject, event.version);
          }
          return absl::OkStatus();
        });
        if (!results[i].ok()) outcomes[i] = kFailed;
      }
      return absl::OkStatus();
    });
    if (!written.ok()) {
      // Nothing of the batch is durable: each event it would have applied is retried.
      for (size_t i = 0; i < events.size(); ++i) {
        if (routes[i] != nullptr) {
          results[i] = written;
          outcomes[i] = kFailed;
        }
      }
    }
  }
  bool applied = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < events.size(); ++i) {
      switch (outcomes[i]) {
        case kApplied:
          ++counts_.applied;
          applied = true;
          break;
        case kDuplicate:
          ++counts_.duplicate;
          break;
        case kStale:
          ++counts_.stale;
          spdlog::debug("{}: {} version {} is older than what is held; dropped", stream,
                        events[i].subject, events[i].version);
          break;
        case kSkipped:
          ++counts_.skipped;
          break;
        default:
          break;
      }
    }
  }
  if (applied && after_commit_) after_commit_();
  return results;
}

EventRouter::Counts EventRouter::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

}  // namespace uplift

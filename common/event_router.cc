// The typed event router.
#include "common/event_router.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/processed_events.h"
#include "common/stream_consumer.h"
#include "common/validation.h"

namespace uplift {

absl::Status EventRouter::Handle(const std::string& stream, const StreamEvent& event) {
  if (verifier_ != nullptr) {
    absl::Status verified = verifier_->Verify(stream, event);
    if (!verified.ok()) return PoisonError(verified.message());
  }
  if (event.version < 1) {
    return PoisonError(absl::StrCat("event ", QuoteInput(event.event_id), " has no version"));
  }
  auto route = routes_.find(event.type);
  if (route == routes_.end()) {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_.skipped;
    return absl::OkStatus();
  }
  // Parse before opening a transaction: poison never holds the write lock.
  std::unique_ptr<google::protobuf::Message> message = route->second.make();
  if (!message->ParseFromString(event.payload)) {
    return PoisonError(absl::StrCat("event ", QuoteInput(event.event_id),
                                    ": payload does not parse as ", QuoteInput(event.type)));
  }
  enum { kApplied, kDuplicate, kStale } outcome = kApplied;
  absl::Status written = db_->Write([&](SQLite::Database& tx) -> absl::Status {
    outcome = kApplied;
    if (!MarkEventProcessed(tx, event.event_id, stream, clock_->Now())) {
      outcome = kDuplicate;
      return absl::OkStatus();
    }
    if (AppliedVersion(tx, stream, event.subject) >= event.version) {
      outcome = kStale;
      return absl::OkStatus();
    }
    absl::Status applied = route->second.apply(tx, *message, event);
    if (!applied.ok()) return applied;
    SetAppliedVersion(tx, stream, event.subject, event.version);
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++(outcome == kApplied ? counts_.applied : outcome == kDuplicate ? counts_.duplicate
                                                                     : counts_.stale);
  }
  if (outcome == kStale) {
    spdlog::debug("{}: {} version {} is older than what is held; dropped", stream,
                  event.subject, event.version);
  }
  if (outcome == kApplied && after_commit_) after_commit_();
  return absl::OkStatus();
}

EventRouter::Counts EventRouter::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

}  // namespace uplift

// Following uplift:revocations.
#include "common/revocation_watcher.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/stream_event.h"
#include "common/time_util.h"
#include "uplift/auth/v1/revocation.pb.h"

namespace uplift {
namespace {

constexpr char kStream[] = "uplift:revocations";

}  // namespace

RevocationWatcher::RevocationWatcher(RedisClient* redis, const EventVerifier* verifier,
                                     RevocationList* list, const Clock* clock)
    : redis_(redis), verifier_(verifier), list_(list), clock_(clock) {}

RevocationWatcher::~RevocationWatcher() { Stop(); }

absl::StatusOr<int> RevocationWatcher::PollOnce(absl::Duration block) {
  ASSIGN_OR_RETURN(RedisReply reply,
                   redis_->CommandWithTimeout(
                       {"XREAD", "COUNT", "500", "BLOCK",
                        absl::StrCat(absl::ToInt64Milliseconds(block)), "STREAMS", kStream,
                        last_id_},
                       block + absl::Seconds(2)));
  if (reply.is_nil() || reply.elements.empty()) return 0;
  int added = 0;
  for (const RedisReply& stream : reply.elements) {
    if (stream.elements.size() != 2) continue;
    for (const RedisReply& entry : stream.elements[1].elements) {
      if (!entry.elements.empty()) last_id_ = entry.elements[0].str;
      absl::StatusOr<StreamEvent> event = ParseStreamEntry(entry);
      absl::Status ok = event.status();
      if (ok.ok() && verifier_ != nullptr) ok = verifier_->Verify(kStream, *event);
      uplift::auth::v1::TokenRevoked revoked;
      if (ok.ok()) ok = event->UnpackTo(&revoked);
      if (!ok.ok()) {
        spdlog::error("{}: entry {} ignored: {}", kStream, last_id_, ok.ToString());
        continue;
      }
      const absl::Time expires = FromProtoTimestamp(revoked.token().expire_time());
      if (expires < clock_->Now()) continue;  // expired anyway
      list_->Add(revoked.token().token_id(), expires);
      ++added;
    }
  }
  return added;
}

void RevocationWatcher::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    bool failing = false;
    absl::Time next_purge = clock_->Now();
    while (!stop_) {
      absl::StatusOr<int> n = PollOnce(absl::Seconds(1));
      if (n.ok()) {
        if (failing) spdlog::info("{}: following revocations again", kStream);
        failing = false;
        if (*n > 0) spdlog::info("{}: {} tokens revoked, {} in force", kStream, *n, list_->size());
      } else {
        if (!failing) {
          spdlog::warn("{}: cannot read revocations (those read stay in force): {}", kStream,
                       n.status().ToString());
        }
        failing = true;
        for (int i = 0; i < 20 && !stop_; ++i) absl::SleepFor(absl::Milliseconds(50));
      }
      if (clock_->Now() >= next_purge) {
        list_->PurgeExpired(clock_->Now());
        next_purge = clock_->Now() + absl::Hours(1);
      }
    }
  });
}

void RevocationWatcher::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace uplift

// RPC forwarding and the Subscribe stream.
#include "services/notify/notify_grpc.h"

#include <deque>
#include <mutex>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "common/unary_call.h"

namespace uplift::notify {
namespace {

// One live feed: the backlog first, then what the hub hands over, one write
// at a time; ends when the client cancels, the server stops, the caller's
// token expires or is revoked, or the client stops reading (its queue
// fills): a reconnecting client gets what it missed from the backlog.
class SubscribeReactor : public grpc::ServerWriteReactor<v1::SubscribeResponse>,
                         public FeedSubscriber {
 public:
  static constexpr size_t kMaxQueued = 256;

  SubscribeReactor(NotifyService* service, FeedHub* hub, const Authenticator* auth,
                   absl::StatusOr<Principal> who, std::string unit_id)
      : hub_(hub), auth_(auth), unit_id_(std::move(unit_id)) {
    absl::Status allowed =
        who.ok() ? service->CanRead(*who, "Subscribe", unit_id_) : who.status();
    if (allowed.ok()) {
      who_ = *who;
      principal_ = absl::StrCat(who_.subject, "|", who_.role, "|", who_.unit_id);
      // Register before reading the backlog, so nothing falls between them.
      allowed = hub_->Add(unit_id_, principal_, this);
    }
    if (!allowed.ok()) {
      FinishOnce(ToGrpcStatus(allowed));
      return;
    }
    registered_ = true;
    // Tells the caller at once that the feed is open (its backlog may be
    // empty, and the next message hours away).
    StartSendInitialMetadata();
    absl::StatusOr<std::vector<v1::Notice>> backlog = service->Backlog(unit_id_);
    std::lock_guard<std::mutex> lock(mu_);
    if (!backlog.ok()) {
      FinishLocked(ToGrpcStatus(backlog.status()));
      return;
    }
    std::deque<v1::SubscribeResponse> first;
    for (v1::Notice& n : *backlog) {
      in_backlog_.insert(n.notification_id());
      v1::SubscribeResponse m;
      *m.mutable_notification() = std::move(n);
      m.set_backlog(true);
      first.push_back(std::move(m));
    }
    // Live messages that arrived meanwhile go after the backlog.
    for (v1::SubscribeResponse& m : queue_) {
      if (m.resend() || !in_backlog_.count(m.notification().notification_id())) {
        first.push_back(std::move(m));
      }
    }
    backlog_left_ = backlog->size();
    queue_ = std::move(first);
    started_ = true;
    WriteNextLocked();
  }

  void Deliver(const v1::SubscribeResponse& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    if (started_ && !message.resend() &&
        in_backlog_.count(message.notification().notification_id())) {
      return;  // already sent in the backlog
    }
    if (queue_.size() >= backlog_left_ + kMaxQueued) {
      FinishLocked(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                "the feed is not being read; subscribe again to get the backlog"));
      return;
    }
    queue_.push_back(message);
    if (started_) WriteNextLocked();
  }

  void Check() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    absl::Status valid = auth_->StillValid(who_);
    if (!valid.ok()) FinishLocked(ToGrpcStatus(valid));
  }

  void Close() override {
    std::lock_guard<std::mutex> lock(mu_);
    registered_ = false;  // the hub is dropping us itself
    FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is stopping; subscribe again"));
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status::OK);
      return;
    }
    WriteNextLocked();
  }

  void OnCancel() override {
    std::lock_guard<std::mutex> lock(mu_);
    FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    bool registered;
    {
      std::lock_guard<std::mutex> lock(mu_);
      registered = registered_;
    }
    if (registered) hub_->Remove(unit_id_, principal_, this);
    delete this;
  }

 private:
  void WriteNextLocked() {
    if (writing_ || finished_ || queue_.empty()) return;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    if (current_.backlog() && backlog_left_ > 0) --backlog_left_;
    writing_ = true;
    StartWrite(&current_);
  }
  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    queue_.clear();
    Finish(status);
  }
  void FinishOnce(const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    FinishLocked(status);
  }

  FeedHub* const hub_;
  const Authenticator* const auth_;
  const std::string unit_id_;
  Principal who_;
  std::string principal_;
  std::mutex mu_;
  std::deque<v1::SubscribeResponse> queue_;
  std::set<std::string> in_backlog_;  // at most the backlog's size
  size_t backlog_left_ = 0;           // backlog messages still queued
  v1::SubscribeResponse current_;
  bool writing_ = false;
  bool finished_ = false;
  bool started_ = false;
  bool registered_ = false;
};

}  // namespace

#define UPLIFT_NOTIFY_DEFINE(Method) \
  UPLIFT_SERVE_UNARY(NotifyGrpcService, v1::Notification, v1, Method)
UPLIFT_NOTIFY_UNARY_RPCS(UPLIFT_NOTIFY_DEFINE)
UPLIFT_SERVE_UNARY(NotifyGrpcService, v1::Notification, uplift::audit::v1, ListAuditRecords)
#undef UPLIFT_NOTIFY_DEFINE

grpc::ServerWriteReactor<v1::SubscribeResponse>* NotifyGrpcService::Subscribe(
    grpc::CallbackServerContext* context, const v1::SubscribeRequest* request) {
  static const std::string kRpc = std::string(v1::Notification::service_full_name()) + "/Subscribe";
  return new SubscribeReactor(service_, hub_, auth_, AdmitCaller(*context, *auth_, kRpc),
                              request->unit_id());
}

}  // namespace uplift::notify

// RPC forwarding and the Subscribe stream.
#include "services/notify/notify_grpc.h"

#include <deque>
#include <mutex>
#include <set>

#include "common/grpc_status.h"
#include "common/unary_call.h"

namespace uplift::notify {
namespace {

// One live feed: the backlog first, then what the hub hands over, one write
// at a time; ends when the client cancels or the server stops.
class SubscribeReactor : public grpc::ServerWriteReactor<v1::SubscribeResponse>,
                         public FeedSubscriber {
 public:
  SubscribeReactor(NotifyService* service, FeedHub* hub, absl::StatusOr<Principal> who,
                   std::string unit_id)
      : hub_(hub), unit_id_(std::move(unit_id)) {
    absl::Status allowed = who.ok() ? service->CanRead(*who, unit_id_) : who.status();
    if (!allowed.ok()) {
      FinishOnce(ToGrpcStatus(allowed));
      return;
    }
    // Register before reading the backlog, so nothing falls between them.
    hub_->Add(unit_id_, this);
    registered_ = true;
    absl::StatusOr<std::vector<v1::Notice>> backlog = service->Backlog(unit_id_);
    std::lock_guard<std::mutex> lock(mu_);
    if (!backlog.ok()) {
      FinishLocked(ToGrpcStatus(backlog.status()));
      return;
    }
    std::deque<v1::SubscribeResponse> first;
    for (v1::Notice& n : *backlog) {
      sent_.insert(n.notification_id());
      v1::SubscribeResponse m;
      *m.mutable_notification() = std::move(n);
      m.set_backlog(true);
      first.push_back(std::move(m));
    }
    // Live messages that arrived meanwhile go after the backlog.
    for (v1::SubscribeResponse& m : queue_) {
      if (m.resend() || sent_.insert(m.notification().notification_id()).second) first.push_back(std::move(m));
    }
    queue_ = std::move(first);
    started_ = true;
    WriteNextLocked();
  }

  void Deliver(const v1::SubscribeResponse& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    if (started_ && !message.resend() && !sent_.insert(message.notification().notification_id()).second) {
      return;  // already sent in the backlog
    }
    queue_.push_back(message);
    if (started_) WriteNextLocked();
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
    if (registered) hub_->Remove(unit_id_, this);
    delete this;
  }

 private:
  void WriteNextLocked() {
    if (writing_ || finished_ || queue_.empty()) return;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    StartWrite(&current_);
  }
  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }
  void FinishOnce(const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    FinishLocked(status);
  }

  FeedHub* const hub_;
  const std::string unit_id_;
  std::mutex mu_;
  std::deque<v1::SubscribeResponse> queue_;
  std::set<std::string> sent_;
  v1::SubscribeResponse current_;
  bool writing_ = false;
  bool finished_ = false;
  bool started_ = false;
  bool registered_ = false;
};

}  // namespace

#define UPLIFT_NOTIFY_DEFINE(Method)                                                         \
  grpc::ServerUnaryReactor* NotifyGrpcService::Method(                                      \
      grpc::CallbackServerContext* context, const v1::Method##Request* request,             \
      v1::Method##Response* response) {                                                     \
    return ServeUnary(context, *auth_, service_, &NotifyService::Method, request, response); \
  }
UPLIFT_NOTIFY_UNARY_RPCS(UPLIFT_NOTIFY_DEFINE)
#undef UPLIFT_NOTIFY_DEFINE

grpc::ServerUnaryReactor* NotifyGrpcService::ListAuditRecords(
    grpc::CallbackServerContext* context, const uplift::audit::v1::ListAuditRecordsRequest* request,
    uplift::audit::v1::ListAuditRecordsResponse* response) {
  return ServeUnary(context, *auth_, service_, &NotifyService::ListAuditRecords, request, response);
}

grpc::ServerWriteReactor<v1::SubscribeResponse>* NotifyGrpcService::Subscribe(
    grpc::CallbackServerContext* context, const v1::SubscribeRequest* request) {
  return new SubscribeReactor(service_, hub_, auth_->Authenticate(*context), request->unit_id());
}

}  // namespace uplift::notify

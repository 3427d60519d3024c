// The server side of a client-streaming RPC (the bulk imports): the caller
// is admitted (token and access gate) before the first message is read,
// its token is checked again with every message, so an import outlives
// neither the token's expiry nor its revocation, and every callback is
// guarded, so a throw ends the call with INTERNAL (what was already stored
// stays) instead of ending the process. Subclasses handle one message at a
// time and say what the answer is when the client has sent everything.
#pragma once

#include <spdlog/spdlog.h>

#include <exception>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "common/auth/authenticator.h"
#include "common/grpc_status.h"

namespace uplift {

template <typename Request>
class GuardedReadReactor : public grpc::ServerReadReactor<Request> {
 public:
  // Call Begin() at the end of the subclass's constructor.
  GuardedReadReactor(const Authenticator* auth, absl::StatusOr<Principal> who, std::string rpc)
      : auth_(auth), who_(std::move(who)), rpc_(std::move(rpc)) {}

  void OnReadDone(bool ok) override {
    Guard([&]() -> absl::Status {
      if (absl::Status s_ = auth_->StillValid(*who_); !s_.ok()) return s_;
      if (!ok) {
        if (absl::Status s_ = OnEnd(*who_); !s_.ok()) return s_;
        this->Finish(grpc::Status::OK);
        return absl::OkStatus();
      }
      if (absl::Status s_ = OnMessage(*who_, message_); !s_.ok()) return s_;
      this->StartRead(&message_);
      return absl::OkStatus();
    });
  }

  void OnDone() override { delete this; }

 protected:
  void Begin() {
    Guard([&]() -> absl::Status {
      if (!who_.ok()) return who_.status();
      if (absl::Status s_ = OnStart(*who_); !s_.ok()) return s_;
      this->StartRead(&message_);
      return absl::OkStatus();
    });
  }
  // Before the first message; an error refuses the call.
  virtual absl::Status OnStart(const Principal& who) { return absl::OkStatus(); }
  virtual absl::Status OnMessage(const Principal& who, const Request& message) = 0;
  // The client has sent everything: fill in the response.
  virtual absl::Status OnEnd(const Principal& who) = 0;

 private:
  template <typename Fn>
  void Guard(Fn&& fn) {
    absl::Status s;
    try {
      s = fn();
    } catch (const std::exception& e) {
      spdlog::error("{}: unhandled exception: {}", rpc_, e.what());
      s = absl::InternalError("internal error; what came before it was kept; the server logged "
                              "the details");
    }
    if (!s.ok()) this->Finish(ToGrpcStatus(s));
  }

  const Authenticator* const auth_;
  absl::StatusOr<Principal> who_;
  const std::string rpc_;
  Request message_;
};

}  // namespace uplift

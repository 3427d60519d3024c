// Calls to the suite's services: bytes in, bytes out, any method by its
// path, so no RPC needs code of its own. Unary calls go over the front
// door's own HTTP/2 connections (h2_channel.h) and answer through a
// callback; server streams over gRPC's generic stub, and a server stream hands each message to a
// sink and reads the next only when the sink asks (so a slow HTTP client slows the backend stream
// instead of filling memory). Every call has a deadline and never waits for a backend to become
// ready: an unreachable backend is UNAVAILABLE at once.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/web/event_loops.h"
#include "services/web/h2_channel.h"

namespace uplift::web {

struct BackendCall {
  std::string backend;        // "uplift-registry"
  std::string method;         // "/uplift.registry.v1.EnterpriseRegistry/GetEnterprise"
  std::string request;        // the serialized request message
  std::string authorization;  // "Bearer ..." or empty
  absl::Time deadline;
  std::string request_id;  // sent as x-request-id: the backend logs it with the call
};

// Receives a server stream's messages, one at a time.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // `next(true)` asks for the next message, `next(false)` for none; call
  // it exactly once, from any thread.
  virtual void OnMessage(std::string message, std::function<void(bool)> next) = 0;
  // The stream's end, once, after the last OnMessage's `next`.
  virtual void OnDone(const absl::Status& status) = 0;
};

// Cancels a stream in progress; harmless after its end.
class StreamHandle {
 public:
  void Cancel();

 private:
  friend class StreamCall;
  absl::Mutex mu_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;  // null once done
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

class Backends {
 public:
  // gRPC channels per backend name, for server streams (which take turns
  // over them) and readiness (which asks the first). Unary calls go on an
  // HTTP/2 connection of the loop that makes them (h2_channel.h): one per
  // backend address in `unary_addresses`, on each of `loops`.
  static absl::StatusOr<std::unique_ptr<Backends>> Create(
      std::map<std::string, std::vector<std::shared_ptr<grpc::Channel>>> channels,
      const std::map<std::string, std::string>& unary_addresses, EventLoops* loops,
      const H2ChannelOptions& unary_options);

  // `done(status, response)` is called once, on the calling loop's thread
  // (on a loop's when the caller is on none), never before Unary returns.
  void Unary(const BackendCall& call,
             std::function<void(const absl::Status&, std::string response)> done);
  // `sink` must outlive the stream (until its OnDone).
  std::shared_ptr<StreamHandle> ServerStream(const BackendCall& call, StreamSink* sink);

  // OK if every backend answers SERVING to grpc.health.v1.Health within
  // `timeout`; otherwise UNAVAILABLE naming those that did not.
  absl::Status CheckReady(absl::Duration timeout);

 private:
  Backends(std::map<std::string, std::vector<std::shared_ptr<grpc::Channel>>> channels,
           EventLoops* loops);
  grpc::GenericStub* Stub(const std::string& backend);
  EventLoops* const loops_;
  // [loop][backend name]
  std::vector<std::map<std::string, std::unique_ptr<H2Channel>>> unary_;
  std::map<std::string, std::vector<std::shared_ptr<grpc::Channel>>> channels_;
  std::map<std::string, std::vector<std::unique_ptr<grpc::GenericStub>>> stubs_;
  std::atomic<uint64_t> stream_turn_{0};  // which channel the next stream takes
  std::atomic<uint64_t> loop_turn_{0};    // which loop a call from off the loops goes to
};

}  // namespace uplift::web

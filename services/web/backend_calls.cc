// Generic unary and server-streaming calls to the backends.
#include "services/web/backend_calls.h"

#include <grpcpp/support/byte_buffer.h>

#include <boost/asio/post.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/call_log_context.h"
#include "common/grpc_status.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace uplift::web {
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

void Prepare(const BackendCall& call, grpc::ClientContext* context) {
  context->set_deadline(absl::ToChronoTime(call.deadline));
  if (!call.authorization.empty()) context->AddMetadata("authorization", call.authorization);
  if (!call.request_id.empty()) context->AddMetadata(kRequestIdHeader, call.request_id);
}

absl::Status NoBackend(const std::string& backend) {
  return absl::UnimplementedError(absl::StrCat("no backend ", backend));
}

}  // namespace

void StreamHandle::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  if (context_ != nullptr) context_->TryCancel();
}

// One server stream, as a bidirectional call that writes its one request.
class StreamCall : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamCall(grpc::GenericStub* stub, const BackendCall& call, StreamSink* sink)
      : sink_(sink), request_(ToBuffer(call.request)), handle_(std::make_shared<StreamHandle>()) {
    Prepare(call, &context_);
    {
      absl::MutexLock lock(&handle_->mu_);
      handle_->context_ = &context_;
    }
    stub->PrepareBidiStreamingCall(&context_, call.method, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }
  std::shared_ptr<StreamHandle> handle() const { return handle_; }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended; OnDone follows
    AddHold();
    sink_->OnMessage(FromBuffer(response_), [this](bool more) {
      if (more) {
        StartRead(&response_);
      } else {
        context_.TryCancel();
      }
      RemoveHold();
    });
  }

  void OnDone(const grpc::Status& status) override {
    bool cancelled;
    {
      absl::MutexLock lock(&handle_->mu_);
      handle_->context_ = nullptr;
      cancelled = handle_->cancelled_;
    }
    absl::Status s = FromGrpcStatus(status);
    if (cancelled && s.code() == absl::StatusCode::kCancelled) {
      s = absl::CancelledError("the stream was ended by the front door");
    }
    sink_->OnDone(s);
    delete this;
  }

 private:
  StreamSink* const sink_;
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::shared_ptr<StreamHandle> handle_;
};

absl::StatusOr<std::unique_ptr<Backends>> Backends::Create(
    std::map<std::string, std::vector<std::shared_ptr<grpc::Channel>>> channels,
    const std::map<std::string, std::string>& unary_addresses, EventLoops* loops,
    const H2ChannelOptions& unary_options) {
  std::unique_ptr<Backends> backends(new Backends(std::move(channels), loops));
  for (int i = 0; i < loops->size(); ++i) {
    for (const auto& [name, address] : unary_addresses) {
      H2ChannelOptions o = unary_options;
      o.backend = name;
      o.address = address;
      absl::StatusOr<std::unique_ptr<H2Channel>> channel = H2Channel::Create(loops->loop(i), o);
      if (!channel.ok()) return channel.status();
      backends->unary_[i][name] = std::move(*channel);
    }
  }
  return backends;
}

Backends::Backends(std::map<std::string, std::vector<std::shared_ptr<grpc::Channel>>> channels,
                   EventLoops* loops)
    : loops_(loops), unary_(loops->size()), channels_(std::move(channels)) {
  for (const auto& [name, list] : channels_) {
    for (const auto& channel : list) {
      stubs_[name].push_back(std::make_unique<grpc::GenericStub>(channel));
    }
  }
}

grpc::GenericStub* Backends::Stub(const std::string& backend) {
  auto it = stubs_.find(backend);
  if (it == stubs_.end() || it->second.empty()) return nullptr;
  return it->second[stream_turn_.fetch_add(1, std::memory_order_relaxed) % it->second.size()].get();
}

void Backends::Unary(const BackendCall& call,
                     std::function<void(const absl::Status&, std::string)> done) {
  const int loop = loops_->Current();
  if (loop < 0) {
    // Not on a loop (a caller of our own): the loops take turns.
    const int any = static_cast<int>(loop_turn_.fetch_add(1, std::memory_order_relaxed) %
                                     static_cast<uint64_t>(loops_->size()));
    boost::asio::post(loops_->loop(any), [this, call, done = std::move(done)]() mutable {
      Unary(call, std::move(done));
    });
    return;
  }
  auto it = unary_[loop].find(call.backend);
  if (it == unary_[loop].end()) {
    boost::asio::post(loops_->loop(loop), [backend = call.backend, done = std::move(done)] {
      done(NoBackend(backend), "");
    });
    return;
  }
  it->second->Unary(
      H2Call{call.method, call.authorization, call.request, call.deadline, call.request_id},
      std::move(done));
}

std::shared_ptr<StreamHandle> Backends::ServerStream(const BackendCall& call, StreamSink* sink) {
  grpc::GenericStub* stub = Stub(call.backend);
  if (stub == nullptr) {
    sink->OnDone(NoBackend(call.backend));
    return std::make_shared<StreamHandle>();
  }
  return (new StreamCall(stub, call, sink))->handle();
}

absl::Status Backends::CheckReady(absl::Duration timeout) {
  std::vector<std::string> unready;
  for (const auto& [name, list] : channels_) {
    if (list.empty()) continue;
    auto stub = grpc::health::v1::Health::NewStub(list.front());
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status s = stub->Check(&context, request, &response);
    if (!s.ok() || response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
      unready.push_back(name);
    }
  }
  if (unready.empty()) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat("not serving: ", absl::StrJoin(unready, ", ")));
}

}  // namespace uplift::web

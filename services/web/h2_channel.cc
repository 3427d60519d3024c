// One backend's HTTP/2 connections for unary gRPC calls (nghttp2).
#include "services/web/h2_channel.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <openssl/ssl.h>

#include <array>
#include <deque>
#include <optional>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/call_log_context.h"
#include "common/client_channel.h"
#include "services/web/grpc_wire.h"

namespace uplift::web {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct H2Channel::Pending {
  H2Call call;
  H2Done done;
  std::string framed;  // the request as DATA
  size_t sent = 0;
  bool sent_again = false;
  bool moved = false;  // sent to another address once its own could not be reached
  GrpcOutcome outcome;
  std::string answer;  // DATA received
  bool too_large = false;
};

struct H2Channel::Finished {
  std::unique_ptr<Pending> call;
  absl::Status status;
  std::string response;
  bool send_again = false;
};

namespace {

nghttp2_nv NameValue(const std::string& name, const std::string& value) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NONE};
}

}  // namespace

absl::StatusOr<std::shared_ptr<net::ssl::context>> BackendTlsContext(const TlsFiles& tls) {
  if (!tls.enabled()) return std::shared_ptr<net::ssl::context>();
  auto context = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
  context->set_options(net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 |
                       net::ssl::context::default_workarounds);
  boost::system::error_code ec;
  if (!tls.ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPemFile("--tls-ca", tls.ca);
    if (!ca.ok()) return ca.status();
    context->add_certificate_authority(net::buffer(*ca), ec);
    if (ec) return absl::InvalidArgumentError(absl::StrCat("--tls-ca: ", ec.message()));
  } else {
    context->set_default_verify_paths(ec);
  }
  if (!tls.cert.empty()) {
    context->use_certificate_chain_file(tls.cert, ec);
    if (!ec) context->use_private_key_file(tls.key, net::ssl::context::pem, ec);
    if (ec) return absl::InvalidArgumentError(absl::StrCat("--tls-cert/--tls-key: ", ec.message()));
  }
  context->set_verify_mode(net::ssl::verify_peer);
  static const unsigned char kH2[] = {2, 'h', '2'};
  if (SSL_CTX_set_alpn_protos(context->native_handle(), kH2, sizeof(kH2)) != 0) {
    return absl::InternalError("cannot offer ALPN h2");
  }
  return context;
}

// One connection and its HTTP/2 session. Lives while it has work in
// flight (its handlers hold it) or while it is its channel's current one.
class H2Channel::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(H2Channel* channel, const Endpoint& to)
      : channel_(channel),
        loop_(channel->loop_),
        host_(to.host),
        port_(to.port),
        name_(to.name->host),
        authority_(absl::StrCat(to.name->host, ":", to.name->port)),
        timer_(loop_) {
    if (o().tls) {
      tls_.emplace(loop_, *o().tls);
    } else {
      plain_.emplace(loop_);
    }
  }

  ~Connection() {
    if (session_ != nullptr) nghttp2_session_del(session_);
  }

  // Whether new calls may go on it.
  bool accepting() const { return state_ != State::kDone && !draining_; }

  void Start() {
    auto resolver = std::make_shared<tcp::resolver>(loop_);
    connect_by_ = absl::Now() + o().connect_timeout;
    ArmTimer(absl::Now() + kSweep);
    resolver->async_resolve(
        host_, port_,
        [self = shared_from_this(), resolver](boost::system::error_code ec,
                                              tcp::resolver::results_type found) {
          if (ec) return self->Fail(absl::StrCat("cannot resolve: ", ec.message()));
          net::async_connect(
              self->socket(), found,
              [self](boost::system::error_code ec, const tcp::endpoint&) { self->Connected(ec); });
        });
  }

  void Submit(std::unique_ptr<Pending> call) {
    if (state_ == State::kConnecting) {
      waiting_.push_back(std::move(call));
      return;
    }
    Open(std::move(call));
    Flush();
  }

 private:
  enum class State { kConnecting, kReady, kDone };

  const H2ChannelOptions& o() const { return channel_->options_; }
  // The address for messages: as configured, and the one resolved to.
  std::string Where() const {
    return host_ == name_ ? authority_ : absl::StrCat(authority_, " (", host_, ")");
  }
  tcp::socket& socket() { return tls_ ? tls_->next_layer() : *plain_; }

  void Connected(boost::system::error_code ec) {
    if (state_ == State::kDone) return;
    if (ec) return Fail(absl::StrCat("cannot connect: ", ec.message()));
    boost::system::error_code ignored;
    socket().set_option(tcp::no_delay(true), ignored);
    // A peer that vanished is noticed by the kernel within about a minute.
    socket().set_option(net::socket_base::keep_alive(true), ignored);
    const int idle = 30, interval = 10, count = 3;
    setsockopt(socket().native_handle(), IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
    setsockopt(socket().native_handle(), IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
    setsockopt(socket().native_handle(), IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
    if (!tls_) return Ready();
    const std::string name = o().tls_server_name.empty() ? name_ : o().tls_server_name;
    SSL_set_tlsext_host_name(tls_->native_handle(), name.c_str());
    tls_->set_verify_callback(net::ssl::host_name_verification(name));
    tls_->async_handshake(net::ssl::stream_base::client,
                          [self = shared_from_this()](boost::system::error_code ec) {
                            if (self->state_ == State::kDone) return;
                            if (ec) return self->Fail(absl::StrCat("TLS: ", ec.message()));
                            const unsigned char* alpn = nullptr;
                            unsigned int n = 0;
                            SSL_get0_alpn_selected(self->tls_->native_handle(), &alpn, &n);
                            if (n != 2 || alpn[0] != 'h' || alpn[1] != '2') {
                              return self->Fail("TLS: the backend did not agree to HTTP/2");
                            }
                            self->Ready();
                          });
  }

  void Ready() {
    nghttp2_session_callbacks* cbs;
    nghttp2_session_callbacks_new(&cbs);
    nghttp2_session_callbacks_set_on_header_callback(cbs, &Connection::OnHeader);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &Connection::OnData);
    nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &Connection::OnStreamClose);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &Connection::OnFrame);
    const int rv = nghttp2_session_client_new(&session_, cbs, this);
    nghttp2_session_callbacks_del(cbs);
    if (rv != 0) return Fail(absl::StrCat("HTTP/2: ", nghttp2_strerror(rv)));
    // Room for a whole answer per stream, and for many on the connection.
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 4 << 20},
    };
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, 2);
    nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, 64 << 20);
    state_ = State::kReady;
    channel_->Opened(host_, port_);
    std::deque<std::unique_ptr<Pending>> waiting;
    waiting.swap(waiting_);
    for (auto& call : waiting) Open(std::move(call));
    Read();
    Flush();
  }

  void Open(std::unique_ptr<Pending> call) {
    if (call->framed.empty()) call->framed = FrameGrpcMessage(call->call.message);
    // A call sent again starts afresh.
    call->sent = 0;
    call->outcome = {};
    call->answer.clear();
    static const std::string kMethod = ":method", kPost = "POST", kScheme = ":scheme",
                             kPath = ":path", kAuthority = ":authority", kType = "content-type",
                             kGrpc = "application/grpc", kTe = "te", kTrailers = "trailers",
                             kTimeout = "grpc-timeout", kAuthorization = "authorization",
                             kAgent = "user-agent", kUs = "uplift-web";
    static const std::string kHttp = "http", kHttps = "https";
    const std::string timeout = GrpcTimeout(call->call.deadline - absl::Now());
    std::vector<nghttp2_nv> headers = {
        NameValue(kMethod, kPost),         NameValue(kScheme, tls_ ? kHttps : kHttp),
        NameValue(kPath, call->call.path), NameValue(kAuthority, authority_),
        NameValue(kType, kGrpc),           NameValue(kTe, kTrailers),
        NameValue(kTimeout, timeout),      NameValue(kAgent, kUs)};
    if (!call->call.authorization.empty()) {
      headers.push_back(NameValue(kAuthorization, call->call.authorization));
    }
    static const std::string kRequestId = kRequestIdHeader;
    if (!call->call.request_id.empty()) {
      headers.push_back(NameValue(kRequestId, call->call.request_id));
    }
    nghttp2_data_provider body;
    body.source.ptr = nullptr;
    body.read_callback = &Connection::ReadBody;
    const int32_t id =
        nghttp2_submit_request(session_, nullptr, headers.data(), headers.size(), &body, nullptr);
    if (id < 0) {
      // Stream ids used up (or the session is closing): a new connection.
      draining_ = true;
      return Done({std::move(call), absl::OkStatus(), "", /*send_again=*/true});
    }
    streams_[id] = std::move(call);
    if (!sweeping_) {
      sweeping_ = true;
      ArmTimer(absl::Now() + kSweep);
    }
  }

  // Writes what the session has to send, coalescing the frames of every
  // call started in this turn of the loop into one write.
  void Flush() {
    if (flush_posted_ || writing_ || state_ != State::kReady) return;
    flush_posted_ = true;
    net::post(loop_, [self = shared_from_this()] {
      self->flush_posted_ = false;
      self->Write();
    });
  }

  void Write() {
    if (writing_ || state_ != State::kReady) return;
    out_.clear();
    for (;;) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) return Fail(absl::StrCat("HTTP/2: ", nghttp2_strerror(static_cast<int>(n))));
      if (n == 0) break;
      out_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    RunFinished();
    if (out_.empty()) return CloseIfIdle();
    writing_ = true;
    const auto done = [self = shared_from_this()](boost::system::error_code ec, size_t) {
      self->writing_ = false;
      if (ec) return self->Fail(absl::StrCat("connection lost: ", ec.message()));
      self->Write();
    };
    if (tls_) {
      net::async_write(*tls_, net::buffer(out_), done);
    } else {
      net::async_write(*plain_, net::buffer(out_), done);
    }
  }

  void Read() {
    const auto done = [self = shared_from_this()](boost::system::error_code ec, size_t n) {
      if (self->state_ != State::kReady) return;
      if (ec) {
        return self->Fail(ec == net::error::eof ? std::string("the backend closed the connection")
                                                : absl::StrCat("connection lost: ", ec.message()));
      }
      const ssize_t rv = nghttp2_session_mem_recv(self->session_, self->in_.data(), n);
      if (rv < 0) {
        return self->Fail(absl::StrCat("HTTP/2: ", nghttp2_strerror(static_cast<int>(rv))));
      }
      self->RunFinished();
      self->Write();  // acknowledgements and window updates, at once
      if (self->state_ == State::kReady) self->Read();
    };
    if (tls_) {
      tls_->async_read_some(net::buffer(in_), done);
    } else {
      plain_->async_read_some(net::buffer(in_), done);
    }
  }

  // Deadlines: every call past its own is cancelled (RST_STREAM) and
  // answered DEADLINE_EXCEEDED; the backend has the same deadline.
  void ArmTimer(absl::Time when) {
    timer_.expires_after(
        absl::ToChronoNanoseconds(std::max(absl::ZeroDuration(), when - absl::Now())));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->state_ == State::kDone) return;
      if (self->state_ == State::kConnecting) {
        if (absl::Now() >= self->connect_by_) {
          return self->Fail("cannot connect: no answer within the connect timeout");
        }
        self->SweepWaiting();
        return self->ArmTimer(absl::Now() + kSweep);
      }
      self->Sweep();
      self->sweeping_ = !self->streams_.empty();
      if (self->sweeping_) self->ArmTimer(absl::Now() + kSweep);
    });
  }

  void Sweep() {
    const absl::Time now = absl::Now();
    std::vector<int32_t> expired;
    for (const auto& [id, call] : streams_) {
      if (call->call.deadline <= now) expired.push_back(id);
    }
    for (int32_t id : expired) {
      auto it = streams_.find(id);
      std::unique_ptr<Pending> call = std::move(it->second);
      streams_.erase(it);
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
      Done(
          {std::move(call), absl::DeadlineExceededError("the backend did not answer in time"), ""});
    }
    if (!expired.empty()) Write();
    RunFinished();
  }

  // Calls waiting for the connection to open fail at their deadline.
  void SweepWaiting() {
    const absl::Time now = absl::Now();
    std::deque<std::unique_ptr<Pending>> still;
    for (auto& call : waiting_) {
      if (call->call.deadline <= now) {
        Done({std::move(call),
              absl::DeadlineExceededError(
                  absl::StrCat(o().backend, " at ", Where(), ": still connecting")),
              ""});
      } else {
        still.push_back(std::move(call));
      }
    }
    waiting_.swap(still);
    RunFinished();
  }

  // Every call still here fails; the channel opens a new connection for
  // the next ones.
  void Fail(const std::string& why) {
    if (state_ == State::kDone) return;
    const bool opened = state_ == State::kReady;
    state_ = State::kDone;
    boost::system::error_code ignored;
    socket().close(ignored);
    timer_.cancel();
    const absl::Status status =
        absl::UnavailableError(absl::StrCat(o().backend, " at ", Where(), ": ", why));
    if (!opened) channel_->FailedToOpen(host_, port_, status);
    // Calls waiting for a connection that never opened were not sent: once
    // to another address, which the channel picks now this one pauses.
    const bool elsewhere = !opened && channel_->endpoints_.size() > 1;
    for (auto& call : waiting_) {
      if (elsewhere && !call->moved) {
        call->moved = true;
        Done({std::move(call), absl::OkStatus(), "", /*send_again=*/true});
      } else {
        Done({std::move(call), status, ""});
      }
    }
    waiting_.clear();
    for (auto& [id, call] : streams_) Done({std::move(call), status, ""});
    streams_.clear();
    RunFinished();
  }

  // Closes the connection once it is draining and has nothing in flight.
  void CloseIfIdle() {
    if (state_ == State::kReady && draining_ && streams_.empty() &&
        !nghttp2_session_want_write(session_)) {
      state_ = State::kDone;
      boost::system::error_code ignored;
      socket().close(ignored);
      timer_.cancel();
    }
  }

  void Done(Finished finished) { finished_.push_back(std::move(finished)); }

  // Answers the finished calls outside nghttp2's callbacks.
  void RunFinished() {
    while (!finished_.empty()) {
      std::vector<Finished> batch;
      batch.swap(finished_);
      for (Finished& f : batch) {
        if (f.send_again) {
          channel_->Dispatch(std::move(f.call));
        } else {
          f.call->done(f.status, std::move(f.response));
        }
      }
    }
  }

  Pending* Find(int32_t id) {
    auto it = streams_.find(id);
    return it == streams_.end() ? nullptr : it->second.get();
  }

  static ssize_t ReadBody(nghttp2_session*, int32_t id, uint8_t* buf, size_t length,
                          uint32_t* flags, nghttp2_data_source*, void* self) {
    Pending* call = static_cast<Connection*>(self)->Find(id);
    if (call == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    const size_t n = std::min(length, call->framed.size() - call->sent);
    std::memcpy(buf, call->framed.data() + call->sent, n);
    call->sent += n;
    if (call->sent == call->framed.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  static int OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                      size_t name_len, const uint8_t* value, size_t value_len, uint8_t,
                      void* self) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    Pending* call = static_cast<Connection*>(self)->Find(frame->hd.stream_id);
    if (call == nullptr) return 0;
    const absl::string_view n(reinterpret_cast<const char*>(name), name_len);
    const absl::string_view v(reinterpret_cast<const char*>(value), value_len);
    if (n == ":status") {
      int status = 0;
      if (absl::SimpleAtoi(v, &status)) call->outcome.http_status = status;
    } else if (n == "grpc-status") {
      call->outcome.grpc_status = std::string(v);
    } else if (n == "grpc-message") {
      call->outcome.grpc_message = std::string(v.substr(0, 4096));
    }
    return 0;
  }

  static int OnData(nghttp2_session* session, uint8_t, int32_t id, const uint8_t* data, size_t n,
                    void* self) {
    auto* c = static_cast<Connection*>(self);
    Pending* call = c->Find(id);
    if (call == nullptr || call->too_large) return 0;
    if (call->answer.size() + n > c->o().max_answer_bytes + 5) {
      call->too_large = true;
      call->answer.clear();
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
      return 0;
    }
    call->answer.append(reinterpret_cast<const char*>(data), n);
    return 0;
  }

  static int OnStreamClose(nghttp2_session*, int32_t id, uint32_t error, void* self) {
    auto* c = static_cast<Connection*>(self);
    auto it = c->streams_.find(id);
    if (it == c->streams_.end()) return 0;
    std::unique_ptr<Pending> call = std::move(it->second);
    c->streams_.erase(it);
    c->Close(std::move(call), error);
    return 0;
  }

  static int OnFrame(nghttp2_session*, const nghttp2_frame* frame, void* self) {
    if (frame->hd.type == NGHTTP2_GOAWAY) static_cast<Connection*>(self)->draining_ = true;
    return 0;
  }

  void Close(std::unique_ptr<Pending> call, uint32_t error) {
    if (call->too_large) {
      return Done({std::move(call),
                   absl::ResourceExhaustedError(absl::StrCat("the backend's answer is larger than ",
                                                             o().max_answer_bytes, " bytes")),
                   ""});
    }
    if (error == NGHTTP2_REFUSED_STREAM && !call->sent_again) {
      // Not processed (the backend went away or had no room): once more.
      call->sent_again = true;
      return Done({std::move(call), absl::OkStatus(), "", /*send_again=*/true});
    }
    if (!call->outcome.grpc_status && error != NGHTTP2_NO_ERROR) {
      return Done({std::move(call),
                   absl::UnavailableError(absl::StrCat(o().backend, " reset the call (HTTP/2 ",
                                                       nghttp2_http2_strerror(error), ")")),
                   ""});
    }
    absl::Status status = StatusOfOutcome(call->outcome);
    if (!status.ok()) return Done({std::move(call), status, ""});
    absl::StatusOr<std::string> message = UnframeGrpcMessage(call->answer);
    if (!message.ok()) return Done({std::move(call), message.status(), ""});
    Done({std::move(call), absl::OkStatus(), std::move(*message)});
  }

  static constexpr absl::Duration kSweep = absl::Milliseconds(50);

  H2Channel* const channel_;
  net::io_context& loop_;
  const std::string host_, port_;  // where to connect
  const std::string name_;         // the name configured, for TLS
  const std::string authority_;    // name:port
  std::optional<tcp::socket> plain_;
  std::optional<net::ssl::stream<tcp::socket>> tls_;
  net::steady_timer timer_;
  nghttp2_session* session_ = nullptr;
  State state_ = State::kConnecting;
  absl::Time connect_by_;
  bool draining_ = false;
  bool writing_ = false;
  bool flush_posted_ = false;
  bool sweeping_ = false;  // the timer watches deadlines
  std::deque<std::unique_ptr<Pending>> waiting_;
  absl::flat_hash_map<int32_t, std::unique_ptr<Pending>> streams_;
  std::vector<Finished> finished_;
  std::string out_;
  std::array<uint8_t, 64 * 1024> in_;
};

namespace {

// host:port or [v6]:port; false when it is neither.
bool SplitHostPort(absl::string_view a, std::string* host, std::string* port) {
  const size_t colon = a.rfind(':');
  int n = 0;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(a.substr(colon + 1), &n) || n <= 0 || n > 65535) {
    return false;
  }
  *host = std::string(a.substr(0, colon));
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  *port = std::to_string(n);
  return !host->empty();
}

constexpr absl::Duration kResolveEvery = absl::Seconds(30);

}  // namespace

absl::StatusOr<std::unique_ptr<H2Channel>> H2Channel::Create(net::io_context& loop,
                                                             H2ChannelOptions options) {
  std::vector<Name> names;
  for (absl::string_view part : absl::StrSplit(options.address, ',', absl::SkipWhitespace())) {
    Name name;
    if (!SplitHostPort(absl::StripAsciiWhitespace(part), &name.host, &name.port)) {
      return absl::InvalidArgumentError(
          absl::StrCat(options.backend, " address ", options.address, " is not host:port"));
    }
    boost::system::error_code ec;
    net::ip::make_address(name.host, ec);
    name.literal = !ec;
    names.push_back(std::move(name));
  }
  if (names.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(options.backend, " address ", options.address, " is not host:port"));
  }
  return std::unique_ptr<H2Channel>(new H2Channel(loop, std::move(options), std::move(names)));
}

H2Channel::H2Channel(net::io_context& loop, H2ChannelOptions options, std::vector<Name> names)
    : loop_(loop), options_(std::move(options)), names_(std::move(names)) {
  // Until the names are resolved, each is one endpoint that resolves itself.
  for (const Name& name : names_) {
    endpoints_.push_back({name.host, name.port, &name, nullptr, absl::InfinitePast(),
                          options_.first_pause, absl::OkStatus()});
  }
  bool all_literal = true;
  for (const Name& name : names_) all_literal = all_literal && name.literal;
  if (all_literal) resolve_after_ = absl::InfiniteFuture();
}

H2Channel::~H2Channel() = default;

void H2Channel::Unary(H2Call call, H2Done done) {
  auto pending = std::make_unique<Pending>();
  pending->call = std::move(call);
  pending->done = std::move(done);
  Dispatch(std::move(pending));
}

void H2Channel::Dispatch(std::unique_ptr<Pending> call) {
  // Never answered inside Unary: its caller may be mid-way.
  const auto finish_later = [this](std::unique_ptr<Pending> call, absl::Status status) {
    net::post(loop_,
              [p = std::shared_ptr<Pending>(std::move(call)), status] { p->done(status, ""); });
  };
  if (call->call.deadline <= absl::Now()) {
    return finish_later(std::move(call), absl::DeadlineExceededError("the deadline passed"));
  }
  if (!resolving_ && absl::Now() >= resolve_after_) Resolve();
  Endpoint* to = NextEndpoint();
  if (to == nullptr) {
    // Every address pauses: the failure of the one whose turn it was.
    return finish_later(std::move(call), endpoints_[turn_++ % endpoints_.size()].last_failure);
  }
  if (to->current == nullptr || !to->current->accepting()) {
    to->current = std::make_shared<Connection>(this, *to);
    to->current->Start();
  }
  to->current->Submit(std::move(call));
}

H2Channel::Endpoint* H2Channel::NextEndpoint() {
  const absl::Time now = absl::Now();
  const size_t n = endpoints_.size();
  for (size_t i = 0; i < n; ++i) {
    Endpoint& e = endpoints_[(turn_ + i) % n];
    if ((e.current != nullptr && e.current->accepting()) || now >= e.paused_until) {
      turn_ = (turn_ + i + 1) % n;
      return &e;
    }
  }
  return nullptr;
}

void H2Channel::Resolve() {
  resolving_ = true;
  resolve_after_ = absl::Now() + kResolveEvery;
  struct Answers {
    size_t left;
    std::vector<std::vector<std::string>> addresses;  // by name
  };
  auto answers = std::make_shared<Answers>(Answers{names_.size(), {}});
  answers->addresses.resize(names_.size());
  const auto one_answered = [this, answers] {
    if (--answers->left > 0) return;
    resolving_ = false;
    SetEndpoints(answers->addresses);
  };
  for (size_t i = 0; i < names_.size(); ++i) {
    const Name& name = names_[i];
    if (name.literal) {
      answers->addresses[i].push_back(name.host);
      one_answered();
      continue;
    }
    auto resolver = std::make_shared<tcp::resolver>(loop_);
    resolver->async_resolve(
        name.host, name.port,
        [answers, resolver, i, one_answered](boost::system::error_code ec,
                                             tcp::resolver::results_type found) {
          for (const auto& entry : found) {
            if (ec) break;
            answers->addresses[i].push_back(entry.endpoint().address().to_string());
          }
          one_answered();
        });
  }
}

void H2Channel::SetEndpoints(const std::vector<std::vector<std::string>>& addresses) {
  std::vector<Endpoint> next;
  for (size_t i = 0; i < names_.size(); ++i) {
    for (const std::string& host : addresses[i]) {
      const std::string& port = names_[i].port;
      bool seen = false;
      for (const Endpoint& e : next) seen = seen || (e.host == host && e.port == port);
      if (seen) continue;
      if (Endpoint* old = FindEndpoint(host, port)) {
        next.push_back(std::move(*old));
      } else {
        next.push_back({host, port, &names_[i], nullptr, absl::InfinitePast(), options_.first_pause,
                        absl::OkStatus()});
      }
    }
  }
  if (next.empty()) return;  // nothing resolved: keep what there is
  endpoints_ = std::move(next);
  turn_ %= endpoints_.size();
}

H2Channel::Endpoint* H2Channel::FindEndpoint(const std::string& host, const std::string& port) {
  for (Endpoint& e : endpoints_) {
    if (e.host == host && e.port == port) return &e;
  }
  return nullptr;
}

void H2Channel::Opened(const std::string& host, const std::string& port) {
  if (Endpoint* e = FindEndpoint(host, port)) e->pause = options_.first_pause;
}

void H2Channel::FailedToOpen(const std::string& host, const std::string& port,
                             const absl::Status& why) {
  Endpoint* e = FindEndpoint(host, port);
  if (e == nullptr) return;
  e->last_failure = why;
  e->paused_until = absl::Now() + e->pause;
  e->pause = std::min(e->pause * 2, options_.longest_pause);
}

}  // namespace uplift::web

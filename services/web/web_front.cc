// The front door's routes, the Connect protocol over the backends, and the
// session cookie.
#include "services/web/web_front.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/call_log_context.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/web/connect_protocol.h"
#include "uplift/accounts/v1/accounts.pb.h"

namespace uplift::web {
namespace {

constexpr char kSignIn[] = "/uplift.accounts.v1.Accounts/SignIn";
constexpr char kSignOut[] = "/uplift.accounts.v1.Accounts/SignOut";

std::string Header(const HttpRequest& request, absl::string_view name) {
  auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  if (it == request.end()) return "";
  return std::string(it->value());
}

// "application/json; charset=utf-8" -> "application/json".
std::string MediaType(const HttpRequest& request) {
  std::string type = Header(request, "Content-Type");
  type = type.substr(0, type.find(';'));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

std::string SessionCookie(bool secure, const std::string& value, absl::Duration max_age) {
  return absl::StrCat(secure ? WebFront::kSecureCookie : WebFront::kCookie, "=", value,
                      "; Path=/; HttpOnly; SameSite=Strict", secure ? "; Secure" : "",
                      "; Max-Age=", absl::ToInt64Seconds(max_age));
}

}  // namespace

std::string CookieValue(absl::string_view header, absl::string_view name) {
  for (absl::string_view part : absl::StrSplit(header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, name) && absl::ConsumePrefix(&part, "=")) {
      return std::string(part);
    }
  }
  return "";
}

// Carries one server stream from a backend to an HTTP client, a message
// at a time: the next is read only when the client has taken this one.
class WebFront::StreamBridge : public StreamSink {
 public:
  StreamBridge(WebFront* front, const RpcRoute& route, bool json,
               std::shared_ptr<HttpExchange> exchange)
      : front_(front), route_(route), json_(json), exchange_(std::move(exchange)) {}

  void OnMessage(std::string message, std::function<void(bool)> next) override {
    std::string payload = std::move(message);
    if (json_) {
      absl::StatusOr<std::string> text =
          front_->codec_->BinaryToJson(route_.method->output_type(), payload);
      if (!text.ok()) {
        next(false);
        return;
      }
      payload = std::move(*text);
    }
    exchange_->WriteChunk(Envelope(0, payload), std::move(next));
  }

  void OnDone(const absl::Status& status) override {
    exchange_->EndStream(EndStreamEnvelope(status));
    front_->ForgetStream(id_);
    delete this;
  }

  uint64_t id_ = 0;

 private:
  WebFront* const front_;
  const RpcRoute& route_;
  const bool json_;
  std::shared_ptr<HttpExchange> exchange_;
};

WebFront::WebFront(WebFrontOptions options, const RpcCatalog* catalog, const MessageCodec* codec,
                   Backends* backends, SessionManager* sessions, const StaticFiles* files,
                   std::function<absl::Status()> ready)
    : options_(std::move(options)),
      catalog_(catalog),
      codec_(codec),
      backends_(backends),
      sessions_(sessions),
      files_(files),
      ready_(std::move(ready)) {}

WebFront::~WebFront() { blocking_.join(); }

HttpResponse WebFront::Answer(const HttpRequest& request, const std::string& content_type,
                              std::string body) const {
  HttpResponse res(http::status::ok, request.version());
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  const std::string origin = Header(request, "Origin");
  if (!origin.empty() && IsCorsOrigin(origin)) {
    res.set(http::field::access_control_allow_origin, origin);
    res.set(http::field::vary, "Origin");
  }
  // JSON is never rendered as a page: the page headers are for the files.
  res.set("X-Content-Type-Options", "nosniff");
  const std::string request_id = Header(request, "X-Request-Id");
  if (!request_id.empty()) res.set("X-Request-Id", request_id);
  res.body() = std::move(body);
  return res;
}

HttpResponse WebFront::Error(const HttpRequest& request, const absl::Status& status) const {
  HttpResponse res = Answer(request, "application/json", ConnectErrorJson(status));
  res.result(static_cast<unsigned>(HttpStatusOfCode(status.code())));
  return res;
}

std::string WebFront::ConsoleOrigin(const HttpRequest& request, bool secure) const {
  if (!options_.public_origin.empty()) return options_.public_origin;
  return absl::StrCat(secure ? "https://" : "http://", Header(request, "Host"));
}

bool WebFront::IsCorsOrigin(absl::string_view origin) const {
  return std::find(options_.cors_origins.begin(), options_.cors_origins.end(), origin) !=
         options_.cors_origins.end();
}

void WebFront::Handle(HttpRequest request, std::shared_ptr<HttpExchange> exchange) {
  // Every request has an id: the caller's when it is a sane one. The
  // backends log it with the call; the answer carries it back.
  request.set("X-Request-Id", SaneRequestId(Header(request, "X-Request-Id")));
  try {
    const std::string target(request.target());
    if (request.method() == http::verb::post) return HandleRpc(request, exchange);
    if (request.method() == http::verb::options) return Preflight(request, exchange);
    if (request.method() != http::verb::get) {
      HttpResponse res =
          Error(request, absl::UnimplementedError("use POST for calls, GET for pages"));
      res.result(http::status::method_not_allowed);
      return exchange->Reply(std::move(res));
    }
    if (target == "/healthz") return exchange->Reply(Answer(request, "text/plain", "ok\n"));
    if (target == "/readyz") return Ready(request, exchange);
    HttpResponse res = files_->Serve(request);
    AddSecurityHeaders(res);
    exchange->Reply(std::move(res));
  } catch (const std::exception& e) {
    spdlog::error("http request {}: {}", SafeForLog(std::string(request.target()), 120), e.what());
    exchange->Reply(Error(request, absl::InternalError("internal error; the server logged it")));
  }
}

void WebFront::Ready(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange) {
  boost::asio::post(blocking_, [this, request, exchange] {
    absl::Status status;
    {
      absl::MutexLock lock(&mu_);
      if (absl::Now() - ready_checked_ < absl::Seconds(1)) status = ready_status_;
    }
    if (absl::Now() - ready_checked_ >= absl::Seconds(1)) {
      status = ready_();
      absl::MutexLock lock(&mu_);
      ready_checked_ = absl::Now();
      ready_status_ = status;
    }
    HttpResponse res = Answer(request, "text/plain",
                              status.ok() ? "ready\n" : std::string(status.message()) + "\n");
    if (!status.ok()) res.result(http::status::service_unavailable);
    exchange->Reply(std::move(res));
  });
}

void WebFront::Preflight(const HttpRequest& request,
                         const std::shared_ptr<HttpExchange>& exchange) {
  const std::string origin = Header(request, "Origin");
  HttpResponse res(http::status::no_content, request.version());
  if (!origin.empty() && IsCorsOrigin(origin)) {
    res.set(http::field::access_control_allow_origin, origin);
    res.set(http::field::access_control_allow_methods, "POST");
    res.set(http::field::access_control_allow_headers,
            "Content-Type, Connect-Protocol-Version, Connect-Timeout-Ms, Authorization");
    res.set(http::field::access_control_max_age, "7200");
    res.set(http::field::vary, "Origin");
  } else {
    res.result(http::status::forbidden);
  }
  exchange->Reply(std::move(res));
}

absl::StatusOr<WebFront::Caller> WebFront::Identify(const HttpRequest& request, bool secure) {
  Caller caller;
  const std::string origin = Header(request, "Origin");
  const bool same_origin = !origin.empty() && origin == ConsoleOrigin(request, secure);
  if (!origin.empty() && !same_origin && !IsCorsOrigin(origin)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cross-origin request from ", QuoteInput(origin), " refused; only the console's origin ",
        "and the configured --cors-origins may call"));
  }
  caller.authorization = Header(request, "Authorization");
  if (!caller.authorization.empty()) return caller;  // a system with its own token
  caller.session_id = CookieValue(Header(request, "Cookie"), secure ? kSecureCookie : kCookie);
  if (caller.session_id.empty()) return caller;  // the service will say who is missing
  if (!same_origin) {
    return absl::PermissionDeniedError(
        "a call with the session cookie must come from the console's own origin (Origin header)");
  }
  if (Header(request, "Connect-Protocol-Version") != "1") {
    return absl::PermissionDeniedError(
        "a call with the session cookie must carry the header Connect-Protocol-Version: 1");
  }
  return caller;
}

void WebFront::HandleRpc(const HttpRequest& request,
                         const std::shared_ptr<HttpExchange>& exchange) {
  const std::string path(request.target());
  const RpcRoute* route = catalog_->Find(path);
  if (route == nullptr || route->client_streaming) {
    return exchange->Reply(Error(
        request, absl::UnimplementedError(absl::StrCat(
                     "no RPC ", QuoteInput(path), "; call POST /<package>.<Service>/<Method>"))));
  }
  absl::StatusOr<Caller> caller = Identify(request, exchange->secure());
  if (!caller.ok()) return exchange->Reply(Error(request, caller.status()));
  const std::string encoding = absl::AsciiStrToLower(Header(request, "Content-Encoding"));
  if (!encoding.empty() && encoding != "identity") {
    return exchange->Reply(Error(
        request, absl::UnimplementedError(absl::StrCat("Content-Encoding ", QuoteInput(encoding),
                                                       " is not supported; send the body as is"))));
  }
  const std::string type = MediaType(request);
  const bool stream_type = absl::StartsWith(type, "application/connect+");
  const bool json = type == "application/json" || type == "application/connect+json";
  const bool proto = type == "application/proto" || type == "application/connect+proto";
  if ((!json && !proto) || stream_type != route->server_streaming) {
    HttpResponse res = Error(request, absl::InvalidArgumentError(absl::StrCat(
                                          "Content-Type: ",
                                          route->server_streaming ? "this RPC streams: send "
                                                                    "application/connect+json"
                                                                  : "send application/json",
                                          " (or the +proto/proto form), not ", QuoteInput(type))));
    res.result(http::status::unsupported_media_type);
    return exchange->Reply(std::move(res));
  }
  absl::Duration timeout =
      route->server_streaming ? options_.stream_timeout : options_.default_timeout;
  const std::string timeout_header = Header(request, "Connect-Timeout-Ms");
  if (!timeout_header.empty()) {
    absl::StatusOr<absl::Duration> parsed = ParseConnectTimeout(timeout_header);
    if (!parsed.ok()) return exchange->Reply(Error(request, parsed.status()));
    timeout =
        std::min(*parsed, route->server_streaming ? options_.stream_timeout : options_.max_timeout);
  }
  const absl::Time deadline = absl::Now() + timeout;
  if (path == kSignIn) return SignIn(request, exchange);
  if (path == kSignOut) return SignOut(request, exchange, caller->session_id);
  if (!caller->session_id.empty()) {
    absl::StatusOr<ActiveSession> session = sessions_->Resume(caller->session_id);
    if (!session.ok()) return exchange->Reply(Error(request, session.status()));
    caller->authorization = "Bearer " + session->token;
    caller->session_hash = std::move(session->session_hash);
    caller->login = session->account.login();
  }
  if (route->server_streaming) {
    return Stream(*route, request, *caller, deadline, json, exchange);
  }
  Unary(*route, request, *caller, deadline, json, exchange);
}

void WebFront::Unary(const RpcRoute& route, const HttpRequest& request, const Caller& caller,
                     absl::Time deadline, bool json,
                     const std::shared_ptr<HttpExchange>& exchange) {
  BackendCall call{route.backend,        route.path, request.body(),
                   caller.authorization, deadline,   Header(request, "X-Request-Id")};
  if (json) {
    absl::StatusOr<std::string> binary =
        codec_->JsonToBinary(route.method->input_type(), request.body());
    if (!binary.ok()) return exchange->Reply(Error(request, binary.status()));
    call.request = std::move(*binary);
  }
  auto head = std::make_shared<HttpRequest>();
  head->version(request.version());
  if (auto it = request.find(http::field::origin); it != request.end()) {
    head->set(http::field::origin, it->value());
  }
  head->set("X-Request-Id", Header(request, "X-Request-Id"));
  backends_->Unary(call, [this, &route, json, head, exchange](const absl::Status& status,
                                                              std::string response) {
    if (!status.ok()) return exchange->Reply(Error(*head, status));
    if (!json) return exchange->Reply(Answer(*head, "application/proto", std::move(response)));
    absl::StatusOr<std::string> text = codec_->BinaryToJson(route.method->output_type(), response);
    if (!text.ok()) return exchange->Reply(Error(*head, text.status()));
    exchange->Reply(Answer(*head, "application/json", std::move(*text)));
  });
}

void WebFront::Stream(const RpcRoute& route, const HttpRequest& request, const Caller& caller,
                      absl::Time deadline, bool json,
                      const std::shared_ptr<HttpExchange>& exchange) {
  absl::StatusOr<std::string> payload = SingleEnvelopePayload(request.body());
  BackendCall call{route.backend,        route.path, "",
                   caller.authorization, deadline,   Header(request, "X-Request-Id")};
  if (payload.ok() && json) payload = codec_->JsonToBinary(route.method->input_type(), *payload);
  HttpResponse head =
      Answer(request, json ? "application/connect+json" : "application/connect+proto", "");
  exchange->StartStream(std::move(head));
  if (!payload.ok()) return exchange->EndStream(EndStreamEnvelope(payload.status()));
  call.request = std::move(*payload);
  auto* bridge = new StreamBridge(this, route, json, exchange);
  {
    absl::MutexLock lock(&mu_);
    bridge->id_ = ++next_stream_;
    streams_[bridge->id_] = LiveStream{caller.login, caller.session_hash, {}};
  }
  const uint64_t id = bridge->id_;
  std::shared_ptr<StreamHandle> handle = backends_->ServerStream(call, bridge);
  {
    absl::MutexLock lock(&mu_);
    if (auto it = streams_.find(id); it != streams_.end()) it->second.handle = handle;
  }
  exchange->OnClientGone([handle] { handle->Cancel(); });
}

void WebFront::ForgetStream(uint64_t id) {
  absl::MutexLock lock(&mu_);
  streams_.erase(id);
}

void WebFront::EndStreamsOf(const std::string& login, const std::string& session_hash) {
  std::vector<std::shared_ptr<StreamHandle>> ending;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, s] : streams_) {
      if (s.login != login || (!session_hash.empty() && s.session_hash != session_hash)) continue;
      if (std::shared_ptr<StreamHandle> h = s.handle.lock()) ending.push_back(h);
    }
  }
  for (const auto& h : ending) h->Cancel();
}

void WebFront::SignIn(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange) {
  absl::StatusOr<std::string> binary =
      codec_->JsonToBinary(acv1::SignInRequest::descriptor(), request.body());
  acv1::SignInRequest sign_in;
  if (binary.ok() && !sign_in.ParseFromString(*binary)) {
    binary = absl::InvalidArgumentError("request body: not a SignInRequest");
  }
  if (MediaType(request) != "application/json") {
    binary = absl::InvalidArgumentError("Content-Type: SignIn takes application/json");
  }
  if (!binary.ok()) return exchange->Reply(Error(request, binary.status()));
  boost::asio::post(blocking_, [this, request, exchange, sign_in = std::move(sign_in)] {
    absl::StatusOr<SignedIn> in = sessions_->SignIn(sign_in, exchange->client_address());
    if (!in.ok()) return exchange->Reply(Error(request, in.status()));
    acv1::SignInResponse response;
    *response.mutable_account() = in->account;
    *response.mutable_session_expire_time() = ToProtoTimestamp(in->expires);
    absl::StatusOr<std::string> text =
        codec_->BinaryToJson(acv1::SignInResponse::descriptor(), response.SerializeAsString());
    if (!text.ok()) return exchange->Reply(Error(request, text.status()));
    HttpResponse res = Answer(request, "application/json", std::move(*text));
    res.set(http::field::set_cookie,
            SessionCookie(exchange->secure(), in->session_id, sessions_->options().max_age));
    exchange->Reply(std::move(res));
  });
}

void WebFront::SignOut(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange,
                       const std::string& session_id) {
  if (session_id.empty()) {
    return exchange->Reply(Error(
        request, absl::UnauthenticatedError("no session to sign out of (no session cookie)")));
  }
  boost::asio::post(blocking_, [this, request, exchange, session_id] {
    const absl::Status status = sessions_->SignOut(session_id, exchange->client_address());
    HttpResponse res =
        status.ok() ? Answer(request, "application/json", "{}") : Error(request, status);
    // The cookie goes either way: it names no live session now.
    res.set(http::field::set_cookie, SessionCookie(exchange->secure(), "", absl::ZeroDuration()));
    exchange->Reply(std::move(res));
  });
}

}  // namespace uplift::web

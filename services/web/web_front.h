// What uplift-web answers to each HTTP request:
//   POST /<package>.<Service>/<Method>  the RPC, by the Connect protocol:
//       unary with application/json (or application/proto), server streams
//       with application/connect+json; forwarded to the owning service with
//       the caller's identity (the session's token, or the caller's own
//       Authorization header). SignIn and SignOut are answered here: they
//       make and end the session behind the cookie.
//   OPTIONS  CORS preflights, for the origins configured only.
//   GET /healthz, /readyz, and the console's files.
// Calls that ride on the session cookie must come from the console's own
// origin and carry Connect-Protocol-Version (a custom header, so a browser
// on another site cannot send it without a preflight we refuse). The
// services decide every access; this class adds no rule and bypasses none.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "services/web/backend_calls.h"
#include "services/web/http_server.h"
#include "services/web/rpc_catalog.h"
#include "services/web/session_manager.h"
#include "services/web/static_files.h"

namespace uplift::web {

struct WebFrontOptions {
  // The console's origin, e.g. "https://uplift.example.gov.cn"; empty: the
  // request's own (its scheme and Host header).
  std::string public_origin;
  // Other origins whose pages may call with a bearer token (never cookies).
  std::vector<std::string> cors_origins;
  absl::Duration default_timeout = absl::Seconds(30);  // unary calls without Connect-Timeout-Ms
  absl::Duration max_timeout = absl::Minutes(10);
  absl::Duration stream_timeout = absl::Hours(12);  // a live feed at most
};

class WebFront {
 public:
  // `ready` reports whether every backend serves (for /readyz).
  WebFront(WebFrontOptions options, const RpcCatalog* catalog, const MessageCodec* codec,
           Backends* backends, SessionManager* sessions, const StaticFiles* files,
           std::function<absl::Status()> ready);
  ~WebFront();

  void Handle(HttpRequest request, std::shared_ptr<HttpExchange> exchange);
  // Ends the live streams of the sessions of `login` (or of one session).
  void EndStreamsOf(const std::string& login, const std::string& session_hash);

  static constexpr const char* kCookie = "uplift_session";
  static constexpr const char* kSecureCookie = "__Host-uplift_session";

 private:
  class StreamBridge;
  struct Caller {
    std::string authorization;  // forwarded as is
    std::string session_id;     // when the call rides on the cookie
    std::string session_hash;
    std::string login;
  };

  void HandleRpc(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange);
  void SignIn(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange);
  void SignOut(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange,
               const std::string& session_id);
  void Unary(const RpcRoute& route, const HttpRequest& request, const Caller& caller,
             absl::Time deadline, bool json, const std::shared_ptr<HttpExchange>& exchange);
  void Stream(const RpcRoute& route, const HttpRequest& request, const Caller& caller,
              absl::Time deadline, bool json, const std::shared_ptr<HttpExchange>& exchange);
  // The caller, or the error that refuses the request.
  absl::StatusOr<Caller> Identify(const HttpRequest& request, bool secure);
  std::string ConsoleOrigin(const HttpRequest& request, bool secure) const;
  bool IsCorsOrigin(absl::string_view origin) const;
  void Preflight(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange);
  void Ready(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange);
  void ForgetStream(uint64_t id);
  HttpResponse Error(const HttpRequest& request, const absl::Status& status) const;
  HttpResponse Answer(const HttpRequest& request, const std::string& content_type,
                      std::string body) const;

  const WebFrontOptions options_;
  const RpcCatalog* const catalog_;
  const MessageCodec* const codec_;
  Backends* const backends_;
  SessionManager* const sessions_;
  const StaticFiles* const files_;
  const std::function<absl::Status()> ready_;
  // Password hashing and readiness probes block: they run here, not on the
  // connections' threads.
  boost::asio::thread_pool blocking_{2};

  struct LiveStream {
    std::string login, session_hash;
    std::weak_ptr<StreamHandle> handle;
  };
  absl::Mutex mu_;
  uint64_t next_stream_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<uint64_t, LiveStream> streams_ ABSL_GUARDED_BY(mu_);
  absl::Time ready_checked_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Status ready_status_ ABSL_GUARDED_BY(mu_);
};

// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(absl::string_view header, absl::string_view name);

}  // namespace uplift::web

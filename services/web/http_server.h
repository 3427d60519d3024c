// An asynchronous HTTP/1.1 server on Boost.Beast: keep-alive, a limit on
// request bodies, timeouts for slow clients (reading a request, writing an
// answer), TLS when given a certificate, and chunked streaming answers with
// back-pressure. What to answer is the handler's business (WebFront); this
// file knows no route.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/beast/http.hpp>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/web/event_loops.h"

namespace uplift::web {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// The answer to one request. Exactly one of Reply, or StartStream then
// any WriteChunk then EndStream. Thread-safe: may be called from any thread.
class HttpExchange {
 public:
  virtual ~HttpExchange() = default;
  virtual void Reply(HttpResponse response) = 0;
  // Sends the head (chunked; its body is ignored). The connection closes
  // after the stream.
  virtual void StartStream(HttpResponse head) = 0;
  // `done(false)` if the client is gone or too slow to take it.
  virtual void WriteChunk(std::string data, std::function<void(bool ok)> done) = 0;
  virtual void EndStream(std::string last) = 0;
  // `fn` runs once if the client goes away while a stream is open.
  virtual void OnClientGone(std::function<void()> fn) = 0;
  virtual const std::string& client_address() const = 0;
  virtual bool secure() const = 0;
};

using HttpHandler = std::function<void(HttpRequest, std::shared_ptr<HttpExchange>)>;

struct HttpServerOptions {
  std::string listen = "127.0.0.1:8080";
  uint64_t body_limit = 4 << 20;
  // A request must arrive whole within this; an idle keep-alive connection
  // is closed after it.
  absl::Duration read_timeout = absl::Seconds(30);
  // Each answer (each chunk of a stream) must be taken within this.
  absl::Duration write_timeout = absl::Seconds(30);
  std::string tls_cert;  // PEM; TLS when set
  std::string tls_key;
};

// Serves on `loops`, which must be stopped before the server is destroyed.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, EventLoops* loops, HttpHandler handler);
  ~HttpServer();
  // Listens and accepts on the loops (which may run already or later).
  absl::Status Start();
  int port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// The body-limit answer as the Connect protocol words it.
HttpResponse TooLargeResponse(uint64_t limit, unsigned version);

}  // namespace uplift::web

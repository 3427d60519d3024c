// A small blocking HTTP/1.1 client for the front door's tests, on
// Boost.Beast: one keep-alive connection (reopened when the server closes
// it), an optional browser mode that keeps the session cookie and sends
// Origin and Connect-Protocol-Version as the console does, and Connect
// server streams read message by message.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"

namespace uplift::testing {

struct HttpResult {
  int status = 0;                              // 0: no answer (connection failed)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct HttpConnection;

class HttpClient {
 public:
  explicit HttpClient(int port);
  ~HttpClient();

  // Browser mode: remembers the session cookie from Set-Cookie and sends it
  // with Origin (this server's) and Connect-Protocol-Version: 1.
  void set_browser(bool on) { browser_ = on; }
  const std::string& session() const { return session_; }
  void set_session(std::string s) { session_ = std::move(s); }
  std::string origin() const;

  // POST `body` to `path`; `headers` are added (and override the browser's).
  HttpResult Post(const std::string& path, const std::string& body,
                  const std::map<std::string, std::string>& headers = {},
                  const std::string& content_type = "application/json");
  HttpResult Get(const std::string& path);
  HttpResult Send(const std::string& method, const std::string& path, const std::string& body,
                  const std::map<std::string, std::string>& headers,
                  const std::string& content_type);

  // A Connect server stream: POSTs one enveloped JSON message and reads
  // the answer's messages as they come.
  class Stream {
   public:
    virtual ~Stream() = default;
    virtual int status() const = 0;
    // The next message's JSON; false at the end of the stream (then
    // end_json() holds the end message) or when `timeout` passes.
    virtual bool Next(std::string* json, absl::Duration timeout) = 0;
    virtual const std::string& end_json() const = 0;
  };
  std::unique_ptr<Stream> OpenStream(const std::string& path, const std::string& json,
                                     const std::map<std::string, std::string>& headers = {});

 private:
  std::map<std::string, std::string> BrowserHeaders() const;
  void Remember(const HttpResult& result);
  const int port_;
  bool browser_ = false;
  std::string session_;
  std::unique_ptr<HttpConnection> conn_;
};

}  // namespace uplift::testing

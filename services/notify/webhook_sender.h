// Sends one webhook request. An interface so the delivery logic can be
// tested with a fake; CurlWebhookSender is the real one (HTTP and HTTPS
// with certificate verification, a timeout, no redirects followed, and the
// connection pinned to the address WebhookAddressPolicy checked).
#pragma once

#include <map>
#include <string>

#include "absl/time/time.h"

namespace uplift::notify {

struct WebhookRequest {
  std::string method = "POST";  // or GET (an SMS gateway's template may say so)
  std::string url;
  std::string host;     // the URL's host
  int port = 0;         // the URL's port
  std::string address;  // connect here and nowhere else (empty: resolve as usual)
  std::map<std::string, std::string> headers;
  std::string body;
  absl::Duration timeout = absl::Seconds(10);
};

struct WebhookResult {
  int http_status = 0;  // 0 when no answer came (network error, timeout)
  // Why no answer came, as a class the unit may see: it never tells a
  // refused connection from a silent one, so webhooks cannot probe ports.
  std::string error;
  std::string detail = "";  // what the network library said, for the server log only
  std::string answer = "";  // the first 4 KB of the response body (robots answer JSON)
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual WebhookResult Post(const WebhookRequest& request) = 0;
};

class CurlWebhookSender : public WebhookSender {
 public:
  CurlWebhookSender();
  ~CurlWebhookSender() override;
  WebhookResult Post(const WebhookRequest& request) override;
};

// The class of every network failure, as WebhookResult::error says it.
inline constexpr char kUnreachable[] = "接收方无法连接或未及时应答";

}  // namespace uplift::notify

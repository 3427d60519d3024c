// Sends one webhook request. An interface so the delivery logic can be
// tested with a fake; CurlWebhookSender is the real one (HTTP and HTTPS
// with certificate verification, a timeout, no redirects followed).
#pragma once

#include <map>
#include <string>

#include "absl/time/time.h"

namespace uplift::notify {

struct WebhookResult {
  int http_status = 0;   // 0 when no answer came (network error, timeout)
  std::string error;     // why, when http_status is 0
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual WebhookResult Post(const std::string& url, const std::map<std::string, std::string>& headers,
                             const std::string& body, absl::Duration timeout) = 0;
};

class CurlWebhookSender : public WebhookSender {
 public:
  CurlWebhookSender();
  ~CurlWebhookSender() override;
  WebhookResult Post(const std::string& url, const std::map<std::string, std::string>& headers,
                     const std::string& body, absl::Duration timeout) override;
};

}  // namespace uplift::notify

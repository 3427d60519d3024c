// Sends one e-mail through an SMTP server with libcurl: smtps:// (TLS from
// the start, port 465) or smtp:// with STARTTLS required (never in clear
// text), authenticated, the certificate verified (against --mail-ca-file
// where set), connected to the address WebhookAddressPolicy checked. An
// interface so the delivery logic is tested with a fake.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "services/notify/webhook_sender.h"

namespace uplift::notify {

struct MailRequest {
  std::string scheme;  // smtp or smtps
  std::string host;
  int port = 0;
  std::string address;  // connect here and nowhere else (empty: resolve as usual)
  std::string username, password;
  std::string from, to;  // envelope addresses
  std::string message;   // RFC 5322, CRLF line ends
  absl::Duration timeout = absl::Seconds(30);
};

// The result as the retry policy reads it: the server's 2yz reply as 250
// (delivered); its 4yz (try later) as 503; its 5yz, a refused login, a
// server without STARTTLS or a certificate that does not verify as 400 (a
// person must fix the channel: given up); no answer as 0.
class MailSender {
 public:
  virtual ~MailSender() = default;
  virtual WebhookResult Send(const MailRequest& request) = 0;
};

class CurlMailSender : public MailSender {
 public:
  explicit CurlMailSender(std::string ca_file = "") : ca_file_(std::move(ca_file)) {}
  WebhookResult Send(const MailRequest& request) override;

 private:
  const std::string ca_file_;
};

}  // namespace uplift::notify

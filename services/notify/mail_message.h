// A notification as an e-mail (RFC 5322 with MIME): the title as the
// subject (UTF-8, RFC 2047 encoded words), a plain-text and an HTML body
// (multipart/alternative, base64), and a Message-ID derived from the
// notification id and its resend number, so a receiver that deduplicates by
// Message-ID keeps one copy of a retried delivery. Pure functions.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {

struct MailEnvelope {
  std::string from_name;     // e.g. 产业集群提质跃升
  std::string from_address;  // the SMTP account, e.g. uplift@xinle.gov.cn
  std::string to_address;
  absl::Time date;
  int resend = 0;  // 0 the first time
};

std::string MailMessage(const v1::Notice& n, const MailEnvelope& envelope);

// "=?UTF-8?B?…?=" words of at most 75 characters, folded onto lines of
// their own; ASCII text without specials is returned as it is.
std::string EncodeHeaderWords(const std::string& text);

// <notification id>.<resend>@<the sender's domain>
std::string MailMessageId(const std::string& notification_id, int resend,
                          const std::string& from_address);

// A plausible mailbox: one @, no spaces, quotes, angle brackets or control
// characters, at most 254 bytes.
bool IsMailAddress(const std::string& address);

}  // namespace uplift::notify

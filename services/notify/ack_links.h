// Acknowledgement links: each SMS, e-mail and robot message of a
// notification that requires acknowledgement carries
// "<--ack-link-base>/a/<token>". The token is random (64 bits), bound to
// that delivery's notification and recipient unit (and person, for a
// person's channel), single-use and valid 72 hours; opened by a signed-in
// person of that unit (that person) it acknowledges the notification
// (NotifyService::AcknowledgeByLink). Kept in the ack_links table; these functions run inside the
// caller's transaction.
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/sql/connection.h"

namespace uplift::notify {

inline constexpr absl::Duration kAckLinkLifetime = absl::Hours(72);

struct AckLink {
  std::string token;
  std::string notification_id;
  std::string unit_id;
  std::string delivery_id;
  absl::Time expires;
  bool used = false;
  std::string login;  // a person's channel: only they may use it
};

// A new link for a delivery.
AckLink NewAckLink(const std::string& notification_id, const std::string& unit_id,
                   const std::string& delivery_id, absl::Time now, const std::string& login = "");
void InsertAckLink(sql::Connection& db, const AckLink& link);
std::optional<AckLink> FindAckLink(sql::Connection& db, const std::string& token);
std::optional<AckLink> AckLinkOfDelivery(sql::Connection& db, const std::string& delivery_id);
void MarkAckLinkUsed(sql::Connection& db, const std::string& token, absl::Time at);

// The attribute of a notice, as one delivery sends it, that holds its link.
inline constexpr char kAckLinkAttribute[] = "ack_link";

// "https://uplift.xinle.gov.cn/a/<token>" ("" without a base).
std::string AckLinkUrl(const std::string& base, const std::string& token);
// A token as it may appear in a link: 16 lower-case hex characters.
bool IsAckLinkToken(const std::string& token);

}  // namespace uplift::notify

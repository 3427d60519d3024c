// Acknowledgement links.
#include "services/notify/ack_links.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/sql/query.h"
#include "common/time_util.h"

namespace uplift::notify {
namespace {

AckLink Read(sql::Query& q) {
  AckLink l;
  l.token = q.Text(0);
  l.notification_id = q.Text(1);
  l.unit_id = q.Text(2);
  l.delivery_id = q.Text(3);
  absl::StatusOr<absl::Time> expires = ParseRfc3339(q.Text(4));
  l.expires = expires.ok() ? *expires : absl::InfinitePast();
  l.used = !q.Text(5).empty();
  l.login = q.Text(6);
  return l;
}

constexpr char kColumns[] =
    "token, notification_id, unit_id, delivery_id, expires_at, used_at, login";

}  // namespace

AckLink NewAckLink(const std::string& notification_id, const std::string& unit_id,
                   const std::string& delivery_id, absl::Time now, const std::string& login) {
  return AckLink{RandomHex(8),           notification_id, unit_id, delivery_id,
                 now + kAckLinkLifetime, false,           login};
}

void InsertAckLink(sql::Connection& db, const AckLink& l) {
  sql::Query s(db, absl::StrCat("INSERT INTO ack_links(", kColumns, ") VALUES(?,?,?,?,?,'',?)"));
  s.Bind(1, l.token);
  s.Bind(2, l.notification_id);
  s.Bind(3, l.unit_id);
  s.Bind(4, l.delivery_id);
  s.Bind(5, FormatRfc3339(l.expires));
  s.Bind(6, l.login);
  s.Exec();
}

std::optional<AckLink> FindAckLink(sql::Connection& db, const std::string& token) {
  sql::Query q(db, absl::StrCat("SELECT ", kColumns, " FROM ack_links WHERE token=?"));
  q.Bind(1, token);
  if (!q.Step()) return std::nullopt;
  return Read(q);
}

std::optional<AckLink> AckLinkOfDelivery(sql::Connection& db, const std::string& delivery_id) {
  sql::Query q(db, absl::StrCat("SELECT ", kColumns, " FROM ack_links WHERE delivery_id=?"));
  q.Bind(1, delivery_id);
  if (!q.Step()) return std::nullopt;
  return Read(q);
}

void MarkAckLinkUsed(sql::Connection& db, const std::string& token, absl::Time at) {
  sql::Query s(db, "UPDATE ack_links SET used_at=? WHERE token=?");
  s.Bind(1, FormatRfc3339(at));
  s.Bind(2, token);
  s.Exec();
}

std::string AckLinkUrl(const std::string& base, const std::string& token) {
  if (base.empty() || token.empty()) return "";
  return absl::StrCat(absl::EndsWith(base, "/") ? base.substr(0, base.size() - 1) : base, "/a/",
                      token);
}

bool IsAckLinkToken(const std::string& token) {
  if (token.size() != 16) return false;
  for (char c : token) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

}  // namespace uplift::notify

// Acknowledgement links.
#include "services/notify/ack_links.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/statement_cache.h"
#include "common/time_util.h"

namespace uplift::notify {
namespace {

AckLink Read(SQLite::Statement& q) {
  AckLink l;
  l.token = q.getColumn(0).getString();
  l.notification_id = q.getColumn(1).getString();
  l.unit_id = q.getColumn(2).getString();
  l.delivery_id = q.getColumn(3).getString();
  absl::StatusOr<absl::Time> expires = ParseRfc3339(q.getColumn(4).getString());
  l.expires = expires.ok() ? *expires : absl::InfinitePast();
  l.used = !q.getColumn(5).getString().empty();
  l.login = q.getColumn(6).getString();
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

void InsertAckLink(SQLite::Database& db, const AckLink& l) {
  CachedStatement s(db,
                    absl::StrCat("INSERT INTO ack_links(", kColumns, ") VALUES(?,?,?,?,?,'',?)"));
  s.bind(1, l.token);
  s.bind(2, l.notification_id);
  s.bind(3, l.unit_id);
  s.bind(4, l.delivery_id);
  s.bind(5, FormatRfc3339(l.expires));
  s.bind(6, l.login);
  s.exec();
}

std::optional<AckLink> FindAckLink(SQLite::Database& db, const std::string& token) {
  CachedStatement q(db, absl::StrCat("SELECT ", kColumns, " FROM ack_links WHERE token=?"));
  q.bind(1, token);
  if (!q.executeStep()) return std::nullopt;
  return Read(q);
}

std::optional<AckLink> AckLinkOfDelivery(SQLite::Database& db, const std::string& delivery_id) {
  CachedStatement q(db, absl::StrCat("SELECT ", kColumns, " FROM ack_links WHERE delivery_id=?"));
  q.bind(1, delivery_id);
  if (!q.executeStep()) return std::nullopt;
  return Read(q);
}

void MarkAckLinkUsed(SQLite::Database& db, const std::string& token, absl::Time at) {
  CachedStatement s(db, "UPDATE ack_links SET used_at=? WHERE token=?");
  s.bind(1, FormatRfc3339(at));
  s.bind(2, token);
  s.exec();
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

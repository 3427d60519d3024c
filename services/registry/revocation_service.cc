// RevocationService.
#include "services/registry/revocation_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/token.h"
#include "common/page.h"
#include "common/sql/query.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"

namespace uplift::registry {
namespace {

av1::RevokedToken RowOf(sql::Query& q) {
  av1::RevokedToken t;
  t.set_token_id(q.Text(0));
  if (auto at = ParseRfc3339(q.Text(1)); at.ok()) {
    *t.mutable_expire_time() = ToProtoTimestamp(*at);
  }
  t.set_reason(q.Text(2));
  if (auto at = ParseRfc3339(q.Text(3)); at.ok()) {
    *t.mutable_revoke_time() = ToProtoTimestamp(*at);
  }
  t.set_revoked_by(q.Text(4));
  return t;
}

absl::Status CheckTokenId(const std::string& id) {
  if (id.empty() || id.size() > 64) {
    return FieldError("token_id", "must be 1 to 64 hexadecimal characters (upliftctl auth show)");
  }
  for (char c : id) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return FieldError("token_id", absl::StrCat(QuoteInput(id), " is not hexadecimal"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

RevocationService::RevocationService(sql::Store* db, const Clock* clock)
    : db_(db), clock_(clock), outbox_("uplift-registry", clock), audit_(clock) {}

absl::StatusOr<av1::RevokeTokenResponse> RevocationService::RevokeToken(
    const Principal& who, const av1::RevokeTokenRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "RevokeToken"));
  RETURN_IF_ERROR(CheckTokenId(req.token_id()));
  const absl::Time now = clock_->Now();
  if (!req.has_expire_time()) {
    return FieldError("expire_time", "is required: the token's own expiry (upliftctl auth show)");
  }
  const absl::Time expires = FromProtoTimestamp(req.expire_time());
  if (expires <= now) {
    return FieldError("expire_time", "has passed: the token is expired and refused anyway");
  }
  if (expires > now + kMaxTokenLifetime) {
    return FieldError("expire_time", "is further off than any token may live (400 days)");
  }
  const std::string reason = TrimText(req.reason());
  RETURN_IF_ERROR(CheckText("reason", reason, 200, true));
  av1::RevokeTokenResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    sql::Query found(tx,
                     "SELECT token_id, expire_time, reason, revoke_time, revoked_by"
                     " FROM revoked_tokens WHERE token_id=?");
    found.Bind(1, req.token_id());
    if (found.Step()) {
      *response.mutable_revoked() = RowOf(found);
      response.set_existing(true);
      return absl::OkStatus();
    }
    av1::RevokedToken t;
    t.set_token_id(req.token_id());
    *t.mutable_expire_time() = ToProtoTimestamp(expires);
    t.set_reason(reason);
    *t.mutable_revoke_time() = ToProtoTimestamp(now);
    t.set_revoked_by(who.subject);
    sql::Query insert(tx,
                      "INSERT INTO revoked_tokens(token_id, expire_time, reason,"
                      " revoke_time, revoked_by) VALUES(?,?,?,?,?)");
    insert.Bind(1, t.token_id());
    insert.Bind(2, FormatRfc3339(expires));
    insert.Bind(3, reason);
    insert.Bind(4, FormatRfc3339(now));
    insert.Bind(5, who.subject);
    insert.Exec();
    audit_.Record(tx, who, "RevokeToken", "token/" + t.token_id(), nullptr, &t, "");
    av1::TokenRevoked event;
    *event.mutable_token() = t;
    RETURN_IF_ERROR(outbox_.Append(tx, "token/" + t.token_id(), event).status());
    *response.mutable_revoked() = t;
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<av1::ListRevokedTokensResponse> RevocationService::ListRevokedTokens(
    const Principal& who, const av1::ListRevokedTokensRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListRevokedTokens"));
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  ASSIGN_OR_RETURN(const std::string after, DecodePageToken(req.page_token(), "revoked"));
  av1::ListRevokedTokensResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    sql::Query q(db,
                 "SELECT token_id, expire_time, reason, revoke_time, revoked_by"
                 " FROM revoked_tokens WHERE (revoke_time || '|' || token_id) > ?"
                 " ORDER BY revoke_time, token_id LIMIT ?");
    q.Bind(1, after);
    q.Bind(2, page_size + 1);
    while (q.Step()) *response.add_revoked() = RowOf(q);
    return absl::OkStatus();
  }));
  if (response.revoked_size() > page_size) {
    response.mutable_revoked()->RemoveLast();
    const av1::RevokedToken& last = response.revoked(page_size - 1);
    response.set_next_page_token(EncodePageToken(
        absl::StrCat(FormatRfc3339(FromProtoTimestamp(last.revoke_time())), "|", last.token_id()),
        "revoked"));
  }
  return response;
}

}  // namespace uplift::registry

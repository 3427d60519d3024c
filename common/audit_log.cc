// Audit rows: writing in a transaction, listing newest first.
#include "common/audit_log.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/page.h"
#include "common/statement_cache.h"
#include "common/status_macros.h"
#include "common/time_util.h"

namespace uplift {

std::string ToAuditJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

void AuditLog::Record(SQLite::Database& tx, const Principal& who, absl::string_view action,
                      absl::string_view target, const google::protobuf::Message* before,
                      const google::protobuf::Message* after,
                      absl::string_view request_id) const {
  CachedStatement insert(
      tx,
      "INSERT INTO audit_log(at, subject, role, unit_id, action, target, before_json,"
      " after_json, request_id, token_id) VALUES(?,?,?,?,?,?,?,?,?,?)");
  insert.bind(1, FormatRfc3339(clock_->Now()));
  insert.bind(2, who.subject);
  insert.bind(3, static_cast<int>(who.role));
  insert.bind(4, who.unit_id);
  insert.bind(5, std::string(action));
  insert.bind(6, std::string(target));
  insert.bind(7, before != nullptr ? ToAuditJson(*before) : std::string());
  insert.bind(8, after != nullptr ? ToAuditJson(*after) : std::string());
  insert.bind(9, std::string(request_id));
  insert.bind(10, who.token_id);
  insert.exec();
}

absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> AuditLog::List(
    Database& db, const uplift::audit::v1::ListAuditRecordsRequest& request) const {
  ASSIGN_OR_RETURN(const int page_size, PageSize(request.page_size()));
  const std::string filter = absl::StrCat(request.target(), "|", request.subject());
  ASSIGN_OR_RETURN(std::string after, DecodePageToken(request.page_token(), filter));
  int64_t before_seq = INT64_MAX;
  if (!after.empty() && !absl::SimpleAtoi(after, &before_seq)) {
    return absl::InvalidArgumentError("page_token: is not valid");
  }
  uplift::audit::v1::ListAuditRecordsResponse response;
  RETURN_IF_ERROR(db.Read([&](SQLite::Database& conn) {
    CachedStatement q(
        conn,
        "SELECT seq, at, subject, role, unit_id, action, target, before_json, after_json,"
        " request_id, token_id FROM audit_log WHERE seq < ?"
        " AND (?='' OR target=?) AND (?='' OR subject=?) ORDER BY seq DESC LIMIT ?");
    q.bind(1, static_cast<int64_t>(before_seq));
    q.bind(2, request.target());
    q.bind(3, request.target());
    q.bind(4, request.subject());
    q.bind(5, request.subject());
    q.bind(6, page_size + 1);
    while (q.executeStep()) {
      auto* r = response.add_records();
      r->set_sequence(q.getColumn(0).getInt64());
      absl::StatusOr<absl::Time> at = ParseRfc3339(q.getColumn(1).getString());
      if (at.ok()) *r->mutable_time() = ToProtoTimestamp(*at);
      r->set_subject(q.getColumn(2).getString());
      r->set_role(static_cast<Role>(q.getColumn(3).getInt()));
      r->set_unit_id(q.getColumn(4).getString());
      r->set_action(q.getColumn(5).getString());
      r->set_target(q.getColumn(6).getString());
      r->set_before_json(q.getColumn(7).getString());
      r->set_after_json(q.getColumn(8).getString());
      r->set_request_id(q.getColumn(9).getString());
      r->set_token_id(q.getColumn(10).getString());
    }
    return absl::OkStatus();
  }));
  if (response.records_size() > page_size) {
    response.mutable_records()->RemoveLast();
    response.set_next_page_token(EncodePageToken(
        absl::StrCat(response.records(page_size - 1).sequence()), filter));
  }
  return response;
}

}  // namespace uplift

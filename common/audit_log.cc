// Audit rows: writing in a transaction, listing newest first.
#include "common/audit_log.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/page.h"
#include "common/sql/query.h"
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

void AuditLog::Record(sql::Connection& tx, const Principal& who, absl::string_view action,
                      absl::string_view target, const google::protobuf::Message* before,
                      const google::protobuf::Message* after, absl::string_view request_id) const {
  sql::Query insert(tx,
                    "INSERT INTO audit_log(at, subject, role, unit_id, action, target, before_json,"
                    " after_json, request_id, token_id) VALUES(?,?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, FormatRfc3339(clock_->Now()));
  insert.Bind(2, who.subject);
  insert.Bind(3, static_cast<int>(who.role));
  insert.Bind(4, who.unit_id);
  insert.Bind(5, std::string(action));
  insert.Bind(6, std::string(target));
  insert.Bind(7, before != nullptr ? ToAuditJson(*before) : std::string());
  insert.Bind(8, after != nullptr ? ToAuditJson(*after) : std::string());
  insert.Bind(9, std::string(request_id));
  insert.Bind(10, who.token_id);
  insert.Exec();
}

absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> AuditLog::List(
    sql::Store& db, const uplift::audit::v1::ListAuditRecordsRequest& request) const {
  ASSIGN_OR_RETURN(const int page_size, PageSize(request.page_size()));
  const std::string filter = absl::StrCat(request.target(), "|", request.subject());
  ASSIGN_OR_RETURN(std::string after, DecodePageToken(request.page_token(), filter));
  int64_t before_seq = INT64_MAX;
  if (!after.empty() && !absl::SimpleAtoi(after, &before_seq)) {
    return absl::InvalidArgumentError("page_token: is not valid");
  }
  uplift::audit::v1::ListAuditRecordsResponse response;
  RETURN_IF_ERROR(db.Read([&](sql::Connection& conn) {
    sql::Query q(conn,
                 "SELECT seq, at, subject, role, unit_id, action, target, before_json, after_json,"
                 " request_id, token_id FROM audit_log WHERE seq < ?"
                 " AND (?='' OR target=?) AND (?='' OR subject=?) ORDER BY seq DESC LIMIT ?");
    q.Bind(1, static_cast<int64_t>(before_seq));
    q.Bind(2, request.target());
    q.Bind(3, request.target());
    q.Bind(4, request.subject());
    q.Bind(5, request.subject());
    q.Bind(6, page_size + 1);
    while (q.Step()) {
      auto* r = response.add_records();
      r->set_sequence(q.Int64(0));
      absl::StatusOr<absl::Time> at = ParseRfc3339(q.Text(1));
      if (at.ok()) *r->mutable_time() = ToProtoTimestamp(*at);
      r->set_subject(q.Text(2));
      r->set_role(static_cast<Role>(q.Int(3)));
      r->set_unit_id(q.Text(4));
      r->set_action(q.Text(5));
      r->set_target(q.Text(6));
      r->set_before_json(q.Text(7));
      r->set_after_json(q.Text(8));
      r->set_request_id(q.Text(9));
      r->set_token_id(q.Text(10));
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

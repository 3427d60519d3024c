// request_id storage keyed by (method, caller, request_id).
#include "common/idempotency.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/sql/query.h"
#include "common/time_util.h"
#include "common/validation.h"

namespace uplift {
namespace {

std::string RequestHash(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

// Who the key belongs to: the same person acting for another unit or in
// another role is another caller.
std::string CallerOf(const Principal& who) {
  return absl::StrCat(who.subject, "\x1f", static_cast<int>(who.role), "\x1f", who.unit_id);
}

}  // namespace

absl::StatusOr<bool> IdempotencyKeys::Lookup(sql::Connection& tx, const Principal& who,
                                             absl::string_view method, absl::string_view request_id,
                                             const google::protobuf::Message& request,
                                             google::protobuf::Message* response) const {
  if (request_id.empty()) return false;
  sql::Query q(tx,
               "SELECT request_hash, response FROM idempotency"
               " WHERE method=? AND caller=? AND request_id=?");
  q.Bind(1, std::string(method));
  q.Bind(2, CallerOf(who));
  q.Bind(3, std::string(request_id));
  if (!q.Step()) return false;
  if (q.Text(0) != RequestHash(request)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "request_id: ", QuoteInput(request_id), " was already used for a different ", method,
        " request; use a new request_id"));
  }
  const std::string blob = q.Blob(1);
  if (!response->ParseFromString(blob)) {
    return absl::InternalError("stored response does not parse");
  }
  return true;
}

void IdempotencyKeys::Remember(sql::Connection& tx, const Principal& who, absl::string_view method,
                               absl::string_view request_id,
                               const google::protobuf::Message& request,
                               const google::protobuf::Message& response) const {
  if (request_id.empty()) return;
  std::string bytes;
  response.SerializeToString(&bytes);
  sql::Query insert(tx,
                    "INSERT INTO idempotency(method, caller, request_id, request_hash,"
                    " response, created_at) VALUES(?,?,?,?,?,?)");
  insert.Bind(1, std::string(method));
  insert.Bind(2, CallerOf(who));
  insert.Bind(3, std::string(request_id));
  insert.Bind(4, RequestHash(request));
  insert.BindBlob(5, bytes);
  insert.Bind(6, FormatRfc3339(clock_->Now()));
  insert.Exec();
}

int64_t PurgeIdempotencyKeys(sql::Connection& tx, absl::Time now, absl::Duration retention) {
  sql::Query del(tx, "DELETE FROM idempotency WHERE created_at < ?");
  del.Bind(1, FormatRfc3339(now - retention));
  return del.Exec();
}

}  // namespace uplift

// request_id storage keyed by (method, caller, request_id).
#include "common/idempotency.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/statement_cache.h"
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

absl::StatusOr<bool> IdempotencyKeys::Lookup(SQLite::Database& tx, const Principal& who,
                                             absl::string_view method,
                                             absl::string_view request_id,
                                             const google::protobuf::Message& request,
                                             google::protobuf::Message* response) const {
  if (request_id.empty()) return false;
  CachedStatement q(tx,
                    "SELECT request_hash, response FROM idempotency"
                    " WHERE method=? AND caller=? AND request_id=?");
  q.bind(1, std::string(method));
  q.bind(2, CallerOf(who));
  q.bind(3, std::string(request_id));
  if (!q.executeStep()) return false;
  if (q.getColumn(0).getString() != RequestHash(request)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "request_id: ", QuoteInput(request_id), " was already used for a different ", method,
        " request; use a new request_id"));
  }
  const SQLite::Column blob = q.getColumn(1);
  if (!response->ParseFromArray(blob.getBlob(), blob.getBytes())) {
    return absl::InternalError("stored response does not parse");
  }
  return true;
}

void IdempotencyKeys::Remember(SQLite::Database& tx, const Principal& who,
                               absl::string_view method, absl::string_view request_id,
                               const google::protobuf::Message& request,
                               const google::protobuf::Message& response) const {
  if (request_id.empty()) return;
  std::string bytes;
  response.SerializeToString(&bytes);
  CachedStatement insert(tx,
                         "INSERT INTO idempotency(method, caller, request_id, request_hash,"
                         " response, created_at) VALUES(?,?,?,?,?,?)");
  insert.bind(1, std::string(method));
  insert.bind(2, CallerOf(who));
  insert.bind(3, std::string(request_id));
  insert.bind(4, RequestHash(request));
  insert.bind(5, bytes.data(), static_cast<int>(bytes.size()));
  insert.bind(6, FormatRfc3339(clock_->Now()));
  insert.exec();
}

int64_t PurgeIdempotencyKeys(SQLite::Database& tx, absl::Time now, absl::Duration retention) {
  CachedStatement del(tx, "DELETE FROM idempotency WHERE created_at < ?");
  del.bind(1, FormatRfc3339(now - retention));
  return del.exec();
}

}  // namespace uplift

// request_id storage keyed by (method, request_id).
#include "common/idempotency.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/time_util.h"

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

}  // namespace

absl::StatusOr<bool> IdempotencyKeys::Lookup(SQLite::Database& tx, absl::string_view method,
                                             absl::string_view request_id,
                                             const google::protobuf::Message& request,
                                             google::protobuf::Message* response) const {
  if (request_id.empty()) return false;
  SQLite::Statement q(
      tx, "SELECT request_hash, response FROM idempotency WHERE method=? AND request_id=?");
  q.bind(1, std::string(method));
  q.bind(2, std::string(request_id));
  if (!q.executeStep()) return false;
  if (q.getColumn(0).getString() != RequestHash(request)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "request_id: \"", request_id, "\" was already used for a different ", method,
        " request; use a new request_id"));
  }
  const SQLite::Column blob = q.getColumn(1);
  if (!response->ParseFromArray(blob.getBlob(), blob.getBytes())) {
    return absl::InternalError("stored response does not parse");
  }
  return true;
}

void IdempotencyKeys::Remember(SQLite::Database& tx, absl::string_view method,
                               absl::string_view request_id,
                               const google::protobuf::Message& request,
                               const google::protobuf::Message& response) const {
  if (request_id.empty()) return;
  std::string bytes;
  response.SerializeToString(&bytes);
  SQLite::Statement insert(tx,
                           "INSERT INTO idempotency(method, request_id, request_hash,"
                           " response, created_at) VALUES(?,?,?,?,?)");
  insert.bind(1, std::string(method));
  insert.bind(2, std::string(request_id));
  insert.bind(3, RequestHash(request));
  insert.bind(4, bytes.data(), static_cast<int>(bytes.size()));
  insert.bind(5, FormatRfc3339(clock_->Now()));
  insert.exec();
}

}  // namespace uplift

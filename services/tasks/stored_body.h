// Protobuf messages kept whole in a BLOB column (the `body` of plans,
// tasks, problems, projects), and wire timestamps as sortable text.
#pragma once

#include <optional>
#include <string>

#include <google/protobuf/timestamp.pb.h>

#include "common/sql/query.h"
#include "common/time_util.h"

namespace uplift::tasks::store {

// nullopt when the column does not parse as M.
template <typename M>
std::optional<M> ParseBody(sql::Query& q, int column) {
  M m;
  const std::string c = q.Blob(column);
  if (!m.ParseFromString(c)) return std::nullopt;
  return m;
}

// `storage` must outlive the statement's execution.
template <typename M>
void BindBody(sql::Query& s, int index, const M& m, std::string* storage) {
  m.SerializeToString(storage);
  s.BindBlob(index, *storage);
}

inline std::string TimeText(const google::protobuf::Timestamp& ts) {
  return FormatRfc3339(FromProtoTimestamp(ts));
}

}  // namespace uplift::tasks::store

// Protobuf messages stored whole in BLOB columns (the `body` of a row):
// reading, binding, and every row's message, for each service's SQL.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/sql/query.h"

namespace uplift::sql {

// The message in `column`; nullopt when it does not parse as M.
template <typename M>
std::optional<M> ParseMessage(Query& q, int column) {
  M m;
  const std::string c = q.Blob(column);
  if (!m.ParseFromString(c)) return std::nullopt;
  return m;
}

// `storage` must outlive the statement's execution.
template <typename M>
void BindMessage(Query& s, int index, const M& m, std::string* storage) {
  m.SerializeToString(storage);
  s.BindBlob(index, *storage);
}

// Every row's message in column 0 (rows that do not parse are skipped).
template <typename M>
std::vector<M> AllMessages(Query& q) {
  std::vector<M> out;
  while (q.Step()) {
    if (auto m = ParseMessage<M>(q, 0)) out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace uplift::sql

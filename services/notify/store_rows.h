// Protobuf messages stored as BLOB columns: reading and binding them, for
// the notification service's SQL files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/sql/query.h"

namespace uplift::notify::store {

template <typename M>
std::optional<M> Parse(sql::Query& q, int column) {
  M m;
  const std::string c = q.Blob(column);
  if (!m.ParseFromString(c)) return std::nullopt;
  return m;
}

template <typename M>
void Bind(sql::Query& s, int index, const M& m, std::string* storage) {
  m.SerializeToString(storage);
  s.BindBlob(index, *storage);
}

// Every row's message in column 0.
template <typename M>
std::vector<M> All(sql::Query& q) {
  std::vector<M> out;
  while (q.Step()) {
    if (auto m = Parse<M>(q, 0)) out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace uplift::notify::store

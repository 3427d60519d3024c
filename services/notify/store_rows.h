// Protobuf messages stored as BLOB columns: reading and binding them, for
// the notification service's SQL files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

namespace uplift::notify::store {

template <typename M>
std::optional<M> Parse(SQLite::Statement& q, int column) {
  M m;
  const SQLite::Column c = q.getColumn(column);
  if (!m.ParseFromArray(c.getBlob(), c.getBytes())) return std::nullopt;
  return m;
}

template <typename M>
void Bind(SQLite::Statement& s, int index, const M& m, std::string* storage) {
  m.SerializeToString(storage);
  s.bind(index, storage->data(), static_cast<int>(storage->size()));
}

// Every row's message in column 0.
template <typename M>
std::vector<M> All(SQLite::Statement& q) {
  std::vector<M> out;
  while (q.executeStep()) {
    if (auto m = Parse<M>(q, 0)) out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace uplift::notify::store

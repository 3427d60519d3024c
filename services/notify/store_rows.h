// Protobuf messages stored as BLOB columns, for the notification service's
// SQL files: the shared helpers (common/sql/message_columns.h) by the
// names notify's files use.
#pragma once

#include "common/sql/message_columns.h"

namespace uplift::notify::store {

template <typename M>
std::optional<M> Parse(sql::Query& q, int column) {
  return sql::ParseMessage<M>(q, column);
}

template <typename M>
void Bind(sql::Query& s, int index, const M& m, std::string* storage) {
  sql::BindMessage(s, index, m, storage);
}

template <typename M>
std::vector<M> All(sql::Query& q) {
  return sql::AllMessages<M>(q);
}

}  // namespace uplift::notify::store

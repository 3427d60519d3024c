// Wire timestamps as sortable text, for the tasks service's SQL files
// (messages in BLOB columns: common/sql/message_columns.h).
#pragma once

#include <string>

#include <google/protobuf/timestamp.pb.h>

#include "common/sql/message_columns.h"
#include "common/time_util.h"

namespace uplift::tasks::store {

inline std::string TimeText(const google::protobuf::Timestamp& ts) {
  return FormatRfc3339(FromProtoTimestamp(ts));
}

}  // namespace uplift::tasks::store

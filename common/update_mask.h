// AIP-134 updates: check an update_mask against the paths a resource allows
// and copy exactly those fields.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include "absl/status/status.h"

namespace uplift {

struct UpdatablePaths {
  std::vector<std::string> allowed;
  // Paths that exist but change through another RPC, with a hint saying
  // which, e.g. {"above_size", "use MarkAboveSize"}.
  std::map<std::string, std::string> elsewhere;
};

// INVALID_ARGUMENT naming update_mask if the mask is empty or holds a path
// that is unknown or not updatable; otherwise copies the masked fields of
// `source` into `target`.
absl::Status ApplyUpdateMask(const google::protobuf::FieldMask& mask,
                             const UpdatablePaths& paths,
                             const google::protobuf::Message& source,
                             google::protobuf::Message* target);

// The allowed paths whose values differ between `before` and `after`.
std::vector<std::string> ChangedPaths(const UpdatablePaths& paths,
                                      const google::protobuf::Message& before,
                                      const google::protobuf::Message& after);

}  // namespace uplift

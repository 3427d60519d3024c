// Update-mask checks and field copies through protobuf reflection.
#include "common/update_mask.h"

#include <algorithm>

#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/validation.h"

namespace uplift {

absl::Status ApplyUpdateMask(const google::protobuf::FieldMask& mask,
                             const UpdatablePaths& paths,
                             const google::protobuf::Message& source,
                             google::protobuf::Message* target) {
  if (mask.paths_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "update_mask: must list the fields to change; allowed: ",
        absl::StrJoin(paths.allowed, ", ")));
  }
  for (const std::string& path : mask.paths()) {
    if (std::find(paths.allowed.begin(), paths.allowed.end(), path) != paths.allowed.end()) {
      continue;
    }
    auto elsewhere = paths.elsewhere.find(path);
    if (elsewhere != paths.elsewhere.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: ", QuoteInput(path), " cannot be changed by an update; ", elsewhere->second));
    }
    return absl::InvalidArgumentError(absl::StrCat("update_mask: unknown path ", QuoteInput(path),
                                                   "; allowed: ",
                                                   absl::StrJoin(paths.allowed, ", ")));
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(source, mask, options, target);
  return absl::OkStatus();
}

std::vector<std::string> ChangedPaths(const UpdatablePaths& paths,
                                      const google::protobuf::Message& before,
                                      const google::protobuf::Message& after) {
  std::vector<std::string> changed;
  const auto* descriptor = before.GetDescriptor();
  for (const std::string& path : paths.allowed) {
    const auto* field = descriptor->FindFieldByName(path);
    if (field == nullptr) continue;
    google::protobuf::util::MessageDifferencer differ;
    std::vector<const google::protobuf::FieldDescriptor*> fields = {field};
    if (!differ.CompareWithFields(before, after, fields, fields)) changed.push_back(path);
  }
  return changed;
}

}  // namespace uplift

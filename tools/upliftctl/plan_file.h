// Reading a plan file (protobuf text format) so that every error points at
// a line: syntax errors from the parser, and the service's field errors
// ("plan.tasks[3].responsible_unit_ids[1]: ...") mapped back to the line
// where that field is written.
#pragma once

#include <memory>
#include <string>

#include <google/protobuf/text_format.h>

#include "absl/status/statusor.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::cli {

class PlanFile {
 public:
  // INVALID_ARGUMENT "FILE:LINE:COLUMN: reason" on a syntax error.
  static absl::StatusOr<std::unique_ptr<PlanFile>> Load(const std::string& path);
  // The same for text already read; `path` names it in errors.
  static absl::StatusOr<std::unique_ptr<PlanFile>> Parse(const std::string& text,
                                                         const std::string& path);
  const uplift::tasks::v1::Plan& plan() const { return plan_; }
  // The 1-based line where `field_path` ("plan.tasks[3].title") is written;
  // 0 if it is not in the file (a missing field).
  int LineOf(const std::string& field_path) const;
  // "FILE:LINE: message" when the message starts with a field path of the
  // plan, else "FILE: message".
  std::string Locate(const std::string& message) const;

 private:
  std::string path_;
  uplift::tasks::v1::Plan plan_;
  google::protobuf::TextFormat::ParseInfoTree tree_;
};

}  // namespace uplift::cli

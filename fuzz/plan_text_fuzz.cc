// Plan files (protobuf text) through what `upliftctl plan apply` and
// uplift-tasks do with them: parse with locations, the plan rules, and the
// mapping of a rule's error back to a line of the file.
#include <cstdlib>
#include <string>

#include "services/tasks/plan_rules.h"
#include "tools/upliftctl/plan_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::unique_ptr<uplift::cli::PlanFile>> file =
      uplift::cli::PlanFile::Parse(text, "fuzz.textproto");
  if (!file.ok()) return 0;
  uplift::tasks::v1::Plan plan = (*file)->plan();
  const absl::Status checked = uplift::tasks::NormalizeAndCheckPlan(&plan);
  if (!checked.ok()) {
    if (checked.message().size() > 4096) std::abort();  // echoed the file
    (void)(*file)->Locate(std::string(checked.message()));
    return 0;
  }
  // A plan the rules accept is accepted again once normalised.
  uplift::tasks::v1::Plan again = plan;
  if (!uplift::tasks::NormalizeAndCheckPlan(&again).ok()) std::abort();
  (void)uplift::tasks::CoOwnerUnits(plan);
  return 0;
}

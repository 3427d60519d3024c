// A project's phases, milestones and supervision colour, free of storage
// and RPC (docs/projects.md):
//   谋划 -> 签约 -> 前期 -> 在建 -> 投产 -> 达产, forward only (phases may be
//   skipped, never gone back to); 停缓建 with a reason from any phase
//   before 达产, and from it back to the phase it left or a later one.
//   Reaching 签约, 在建 or 投产 records the milestone of the same name on
//   that day unless it already has an actual date.
//   Colour on `today`: 红 for 停缓建, a planned milestone over 30 days late,
//   or the year's investment under half the planned pace; 黄 for a
//   milestone late up to 30 days or the investment under the pace; the
//   pace is linear over the months of the year that have ended.
// Each method changes the project and returns the step to record, or
// refuses with INVALID_ARGUMENT naming the request's field.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/enum_labels.h"
#include "uplift/tasks/v1/projects.pb.h"

namespace uplift::tasks {

inline constexpr int kMilestoneRedAfterDays = 30;

// 谋划, 签约, ... for people, and for parsing what people write
// (ParseEnumLabel).
const EnumLabels<v1::ProjectPhase>& ProjectPhaseLabels();
const EnumLabels<v1::MilestoneKind>& MilestoneLabels();
const EnumLabels<v1::ProjectKind>& ProjectKindLabels();
const EnumLabels<v1::ProjectSource>& ProjectSourceLabels();
const EnumLabels<v1::ProjectLight>& ProjectLightLabels();
std::string PhaseLabel(v1::ProjectPhase phase);
std::string MilestoneLabel(v1::MilestoneKind kind);

class ProjectPhases {
 public:
  // The fields a person gives when creating `p` (CreateProjectRequest's
  // `project.*`), normalised (trimmed text, milestones in kind order);
  // `start` is the phase it is in now. Units and the cluster are checked
  // by the service against the plan.
  static absl::Status CheckNew(v1::Project* p, v1::ProjectPhase start, absl::CivilDay today);

  // The project created in phase `start` (its first step).
  static v1::ProjectStep Create(v1::Project* p, v1::ProjectPhase start, absl::CivilDay today);

  // To phase `to` on `on` (not after `today`); `reason` for 停缓建.
  static absl::StatusOr<v1::ProjectStep> Advance(v1::Project* p, v1::ProjectPhase to,
                                                 absl::CivilDay on, const std::string& reason);

  // A milestone reached on `actual_on`, or its planned date moved to
  // `planned_on` for `reason` (exactly one of the two days is set).
  static absl::StatusOr<v1::ProjectStep> RecordMilestone(v1::Project* p, v1::MilestoneKind kind,
                                                         std::optional<absl::CivilDay> actual_on,
                                                         std::optional<absl::CivilDay> planned_on,
                                                         const std::string& reason);

  // Sets `light` and `light_reasons` as of `today`.
  static void FillLight(v1::Project* p, absl::CivilDay today);
};

}  // namespace uplift::tasks

// 新建投产入统: what a project's change (uplift-tasks' ProjectChanged) means
// for its enterprise in the registry. A project reaching 投产 puts its
// enterprise among the above-size cultivation pool's candidates; the 入统
// milestone reached makes it above designated size from that day, so the
// month counts toward 升规入统. A plain function of the event; the registry
// applies it (RegistryService::ApplyProjectChange) against the enterprise as
// it stands.
#pragma once

#include <string>

#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::registry {

struct ProjectIntake {
  enum class Kind {
    kNone,           // nothing for the registry
    kEnterPool,      // 投产: a candidate of the above-size cultivation pool
    kMarkAboveSize,  // 入统: above designated size from `on`
  };
  Kind kind = Kind::kNone;
  std::string credit_code;  // as the project names it (normalized by the caller)
  std::string on;           // the day of the step, "2023-07-15"
  std::string note;         // the pool history's note, naming the project
  std::string project_id;
};

// The step that entered 投产 (or 达产 skipping it, or a project created or
// resumed there, or the 投产 milestone recorded), or that recorded the 入统
// milestone, of a project naming an enterprise; kNone for every other step.
ProjectIntake IntakeOf(const uplift::tasks::v1::ProjectChanged& change);

}  // namespace uplift::registry

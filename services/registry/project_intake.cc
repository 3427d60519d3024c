// 新建投产入统: the registry's reading of a project step (project_intake.h).
#include "services/registry/project_intake.h"

#include "absl/strings/str_cat.h"

namespace uplift::registry {
namespace {

namespace tv1 = uplift::tasks::v1;
using Step = tv1::ProjectStep;

bool InProduction(tv1::ProjectPhase phase) {
  return phase == tv1::PROJECT_PHASE_PRODUCTION || phase == tv1::PROJECT_PHASE_FULL_PRODUCTION;
}

bool EntersProduction(const Step& step) {
  switch (step.action()) {
    case Step::ACTION_CREATED:
    case Step::ACTION_ADVANCED:
    case Step::ACTION_RESUMED:
      return InProduction(step.phase());
    case Step::ACTION_MILESTONE_REACHED:
      return step.milestone() == tv1::MILESTONE_KIND_IN_PRODUCTION;
    default:
      return false;
  }
}

std::string ProjectName(const tv1::Project& p) {
  return p.ledger_number().empty() ? p.name()
                                   : absl::StrCat(p.name(), "（", p.ledger_number(), "）");
}

}  // namespace

ProjectIntake IntakeOf(const tv1::ProjectChanged& change) {
  ProjectIntake out;
  const tv1::Project& p = change.project();
  const Step& step = change.step();
  if (p.credit_code().empty() || step.on().empty()) return out;
  if (step.action() == Step::ACTION_MILESTONE_REACHED &&
      step.milestone() == tv1::MILESTONE_KIND_IN_STATISTICS) {
    out.kind = ProjectIntake::Kind::kMarkAboveSize;
    out.note = absl::StrCat("新建投产入统：", ProjectName(p), " 入统");
  } else if (EntersProduction(step)) {
    out.kind = ProjectIntake::Kind::kEnterPool;
    out.note = absl::StrCat("新建投产入统：", ProjectName(p), " 投产");
  } else {
    return out;
  }
  out.credit_code = p.credit_code();
  out.on = step.on();
  out.project_id = p.project_id();
  return out;
}

}  // namespace uplift::registry

// ProjectPhases.
#include "services/tasks/project_phases.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/money_format.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"

namespace uplift::tasks {
namespace {

using v1::MilestoneKind;
using v1::ProjectPhase;

// The milestone a phase reaches on the day it is entered.
MilestoneKind MilestoneOfPhase(ProjectPhase phase) {
  switch (phase) {
    case v1::PROJECT_PHASE_SIGNED:
      return v1::MILESTONE_KIND_SIGNED;
    case v1::PROJECT_PHASE_CONSTRUCTION:
      return v1::MILESTONE_KIND_STARTED;
    case v1::PROJECT_PHASE_PRODUCTION:
      return v1::MILESTONE_KIND_IN_PRODUCTION;
    default:
      return v1::MILESTONE_KIND_UNSPECIFIED;
  }
}

bool IsWorkingPhase(ProjectPhase phase) {
  return phase >= v1::PROJECT_PHASE_PLANNING && phase <= v1::PROJECT_PHASE_FULL_PRODUCTION;
}

v1::ProjectMilestone* MilestoneOf(v1::Project* p, MilestoneKind kind) {
  for (v1::ProjectMilestone& m : *p->mutable_milestones()) {
    if (m.kind() == kind) return &m;
  }
  v1::ProjectMilestone* m = p->add_milestones();
  m->set_kind(kind);
  std::sort(p->mutable_milestones()->begin(), p->mutable_milestones()->end(),
            [](const v1::ProjectMilestone& a, const v1::ProjectMilestone& b) {
              return a.kind() < b.kind();
            });
  for (v1::ProjectMilestone& found : *p->mutable_milestones()) {
    if (found.kind() == kind) return &found;
  }
  return nullptr;  // not reached: added above
}

v1::ProjectStep StepOf(const v1::Project& p, v1::ProjectStep::Action action, absl::CivilDay on) {
  v1::ProjectStep step;
  step.set_action(action);
  step.set_phase(p.phase());
  step.set_on(FormatDate(on));
  return step;
}

void ReachMilestoneOfPhase(v1::Project* p, ProjectPhase phase, absl::CivilDay on) {
  const MilestoneKind kind = MilestoneOfPhase(phase);
  if (kind == v1::MILESTONE_KIND_UNSPECIFIED) return;
  v1::ProjectMilestone* m = MilestoneOf(p, kind);
  if (m->actual_on().empty()) m->set_actual_on(FormatDate(on));
}

// Whole months of `year` ended before `today`: 0..12.
int MonthsEnded(int year, absl::CivilDay today) {
  if (today.year() < year) return 0;
  if (today.year() > year) return 12;
  return today.month() - 1;
}

}  // namespace

const EnumLabels<v1::ProjectPhase>& ProjectPhaseLabels() {
  static const EnumLabels<v1::ProjectPhase> labels = {
      {v1::PROJECT_PHASE_PLANNING, "谋划"},    {v1::PROJECT_PHASE_SIGNED, "签约"},
      {v1::PROJECT_PHASE_PREPARATION, "前期"}, {v1::PROJECT_PHASE_CONSTRUCTION, "在建"},
      {v1::PROJECT_PHASE_PRODUCTION, "投产"},  {v1::PROJECT_PHASE_FULL_PRODUCTION, "达产"},
      {v1::PROJECT_PHASE_SUSPENDED, "停缓建"}};
  return labels;
}
const EnumLabels<v1::MilestoneKind>& MilestoneLabels() {
  static const EnumLabels<v1::MilestoneKind> labels = {{v1::MILESTONE_KIND_SIGNED, "签约"},
                                                       {v1::MILESTONE_KIND_LANDED, "落地"},
                                                       {v1::MILESTONE_KIND_STARTED, "开工"},
                                                       {v1::MILESTONE_KIND_IN_PRODUCTION, "投产"},
                                                       {v1::MILESTONE_KIND_IN_STATISTICS, "入统"}};
  return labels;
}
const EnumLabels<v1::ProjectKind>& ProjectKindLabels() {
  static const EnumLabels<v1::ProjectKind> labels = {{v1::PROJECT_KIND_NEW, "新建"},
                                                     {v1::PROJECT_KIND_RENOVATION, "技改"},
                                                     {v1::PROJECT_KIND_EXPANSION, "扩建"}};
  return labels;
}
const EnumLabels<v1::ProjectSource>& ProjectSourceLabels() {
  static const EnumLabels<v1::ProjectSource> labels = {
      {v1::PROJECT_SOURCE_INVESTMENT_ATTRACTION, "招商引资"},
      {v1::PROJECT_SOURCE_BEIJING_TIANJIN, "京津冀转移"},
      {v1::PROJECT_SOURCE_LOCAL_EXPANSION, "本地企业扩产"}};
  return labels;
}
const EnumLabels<v1::ProjectLight>& ProjectLightLabels() {
  static const EnumLabels<v1::ProjectLight> labels = {{v1::PROJECT_LIGHT_GREEN, "绿"},
                                                      {v1::PROJECT_LIGHT_YELLOW, "黄"},
                                                      {v1::PROJECT_LIGHT_RED, "红"}};
  return labels;
}

std::string PhaseLabel(v1::ProjectPhase phase) { return LabelOf(ProjectPhaseLabels(), phase); }
std::string MilestoneLabel(v1::MilestoneKind kind) { return LabelOf(MilestoneLabels(), kind); }

absl::Status ProjectPhases::CheckNew(v1::Project* p, v1::ProjectPhase start, absl::CivilDay today) {
  p->set_name(TrimText(p->name()));
  RETURN_IF_ERROR(CheckText("project.name", p->name(), 64, true));
  p->set_investor(TrimText(p->investor()));
  RETURN_IF_ERROR(CheckText("project.investor", p->investor(), 64, false));
  if (p->credit_code().empty() && p->investor().empty()) {
    return FieldError("project.investor",
                      "names who invests when the project has no registered enterprise "
                      "(project.credit_code) yet");
  }
  RETURN_IF_ERROR(CheckId("project.cluster_id", p->cluster_id()));
  RETURN_IF_ERROR(CheckId("project.township_id", p->township_id()));
  RETURN_IF_ERROR(CheckId("project.department_unit_id", p->department_unit_id()));
  if (!v1::ProjectKind_IsValid(p->kind()) || p->kind() == v1::PROJECT_KIND_UNSPECIFIED) {
    return FieldError("project.kind", "must be 新建, 技改 or 扩建");
  }
  if (!v1::ProjectSource_IsValid(p->source()) || p->source() == v1::PROJECT_SOURCE_UNSPECIFIED) {
    return FieldError("project.source", "must be 招商引资, 京津冀转移 or 本地企业扩产");
  }
  if (p->total_investment_fen() <= 0) {
    return FieldError("project.total_investment_fen", "must be more than 0");
  }
  if (p->planned_investment_fen() < 0 || p->planned_investment_fen() > p->total_investment_fen()) {
    return FieldError("project.planned_investment_fen",
                      absl::StrCat("must be from 0 to the total (",
                                   FormatAmountText(p->total_investment_fen()), ")"));
  }
  if (p->year() < 2000 || p->year() > 2100) {
    return FieldError("project.year", "must be a plan year from 2000 to 2100");
  }
  p->set_ledger_number(TrimText(p->ledger_number()));
  RETURN_IF_ERROR(CheckText("project.ledger_number", p->ledger_number(), 32, false));
  if (!v1::ProjectPhase_IsValid(start) || start == v1::PROJECT_PHASE_SUSPENDED) {
    return FieldError("phase",
                      "must be a working phase (谋划 to 达产); 停缓建 comes later, with a reason");
  }
  if (p->carried_over() && start != v1::PROJECT_PHASE_UNSPECIFIED &&
      start < v1::PROJECT_PHASE_CONSTRUCTION) {
    return FieldError("project.carried_over",
                      "a 续建 project was under way last year: its phase is 在建 or later");
  }
  std::vector<bool> seen(v1::MilestoneKind_ARRAYSIZE, false);
  for (int i = 0; i < p->milestones_size(); ++i) {
    v1::ProjectMilestone* m = p->mutable_milestones(i);
    const std::string field = absl::StrCat("project.milestones[", i, "]");
    if (!v1::MilestoneKind_IsValid(m->kind()) || m->kind() == v1::MILESTONE_KIND_UNSPECIFIED) {
      return FieldError(field + ".kind", "must be 签约, 落地, 开工, 投产 or 入统");
    }
    if (seen[m->kind()]) {
      return FieldError(field + ".kind",
                        absl::StrCat(MilestoneLabel(m->kind()), " is named twice"));
    }
    seen[m->kind()] = true;
    if (!m->planned_on().empty()) {
      RETURN_IF_ERROR(ParseDate(field + ".planned_on", m->planned_on()).status());
    }
    if (!m->actual_on().empty()) {
      RETURN_IF_ERROR(ParsePastDate(field + ".actual_on", m->actual_on(), today).status());
    }
  }
  std::sort(p->mutable_milestones()->begin(), p->mutable_milestones()->end(),
            [](const v1::ProjectMilestone& a, const v1::ProjectMilestone& b) {
              return a.kind() < b.kind();
            });
  return absl::OkStatus();
}

v1::ProjectStep ProjectPhases::Create(v1::Project* p, v1::ProjectPhase start,
                                      absl::CivilDay today) {
  if (start == v1::PROJECT_PHASE_UNSPECIFIED) {
    start = p->carried_over() ? v1::PROJECT_PHASE_CONSTRUCTION : v1::PROJECT_PHASE_PLANNING;
  }
  p->set_phase(start);
  return StepOf(*p, v1::ProjectStep::ACTION_CREATED, today);
}

absl::StatusOr<v1::ProjectStep> ProjectPhases::Advance(v1::Project* p, v1::ProjectPhase to,
                                                       absl::CivilDay on,
                                                       const std::string& reason) {
  if (!v1::ProjectPhase_IsValid(to) || to == v1::PROJECT_PHASE_UNSPECIFIED) {
    return FieldError("phase", "is not a phase");
  }
  const ProjectPhase from = p->phase();
  if (to == v1::PROJECT_PHASE_SUSPENDED) {
    if (from == v1::PROJECT_PHASE_SUSPENDED)
      return FieldError("phase", "the project is already 停缓建");
    if (from == v1::PROJECT_PHASE_FULL_PRODUCTION) {
      return FieldError("phase", "a project at 达产 is finished; it cannot be 停缓建");
    }
    if (reason.empty()) return FieldError("reason", "says why the project is 停缓建");
    p->set_phase_before_suspension(from);
    p->set_phase(to);
    p->set_suspension_reason(reason);
    v1::ProjectStep step = StepOf(*p, v1::ProjectStep::ACTION_SUSPENDED, on);
    step.set_text(reason);
    return step;
  }
  const ProjectPhase floor =
      from == v1::PROJECT_PHASE_SUSPENDED ? p->phase_before_suspension() : from;
  const bool resuming = from == v1::PROJECT_PHASE_SUSPENDED;
  if (resuming ? to < floor : to <= floor) {
    return FieldError("phase",
                      absl::StrCat(PhaseLabel(floor), " -> ", PhaseLabel(to),
                                   resuming ? " goes backward: a project resumes at the phase "
                                              "it left or a later one"
                                            : " goes backward or stays: phases only go "
                                              "forward"));
  }
  for (int phase = floor + (resuming ? 0 : 1); phase <= to; ++phase) {
    if (IsWorkingPhase(static_cast<ProjectPhase>(phase))) {
      ReachMilestoneOfPhase(p, static_cast<ProjectPhase>(phase), on);
    }
  }
  p->set_phase(to);
  p->clear_phase_before_suspension();
  p->clear_suspension_reason();
  v1::ProjectStep step =
      StepOf(*p, resuming ? v1::ProjectStep::ACTION_RESUMED : v1::ProjectStep::ACTION_ADVANCED, on);
  step.set_text(reason);
  return step;
}

absl::StatusOr<v1::ProjectStep> ProjectPhases::RecordMilestone(
    v1::Project* p, v1::MilestoneKind kind, std::optional<absl::CivilDay> actual_on,
    std::optional<absl::CivilDay> planned_on, const std::string& reason) {
  if (!v1::MilestoneKind_IsValid(kind) || kind == v1::MILESTONE_KIND_UNSPECIFIED) {
    return FieldError("milestone", "must be 签约, 落地, 开工, 投产 or 入统");
  }
  if (actual_on.has_value() == planned_on.has_value()) {
    return FieldError("actual_on",
                      "give either the day it was reached (actual_on) or a revised "
                      "planned day (planned_on)");
  }
  v1::ProjectMilestone* m = MilestoneOf(p, kind);
  if (actual_on.has_value()) {
    m->set_actual_on(FormatDate(*actual_on));
    v1::ProjectStep step = StepOf(*p, v1::ProjectStep::ACTION_MILESTONE_REACHED, *actual_on);
    step.set_milestone(kind);
    step.set_text(reason);
    return step;
  }
  if (reason.empty()) return FieldError("reason", "says why the planned day moves");
  const std::string before = m->planned_on().empty() ? "未计划" : m->planned_on();
  m->set_planned_on(FormatDate(*planned_on));
  v1::ProjectStep step = StepOf(*p, v1::ProjectStep::ACTION_MILESTONE_REPLANNED, *planned_on);
  step.set_milestone(kind);
  step.set_text(absl::StrCat(before, " -> ", m->planned_on(), "：", reason));
  return step;
}

void ProjectPhases::FillLight(v1::Project* p, absl::CivilDay today) {
  p->clear_light_reasons();
  v1::ProjectLight light = v1::PROJECT_LIGHT_GREEN;
  auto raise = [&](v1::ProjectLight to, std::string reason) {
    light = std::max(light, to);
    p->add_light_reasons(std::move(reason));
  };
  if (p->phase() == v1::PROJECT_PHASE_SUSPENDED) {
    raise(v1::PROJECT_LIGHT_RED, absl::StrCat("停缓建：", p->suspension_reason()));
  }
  for (const v1::ProjectMilestone& m : p->milestones()) {
    if (!m.actual_on().empty() || m.planned_on().empty()) continue;
    absl::StatusOr<absl::CivilDay> planned = ParseDate("planned_on", m.planned_on());
    if (!planned.ok() || *planned >= today) continue;
    const int64_t late = today - *planned;
    raise(late > kMilestoneRedAfterDays ? v1::PROJECT_LIGHT_RED : v1::PROJECT_LIGHT_YELLOW,
          absl::StrCat(MilestoneLabel(m.kind()), "逾期", late, "天（计划", m.planned_on(), "）"));
  }
  const int months = MonthsEnded(p->year(), today);
  const int64_t pace =
      static_cast<int64_t>(static_cast<__int128>(p->planned_investment_fen()) * months / 12);
  if (pace > 0 && p->year_completed_investment_fen() < pace &&
      p->phase() != v1::PROJECT_PHASE_SUSPENDED) {
    raise(p->year_completed_investment_fen() * 2 < pace ? v1::PROJECT_LIGHT_RED
                                                        : v1::PROJECT_LIGHT_YELLOW,
          absl::StrCat("年度投资完成", FormatAmountText(p->year_completed_investment_fen()),
                       "，按进度应完成", FormatAmountText(pace)));
  }
  p->set_light(light);
}

}  // namespace uplift::tasks

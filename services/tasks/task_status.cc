// Task colours and target pace.
#include "services/tasks/task_status.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/time_util.h"
#include "services/tasks/task_closure.h"
#include "services/tasks/tasks_labels.h"

namespace uplift::tasks {
namespace {

std::string Amount(const v1::Target& t, int64_t v) { return FormatTargetValue(t, v); }

// Milestones of quarters that ended before `today` without being reached.
std::vector<std::string> MissedMilestones(const TaskFacts& f) {
  std::vector<std::string> missed;
  for (const v1::Milestone& m : f.task.milestones()) {
    const absl::CivilDay quarter_end =
        absl::CivilDay(absl::CivilMonth(f.plan_start.year(), 3 * m.quarter() + 1)) - 1;
    if (f.today > quarter_end && !f.milestones_reached.count(m.quarter())) {
      missed.push_back(absl::StrCat("第", m.quarter(), "季度节点未完成(", m.text(), ")"));
    }
  }
  return missed;
}

}  // namespace

v1::TaskView BuildTaskView(const std::string& plan_id, const TaskFacts& f,
                           const WorkingCalendar& calendar) {
  v1::TaskView view;
  *view.mutable_task() = f.task;
  view.set_plan_id(plan_id);
  for (const std::string& u : f.co_owner_unit_ids) view.add_co_owner_unit_ids(u);
  for (const std::string& u : f.overdue_report_units) view.add_overdue_report_unit_ids(u);
  view.set_last_period_due(f.last_period_due);
  for (const v1::ClosureStep& s : f.closure_steps) *view.add_closure_steps() = s;
  const v1::ClosureState closure = ClosureStateOf(f.closure_steps);
  view.set_closure_state(closure);
  for (int q : f.milestones_reached) view.add_milestones_reached(q);

  const absl::CivilDay due = [&] {
    absl::CivilDay d;
    absl::ParseCivilTime(f.task.due_on(), &d);
    return d;
  }();
  const double span = std::max<double>(1, due - f.plan_start);
  const double elapsed = std::clamp<double>((f.today - f.plan_start) / span, 0, 1);

  bool all_met = f.task.targets_size() > 0;
  std::vector<std::string> behind;
  for (const v1::Target& t : f.task.targets()) {
    v1::TargetProgress* p = view.add_progress();
    *p->mutable_target() = t;
    const auto& source = t.counted_by() == v1::COUNTED_BY_UNIT_REPORTS ? f.reported : f.counted_elsewhere;
    auto it = source.find(t.target_id());
    const bool has_figure = it != source.end();
    const int64_t achieved = has_figure ? it->second.achieved : 0;
    p->set_achieved(achieved);
    if (has_figure && it->second.as_of != absl::InfinitePast()) {
      *p->mutable_as_of() = ToProtoTimestamp(it->second.as_of);
    }
    p->set_source(!has_figure ? "尚无数据" : CountedByLabel(t.counted_by()));
    const int64_t expected =
        IsRateMetric(t.metric()) ? t.value() : static_cast<int64_t>(t.value() * elapsed);
    p->set_expected_now(expected);
    p->set_met(achieved >= t.value());
    all_met = all_met && p->met();
    const bool rate_known = !IsRateMetric(t.metric()) || has_figure;
    if (!p->met() && rate_known && achieved < expected) {
      behind.push_back(absl::StrCat(t.target_id(), " 已完成", Amount(t, achieved), "，按进度应达",
                                    Amount(t, expected)));
    }
  }

  for (std::string& m : MissedMilestones(f)) behind.push_back(std::move(m));

  // What a returned 销号 said, before any colour's reason.
  const std::string returned =
      closure == v1::CLOSURE_STATE_RETURNED
          ? absl::StrCat("销号被退回(", f.closure_steps.back().text(), "); ")
          : "";
  const std::string met = all_met ? "全部目标已完成，" : "";
  if (closure == v1::CLOSURE_STATE_CONFIRMED) {
    view.set_status(v1::TASK_STATUS_DONE);
    view.set_status_reason(absl::StrCat(
        "已销号(", FormatDate(ShanghaiDay(FromProtoTimestamp(f.closure_steps.back().time()))),
        ")"));
  } else if (closure == v1::CLOSURE_STATE_SUBMITTED) {
    view.set_status(v1::TASK_STATUS_AWAITING_CLOSURE);
    view.set_status_reason("牵头单位已提请销号，待牵头部门确认");
  } else if (f.today > due) {
    view.set_status(v1::TASK_STATUS_OVERDUE);
    view.set_status_reason(
        absl::StrCat(returned, met, "已超过完成时限 ", f.task.due_on(), " 未销号"));
  } else if (!behind.empty() || !f.overdue_report_units.empty()) {
    view.set_status(v1::TASK_STATUS_BEHIND_PACE);
    std::vector<std::string> why = behind;
    if (!f.overdue_report_units.empty()) {
      why.push_back(absl::StrCat(f.last_period_due, " 月报未报: ",
                                 absl::StrJoin(f.overdue_report_units, "、")));
    }
    view.set_status_reason(absl::StrCat(returned, "进度滞后: ", absl::StrJoin(why, "; ")));
  } else if (calendar.WorkingDaysBetween(f.today, due) <= kNearDeadlineWorkingDays) {
    view.set_status(v1::TASK_STATUS_NEAR_DEADLINE);
    view.set_status_reason(absl::StrCat(returned, met, "临近完成时限 ", f.task.due_on(),
                                        all_met ? "，待牵头单位提请销号" : ""));
  } else {
    view.set_status(v1::TASK_STATUS_ON_TRACK);
    view.set_status_reason(
        absl::StrCat(returned, all_met ? "全部目标已完成，待牵头单位提请销号" : "按计划推进"));
  }
  return view;
}

}  // namespace uplift::tasks

// Task colours and target pace.
#include "services/tasks/task_status.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/time_util.h"

namespace uplift::tasks {
namespace {

std::string Amount(const v1::Target& t, int64_t v) {
  if (IsRateMetric(t.metric())) return absl::StrFormat("%.1f%%", v / 100.0);
  return absl::StrCat(v, t.unit());
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
    p->set_source(!has_figure ? "尚无数据"
                  : t.counted_by() == v1::COUNTED_BY_UNIT_REPORTS ? "责任单位月报"
                  : t.counted_by() == v1::COUNTED_BY_REGISTRY     ? "企业库称号认定"
                                                                  : "企业月度指标");
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

  if (all_met) {
    view.set_status(v1::TASK_STATUS_DONE);
    view.set_status_reason("全部目标已完成");
  } else if (f.today > due) {
    view.set_status(v1::TASK_STATUS_OVERDUE);
    view.set_status_reason(absl::StrCat("已超过完成时限 ", f.task.due_on()));
  } else if (!behind.empty() || !f.overdue_report_units.empty()) {
    view.set_status(v1::TASK_STATUS_BEHIND_PACE);
    std::vector<std::string> why = behind;
    if (!f.overdue_report_units.empty()) {
      why.push_back(absl::StrCat(f.last_period_due, " 月报未报: ",
                                 absl::StrJoin(f.overdue_report_units, "、")));
    }
    view.set_status_reason(absl::StrCat("进度滞后: ", absl::StrJoin(why, "; ")));
  } else if (calendar.WorkingDaysBetween(f.today, due) <= kNearDeadlineWorkingDays) {
    view.set_status(v1::TASK_STATUS_NEAR_DEADLINE);
    view.set_status_reason(absl::StrCat("临近完成时限 ", f.task.due_on()));
  } else {
    view.set_status(v1::TASK_STATUS_ON_TRACK);
    view.set_status_reason("按计划推进");
  }
  return view;
}

}  // namespace uplift::tasks

// Tables and records of the tasks service.
#include "tools/upliftctl/tasks_printers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/time_util.h"
#include "services/tasks/task_status.h"
#include "services/tasks/tasks_labels.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

using uplift::tasks::RungLabel;

std::string Amount(const tv1::Target& t, int64_t v) {
  return uplift::tasks::FormatTargetValue(t, v);
}

std::string Name(const UnitNames& names, const std::string& unit) {
  auto it = names.find(unit);
  return it == names.end() || it->second.empty() ? unit : it->second;
}

template <typename Ids>
std::string Units(const Ids& units, const UnitNames& names) {
  std::vector<std::string> out;
  for (const std::string& u : units) out.push_back(Name(names, u));
  return absl::StrJoin(out, "、");
}

}  // namespace

void PrintTasks(std::ostream& out, const google::protobuf::RepeatedPtrField<tv1::TaskView>& tasks,
                const UnitNames& names) {
  Table t({"编号", "序号", "任务", "牵头单位", "配合单位", "状态", "说明"});
  for (const tv1::TaskView& v : tasks) {
    const auto& units = v.task().responsible_unit_ids();
    const std::vector<std::string> others(units.begin() + (units.empty() ? 0 : 1), units.end());
    t.AddRow({v.task().task_id(), v.task().number(), v.task().title(),
              units.empty() ? "" : Name(names, units[0]), Units(others, names),
              uplift::tasks::TaskStatusLabel(v.status()), v.status_reason()});
  }
  t.Print(out, 36);
}

void PrintTask(std::ostream& out, const tv1::TaskView& v, const UnitNames& names) {
  Record r;
  r.Add("任务", absl::StrCat(v.task().number(), " ", v.task().title()));
  r.Add("编号", v.task().task_id());
  r.Add("责任单位", Units(v.task().responsible_unit_ids(), names) + "（第一个牵头）");
  r.Add("共同责任", absl::StrCat("各乡镇(街道)、开发区管委会，共 ", v.co_owner_unit_ids_size(), " 个"));
  r.Add("完成时限", v.task().due_on());
  r.Add("状态", uplift::tasks::TaskStatusLabel(v.status()));
  r.Add("说明", v.status_reason());
  if (!v.last_period_due().empty()) {
    r.Add("月报", v.overdue_report_unit_ids_size() == 0
                      ? absl::StrCat(v.last_period_due(), " 已全部报送")
                      : absl::StrCat(v.last_period_due(), " 未报: ",
                                     Units(v.overdue_report_unit_ids(), names)));
  }
  r.Print(out);
  if (v.progress_size() > 0) {
    out << "\n";
    Table t({"目标", "指标", "目标值", "争取值", "已完成", "按进度应达", "来源"});
    for (const tv1::TargetProgress& p : v.progress()) {
      t.AddRow({p.target().target_id(), uplift::tasks::MetricLabel(p.target().metric()),
                Amount(p.target(), p.target().value()),
                p.target().stretch_value() == 0 ? "" : Amount(p.target(), p.target().stretch_value()),
                Amount(p.target(), p.achieved()), Amount(p.target(), p.expected_now()), p.source()});
    }
    t.Print(out);
  }
  if (v.task().milestones_size() > 0) {
    out << "\n季度节点\n";
    Table t({"季度", "节点目标", "牵头单位报告"});
    for (const tv1::Milestone& m : v.task().milestones()) {
      const bool reached = std::find(v.milestones_reached().begin(), v.milestones_reached().end(),
                                     m.quarter()) != v.milestones_reached().end();
      t.AddRow({absl::StrCat("第", m.quarter(), "季度"), m.text(), reached ? "已完成" : ""});
    }
    t.Print(out);
  }
  if (v.closure_steps_size() > 0) {
    out << "\n销号\n";
    Table t({"#", "时间", "动作", "经办人", "说明", "佐证材料"});
    for (const tv1::ClosureStep& s : v.closure_steps()) {
      const std::string actor = s.actor_name().empty() ? s.actor() : s.actor_name();
      t.AddRow({absl::StrCat(s.seq()), FormatLocalTimestamp(s.time()),
                uplift::tasks::ClosureStepLabel(s.state()),
                absl::StrCat(actor, "(", Name(names, s.actor_unit_id()), ")"), s.text(),
                absl::StrJoin(s.evidence(), "；")});
    }
    t.Print(out, 48);
  }
  if (!v.task().description().empty()) out << "\n" << v.task().description() << "\n";
}

void PrintReports(std::ostream& out,
                  const google::protobuf::RepeatedPtrField<tv1::ProgressReport>& reports,
                  const UnitNames& names) {
  Table t({"月份", "任务", "单位", "进展", "数据", "报送人", "报送时间", "逾期"});
  for (const tv1::ProgressReport& r : reports) {
    std::vector<std::string> figures;
    for (const tv1::Figure& f : r.figures()) figures.push_back(absl::StrCat(f.target_id(), "=", f.value()));
    t.AddRow({r.period(), r.task_id(), Name(names, r.unit_id()), r.text(),
              absl::StrJoin(figures, " "), r.reported_by(), FormatLocalTimestamp(r.report_time()),
              r.late() ? "是" : ""});
  }
  t.Print(out);
}

void PrintOverdue(std::ostream& out,
                  const google::protobuf::RepeatedPtrField<tv1::OverdueReport>& overdue,
                  const UnitNames& names) {
  Table t({"月份", "任务", "单位", "应报日期"});
  for (const tv1::OverdueReport& o : overdue) {
    t.AddRow({o.period(), o.task_id(), Name(names, o.unit_id()), o.due_on()});
  }
  t.Print(out);
}

void PrintProblem(std::ostream& out, const tv1::Problem& p, const UnitNames& names) {
  Record r;
  r.Add("问题编号", p.problem_id());
  r.Add("企业", absl::StrCat(p.enterprise_name(), "（", p.credit_code(), "）"));
  r.Add("集群 / 乡镇", absl::StrCat(p.cluster_id(), " / ", Name(names, p.township_id())));
  r.Add("类别", p.category());
  r.Add("标题", p.title());
  r.Add("描述", p.description());
  r.Add("当前层级", RungLabel(p.rung()));
  r.Add("责任单位", Name(names, p.owner_unit_id()));
  r.Add("状态", absl::StrCat(uplift::tasks::ProblemStateLabel(p.state()), p.overdue() ? "（已逾期）" : ""));
  r.Add("办理时限", FormatLocalTimestamp(p.deadline()));
  if (!p.resolution().empty()) r.Add("办理结果", p.resolution());
  if (p.satisfaction() != tv1::SATISFACTION_UNSPECIFIED) {
    r.Add("回访", uplift::tasks::SatisfactionLabel(p.satisfaction()));
  }
  r.Print(out);
  if (p.co_handlers_size() > 0) {
    out << "\n会商协办\n";
    Table c({"协办单位", "反馈时限", "状态", "会商意见"});
    for (const tv1::CoHandler& h : p.co_handlers()) {
      c.AddRow({Name(names, h.unit_id()), FormatLocalTimestamp(h.deadline()),
                uplift::tasks::CoHandlerStateLabel(h.state()), h.answer()});
    }
    c.Print(out, 48);
  }
  if (p.timeline_size() == 0) return;
  out << "\n办理经过\n";
  Table t({"#", "时间", "动作", "层级", "责任单位", "经办人", "说明", "办理时限"});
  for (const tv1::ProblemStep& s : p.timeline()) {
    t.AddRow({absl::StrCat(s.seq()), FormatLocalTimestamp(s.time()),
              uplift::tasks::StepActionLabel(s.action()), RungLabel(s.rung()),
              Name(names, s.owner_unit_id()),
              s.actor_unit_id().empty()
                  ? s.actor()
                  : absl::StrCat(s.actor(), "(", Name(names, s.actor_unit_id()), ")"),
              s.text(), FormatLocalTimestamp(s.deadline())});
  }
  t.Print(out, 48);
}

void PrintProblems(std::ostream& out,
                   const google::protobuf::RepeatedPtrField<tv1::Problem>& problems,
                   const UnitNames& names) {
  Table t({"问题编号", "企业", "类别", "标题", "层级", "责任单位", "状态", "办理时限"});
  for (const tv1::Problem& p : problems) {
    t.AddRow({p.problem_id(), p.enterprise_name(), p.category(), p.title(), RungLabel(p.rung()),
              Name(names, p.owner_unit_id()),
              absl::StrCat(uplift::tasks::ProblemStateLabel(p.state()), p.overdue() ? "·逾期" : ""),
              FormatLocalTimestamp(p.deadline())});
  }
  t.Print(out, 30);
}

}  // namespace uplift::cli

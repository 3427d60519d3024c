// Lights and rows of the 问题办理情况 section.
#include "services/indicators/problem_section.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/tasks/tasks_labels.h"

namespace uplift::indicators {
namespace {

namespace tv1 = uplift::tasks::v1;
using Rows = std::vector<std::vector<std::string>>;

// 满意率 in basis points; -1 with no return visit.
int SatisfactionBp(const tv1::ProblemTally& t) {
  return t.rated() > 0 ? static_cast<int>(10000LL * t.satisfied() / t.rated()) : -1;
}

std::string Rate(int part, int whole) {
  return whole > 0 ? absl::StrFormat("%.1f%%", 100.0 * part / whole) : std::string("—");
}

std::string AverageDays(const tv1::ProblemTally& t) {
  return t.resolved() > 0 ? absl::StrFormat("%.1f", t.average_working_days()) : std::string("—");
}

std::vector<std::string> Row(const std::string& name, const tv1::ProblemTally& t,
                             const std::string& light) {
  std::vector<std::string> cells = ProblemTallyCells(name, t);
  cells.push_back(light);
  return cells;
}

std::vector<std::string> Columns(const std::string& unit, const std::string& total) {
  std::vector<std::string> columns = ProblemTallyColumns(unit, total);
  columns.push_back("亮灯");
  return columns;
}

}  // namespace

std::vector<std::string> ProblemTallyColumns(const std::string& unit, const std::string& total) {
  return {unit,   total,  "本期新增", "已办结",           "在办",  "超期",
          "提级", "退回", "延期",     "平均办结(工作日)", "满意率"};
}

std::vector<std::string> ProblemTallyCells(const std::string& name, const tv1::ProblemTally& t) {
  return {name,
          absl::StrCat(t.total()),
          absl::StrCat(t.raised()),
          absl::StrCat(t.resolved()),
          absl::StrCat(t.open()),
          absl::StrCat(t.overdue()),
          absl::StrCat(t.escalated()),
          absl::StrCat(t.returned()),
          absl::StrCat(t.extended()),
          AverageDays(t),
          Rate(t.satisfied(), t.rated())};
}

std::string ProblemLight(const v1::ProblemLights& rules, const tv1::ProblemTally& t) {
  const int satisfaction = t.rated() >= rules.min_rated() ? SatisfactionBp(t) : -1;
  if (t.overdue() >= rules.red_overdue() ||
      (satisfaction >= 0 && satisfaction < rules.red_satisfaction_below_bp())) {
    return "红";
  }
  if (t.overdue() >= rules.yellow_overdue() ||
      (satisfaction >= 0 && satisfaction < rules.yellow_satisfaction_below_bp())) {
    return "黄";
  }
  return "绿";
}

std::string DescribeProblemLights(const v1::ProblemLights& r) {
  return absl::StrFormat(
      "亮灯（本县规则）: "
      "本单位手中超期问题%d个及以上，或回访满%d个后满意率低于%s，为红灯；超期%d个及以上，"
      "或满意率低于%s，为黄灯；其余为绿灯。",
      r.red_overdue(), r.min_rated(),
      absl::StrFormat("%g%%", r.red_satisfaction_below_bp() / 100.0), r.yellow_overdue(),
      absl::StrFormat("%g%%", r.yellow_satisfaction_below_bp() / 100.0));
}

std::vector<std::string> AddProblemSection(
    ReportDocument& doc, const std::string& heading, const tv1::GetProblemStatisticsResponse& stats,
    const std::vector<std::pair<std::string, std::string>>& townships,
    const v1::ProblemLights& rules) {
  const tv1::ProblemTally& c = stats.county();
  doc.AddText(
      heading,
      absl::StrCat("截至", stats.until(), "日终，累计受理企业问题", c.total(), "个，", stats.from(),
                   "以来新增", c.raised(), "个；已办结", c.resolved(), "个（办结率",
                   Rate(c.resolved(), c.total()), "），在办", c.open(), "个，其中超期", c.overdue(),
                   "个；提级", c.escalated(), "个，退回", c.returned(), "个，延期", c.extended(),
                   "个；平均办结用时", AverageDays(c), "个工作日；回访", c.rated(), "个，满意率",
                   Rate(c.satisfied(), c.rated()), "。"));
  std::vector<std::string> red;
  std::map<std::string, const tv1::ProblemTally*> by_township;
  for (const tv1::ProblemTally& t : stats.townships()) by_township[t.unit_id()] = &t;
  Rows township_rows;
  for (const auto& [id, name] : townships) {
    auto it = by_township.find(id);
    const tv1::ProblemTally none;
    const tv1::ProblemTally& t = it == by_township.end() ? none : *it->second;
    const std::string light = ProblemLight(rules, t);
    if (light == "红") red.push_back(name);
    township_rows.push_back(Row(name, t, light));
  }
  doc.AddTable("问题办理情况（按乡镇）", Columns("乡镇(街道、园区)", "受理"), township_rows,
               "乡镇按属地统计本乡镇企业的问题（无论办到哪一级）；超期只计仍在本乡镇手中的问题。");
  Rows department_rows;
  for (const tv1::ProblemTally& t : stats.departments()) {
    const std::string light = ProblemLight(rules, t);
    if (light == "红") red.push_back(t.unit_name());
    department_rows.push_back(Row(t.unit_name(), t, light));
  }
  doc.AddTable("问题办理情况（按部门）", Columns("部门", "到达本部门"), department_rows,
               absl::StrCat("部门统计提交到本部门层级的问题；超期只计仍在本部门手中的问题。",
                            DescribeProblemLights(rules)));
  Rows open_rows;
  for (const tv1::LongOpenProblem& p : stats.longest_open()) {
    open_rows.push_back({p.title(), p.enterprise_name(), p.township_name(),
                         uplift::tasks::RungLabel(p.rung()), p.owner_unit_name(),
                         absl::StrCat(p.working_days_open()), p.overdue() ? "是" : "否"});
  }
  doc.AddTable("办理时间最长的未办结问题",
               {"问题", "企业", "乡镇", "当前层级", "承办单位", "已历时(工作日)", "超期"},
               open_rows, open_rows.empty() ? "无未办结问题。" : "");
  return red;
}

}  // namespace uplift::indicators

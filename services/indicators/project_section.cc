// Rows of the 重点项目 section.
#include "services/indicators/project_section.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/money_format.h"
#include "common/time_util.h"
#include "services/tasks/project_phases.h"

namespace uplift::indicators {
namespace {

namespace tv1 = uplift::tasks::v1;
using uplift::tasks::PhaseLabel;

struct Sums {
  int projects = 0;
  int64_t total = 0, planned = 0, window = 0, year = 0;
  void Add(const tv1::Project& p, int64_t in_window) {
    ++projects;
    total += p.total_investment_fen();
    planned += p.planned_investment_fen();
    window += in_window;
    year += p.year_completed_investment_fen();
  }
};

std::string Share(int64_t part, int64_t whole) {
  if (whole <= 0) return "—";
  return absl::StrFormat("%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::vector<std::string> GroupRow(const std::string& name, const Sums& s) {
  return {name,
          absl::StrCat(s.projects),
          FormatWanYuan(s.planned),
          FormatWanYuan(s.window),
          FormatWanYuan(s.year),
          Share(s.year, s.planned)};
}

std::string PhaseName(const tv1::Project& p) {
  if (p.phase() == tv1::PROJECT_PHASE_CONSTRUCTION && p.carried_over()) return "在建（续建）";
  return PhaseLabel(p.phase());
}

}  // namespace

std::vector<std::string> AddProjectSection(ReportDocument& doc, const std::string& heading,
                                           ProjectFacts facts, absl::CivilMonth last,
                                           const std::string& window, absl::CivilDay as_of) {
  const std::string ytd = last.month() == 1 ? "1月" : absl::StrCat("1-", last.month(), "月");
  if (facts.projects.empty()) {
    doc.AddText(heading, absl::StrCat(last.year(), "年项目台账尚无项目。"));
    return {};
  }
  Sums all;
  std::map<tv1::ProjectPhase, Sums> by_phase;
  std::map<std::string, Sums> by_cluster, by_township;
  std::vector<std::vector<std::string>> behind_rows, due_rows;
  std::vector<std::string> red;
  int yellow_count = 0;
  const absl::CivilMonth next = last + 1;
  for (tv1::Project& p : facts.projects) {
    p.set_year_completed_investment_fen(facts.year_to_date[p.project_id()]);
    uplift::tasks::ProjectPhases::FillLight(&p, as_of);
    const int64_t in_window = facts.in_window[p.project_id()];
    all.Add(p, in_window);
    by_phase[p.phase()].Add(p, in_window);
    by_cluster[p.cluster_name().empty() ? p.cluster_id() : p.cluster_name()].Add(p, in_window);
    by_township[p.township_name().empty() ? p.township_id() : p.township_name()].Add(p, in_window);
    if (p.light() != tv1::PROJECT_LIGHT_GREEN) {
      const std::string reasons = absl::StrJoin(p.light_reasons(), "；");
      behind_rows.push_back({p.name(), p.township_name(), p.department_name(), PhaseName(p),
                             p.light() == tv1::PROJECT_LIGHT_RED ? "红" : "黄", reasons});
      if (p.light() == tv1::PROJECT_LIGHT_RED) {
        red.push_back(absl::StrCat(p.name(), "（", reasons, "）"));
      } else {
        ++yellow_count;
      }
    }
    for (const tv1::ProjectMilestone& m : p.milestones()) {
      if (!m.actual_on().empty() || m.planned_on().rfind(FormatPeriod(next), 0) != 0) continue;
      due_rows.push_back({p.name(), uplift::tasks::MilestoneLabel(m.kind()), m.planned_on(),
                          p.department_name(), p.township_name()});
    }
  }
  std::vector<std::string> phase_counts;
  for (const auto& [phase, s] : by_phase) {
    phase_counts.push_back(absl::StrCat(PhaseLabel(phase), s.projects, "个"));
  }
  doc.AddText(
      heading,
      absl::StrCat("项目台账共有", last.year(), "年项目", all.projects, "个（",
                   absl::StrJoin(phase_counts, "、"), "），总投资", FormatAmountText(all.total),
                   "，年度计划投资", FormatAmountText(all.planned), "。", window, "完成投资",
                   FormatAmountText(all.window), "；", ytd, "累计完成", FormatAmountText(all.year),
                   "，占年度计划的", Share(all.year, all.planned), "。亮红灯项目", red.size(),
                   "个，黄灯", yellow_count, "个。"));
  std::vector<std::vector<std::string>> phase_rows;
  for (const auto& [phase, s] : by_phase) {
    phase_rows.push_back({PhaseLabel(phase), absl::StrCat(s.projects), FormatWanYuan(s.total),
                          FormatWanYuan(s.planned), FormatWanYuan(s.year)});
  }
  doc.AddTable("重点项目（按阶段）",
               {"阶段", "项目数", "总投资(万元)", "年度计划(万元)", ytd + "完成(万元)"},
               phase_rows);
  const std::vector<std::string> group_columns = {"项目数", "年度计划(万元)", window + "完成(万元)",
                                                  ytd + "完成(万元)", "完成年度计划"};
  auto columns = [&](const std::string& first) {
    std::vector<std::string> c = {first};
    c.insert(c.end(), group_columns.begin(), group_columns.end());
    return c;
  };
  std::vector<std::vector<std::string>> cluster_rows, township_rows;
  for (const auto& [name, s] : by_cluster) cluster_rows.push_back(GroupRow(name, s));
  for (const auto& [name, s] : by_township) township_rows.push_back(GroupRow(name, s));
  cluster_rows.push_back(GroupRow("合计", all));
  doc.AddTable("重点项目（按集群）", columns("集群"), cluster_rows);
  doc.AddTable("重点项目（按乡镇）", columns("乡镇(街道、园区)"), township_rows);
  doc.AddTable(
      "进度滞后的项目", {"项目", "乡镇", "责任部门", "阶段", "督办", "原因"}, behind_rows,
      absl::StrCat("截至", FormatDate(as_of),
                   "：年度完成投资低于按月均进度应完成额为黄、不足一半为红；计划节点逾期30天以"
                   "内为黄、超过30天为红；停缓建为红。"));
  doc.AddTable(absl::StrCat("下月（", next.month(), "月）计划节点"),
               {"项目", "节点", "计划日期", "责任部门", "乡镇"}, due_rows);
  return red;
}

}  // namespace uplift::indicators

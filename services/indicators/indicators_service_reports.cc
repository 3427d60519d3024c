// The monthly dispatch report (月调度) and the quarterly bulletin (季通报):
// the figures, the targets, the township ranking and 亩均 grades (bulletin),
// the tasks as the tasks service reports them, the problems counted
// (问题办理情况), the projects (重点项目), and the laggards named.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/indicators/efficiency.h"
#include "services/indicators/figure_format.h"
#include "services/indicators/indicators_service.h"
#include "services/indicators/laggards.h"
#include "services/indicators/problem_section.h"
#include "services/indicators/project_section.h"
#include "services/indicators/project_store.h"
#include "services/indicators/report_document.h"
#include "services/indicators/township_ranking.h"
#include "services/tasks/plan_metrics.h"
#include "services/tasks/tasks_labels.h"

namespace uplift::indicators {
namespace {

constexpr size_t kNamed = 10;

using Rows = std::vector<std::vector<std::string>>;

std::string TargetState(const v1::CountedTarget& t) {
  if (t.met()) return "已完成";
  if (t.behind()) return "滞后";
  return "正常";
}

std::string GrowthVerdict(const v1::Growth& g, int64_t target, int64_t stretch) {
  if (!g.defined()) return "暂无可比数据";
  if (stretch > 0 && g.growth_bp() >= stretch) return absl::StrCat("已突破", FormatPercent(stretch), "的争取目标");
  if (g.growth_bp() >= target) return absl::StrCat("达到", FormatPercent(target), "的目标");
  return absl::StrFormat("低于%s的目标%.2f个百分点", FormatPercent(target), (target - g.growth_bp()) / 100.0);
}

std::vector<std::string> FigureRow(const std::string& label, int64_t window, int64_t ytd,
                                   const std::string& growth, bool money) {
  if (money) return {label, FormatWanYuan(window), FormatWanYuan(ytd), growth};
  return {label, absl::StrCat(window), absl::StrCat(ytd), growth};
}

}  // namespace

absl::StatusOr<v1::GeneratedReport> IndicatorsService::Compose(const Principal& who,
                                                               const std::string& plan_id,
                                                               absl::CivilMonth last,
                                                               const Quarter* quarter) {
  RETURN_IF_ERROR(CheckId("plan_id", plan_id));
  const CallAs as = AsCaller(who);
  ASSIGN_OR_RETURN(const tv1::Plan plan, tasks_->GetPlan(as, plan_id));
  if (last.year() != plan.year()) {
    return FieldError(quarter ? "quarter" : "period",
                      absl::StrCat(FormatPeriod(last), " is outside the plan year ", plan.year()));
  }
  if (last > CurrentMonth()) {
    return FieldError(quarter ? "quarter" : "period", absl::StrCat(FormatPeriod(last), " is in the future"));
  }
  // A past period's report shows the tasks as they stood at its end.
  const std::string tasks_as_of =
      last < CurrentMonth() ? FormatDate(absl::CivilDay(last + 1) - 1) : "";
  ASSIGN_OR_RETURN(const std::vector<tv1::TaskView> tasks,
                   tasks_->ListTasks(as, plan_id, tasks_as_of));
  // Problems: the period's days, as they stood at its end (today for the current period).
  const absl::CivilDay first_day(quarter ? absl::CivilMonth(last.year(), quarter->first_month())
                                         : last);
  const absl::CivilDay last_day =
      std::min(absl::CivilDay(last + 1) - 1, ShanghaiDay(clock_->Now()));
  ASSIGN_OR_RETURN(
      const tv1::GetProblemStatisticsResponse problems,
      tasks_->GetProblemStatistics(as, plan_id, FormatDate(first_day), FormatDate(last_day)));
  ASSIGN_OR_RETURN(const v1::GetTargetProgressResponse progress, Progress(plan, last));
  std::vector<v1::TownshipScore> ranking;
  if (quarter != nullptr) {
    ASSIGN_OR_RETURN(ranking, Ranking(*quarter));
  }
  const int year = plan.year(), month = last.month();
  const int first = quarter ? quarter->first_month() : month;
  const std::string window = quarter ? quarter->ShortLabel() : absl::StrCat(month, "月");
  const std::string ytd = month == 1 ? "1月" : absl::StrCat("1-", month, "月");
  const std::string title = quarter
      ? absl::StrCat(quarter->Label(), "县域特色产业集群工作通报")
      : absl::StrCat(year, "年", month, "月县域特色产业集群工作调度");
  // 重点项目: the projects followed from uplift:events:projects; colours as
  // of the day after the period (today for the period under way).
  ProjectFacts project_facts;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    project_facts.projects = store::ProjectsOfYear(db, year);
    project_facts.in_window = store::ProjectInvestment(
        db, FormatPeriod(absl::CivilMonth(year, first)), FormatPeriod(last));
    project_facts.year_to_date =
        store::ProjectInvestment(db, FormatPeriod(absl::CivilMonth(year, 1)), FormatPeriod(last));
    return absl::OkStatus();
  }));
  const absl::CivilDay projects_as_of =
      std::min(absl::CivilDay(last + 1), ShanghaiDay(clock_->Now()));
  ReportDocument doc(title);
  std::map<std::string, std::string> unit_names;
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    for (const UnitInfo& u : data.units()) unit_names[u.unit_id] = u.name;
    auto name_of_unit = [&](int u) { return u >= 0 ? data.units()[u].name : std::string("未登记"); };
    auto code_of = [&data](int e) { return data.enterprise(e).credit_code; };
    ASSIGN_OR_RETURN(const std::vector<GroupTotals> county,
                     Aggregate(data, {year, first, month, Grouping::kCounty}));
    ASSIGN_OR_RETURN(const GroupTotals all, Overall(county));
    ASSIGN_OR_RETURN(const std::vector<GroupTotals> by_cluster,
                     Aggregate(data, {year, first, month, Grouping::kCluster}));
    ASSIGN_OR_RETURN(const std::vector<GroupTotals> by_township,
                     Aggregate(data, {year, first, month, Grouping::kTownship}));
    const v1::Growth growth = all.ytd_growth.ToProto(code_of);
    const v1::Growth window_growth = all.window_growth.ToProto(code_of);

    doc.AddText("一、总体情况",
                absl::StrCat(
                    plan.title(), "。截至", year, "年", month, "月，纳入监测的集群企业", all.enterprises,
                    "家，", all.reporting, "家报送了", month, "月数据。", window, "营业收入",
                    FormatAmountText(all.window.revenue_fen), "，可比增长", FormatGrowth(window_growth), "；",
                    ytd, "累计营业收入", FormatAmountText(all.ytd.revenue_fen), "，可比口径同比增长",
                    FormatGrowth(growth), "（可比企业", growth.compared(), "家，新增", growth.new_entrants(),
                    "家，上年有报本年缺报", growth.missing(), "家），",
                    GrowthVerdict(growth, progress.growth_target_bp(), progress.growth_stretch_bp()), "。"));
    doc.AddTable("主要指标", {"指标", window, ytd + "累计", "累计可比增长"},
                 {FigureRow("营业收入(万元)", all.window.revenue_fen, all.ytd.revenue_fen, FormatGrowth(growth), true),
                  FigureRow("工业总产值(万元)", all.window.output_value_fen, all.ytd.output_value_fen, "—", true),
                  FigureRow("税收(万元)", all.window.tax_fen, all.ytd.tax_fen, "—", true),
                  FigureRow("研发投入(万元)", all.window.rnd_fen, all.ytd.rnd_fen, "—", true),
                  FigureRow("从业人员(人)", all.window.employees, all.ytd.employees, "—", false),
                  {"占地面积(亩)", FormatMu(all.window.land_centi_mu), FormatMu(all.ytd.land_centi_mu), "—"}},
                 "金额单位万元；从业人员、占地面积为期末数。");

    Rows cluster_rows;
    std::vector<std::string> clusters_behind;
    for (const GroupTotals& g : by_cluster) {
      const v1::Growth cg = g.ytd_growth.ToProto(code_of);
      const std::string name = g.cluster >= 0 ? data.clusters()[g.cluster].name : "未归集群";
      const bool meets = cg.defined() && cg.growth_bp() >= progress.growth_target_bp();
      if (cg.defined() && !meets) clusters_behind.push_back(absl::StrCat(name, "(", FormatGrowth(cg), ")"));
      cluster_rows.push_back({name, FormatWanYuan(g.window.revenue_fen), FormatWanYuan(g.ytd.revenue_fen),
                              FormatGrowth(cg), !cg.defined() ? "—" : meets ? "达标" : "未达标",
                              absl::StrCat(g.reporting, "/", g.enterprises)});
    }
    doc.AddTable("二、分集群情况", {"集群", window + "营收(万元)", ytd + "营收(万元)", "累计可比增长", "对照目标", "报送/企业"},
                 cluster_rows, absl::StrCat("目标: 营业收入同比增长", FormatPercent(progress.growth_target_bp()),
                                           progress.growth_stretch_bp() > 0 ? absl::StrCat("，力争", FormatPercent(progress.growth_stretch_bp())) : "", "。"));

    Rows township_rows;
    std::vector<std::string> townships_falling;
    for (const GroupTotals& g : by_township) {
      const v1::Growth tg = g.ytd_growth.ToProto(code_of);
      if (tg.defined() && tg.growth_bp() < 0) {
        townships_falling.push_back(absl::StrCat(name_of_unit(g.township), "(", FormatGrowth(tg), ")"));
      }
      township_rows.push_back({name_of_unit(g.township), FormatWanYuan(g.window.revenue_fen),
                               FormatWanYuan(g.ytd.revenue_fen), FormatGrowth(tg),
                               absl::StrCat(g.reporting, "/", g.enterprises)});
    }
    doc.AddTable("三、分乡镇情况", {"乡镇(街道、园区)", window + "营收(万元)", ytd + "营收(万元)", "累计可比增长", "报送/企业"},
                 township_rows);

    Rows target_rows;
    std::vector<std::string> targets_behind;
    for (const v1::CountedTarget& t : progress.targets()) {
      target_rows.push_back({t.task_number(),
                             t.description().empty() ? t.target_id() : t.description(),
                             FormatTargetAmount(t, t.value()), FormatTargetAmount(t, t.achieved()),
                             FormatTargetAmount(t, t.expected_now()), TargetState(t), t.note()});
      if (t.behind()) {
        targets_behind.push_back(absl::StrCat(
            t.task_number(), "「", t.description().empty() ? t.target_id() : t.description(),
            "」完成", FormatTargetAmount(t, t.achieved()), "，应达",
            FormatTargetAmount(t, t.expected_now()), t.note().empty() ? "" : "，", t.note()));
      }
    }
    doc.AddTable("四、目标任务完成情况", {"任务", "目标", "目标值", "已完成", "按进度应达", "状态", "说明"}, target_rows,
                 "称号类目标按企业库认定计数（年内认定且未撤销），营收增速按可比口径，其余按责任单位月报累计。");

    if (quarter != nullptr) {
      Rows rank_rows;
      for (const v1::TownshipScore& s : ranking) {
        rank_rows.push_back({s.rank() == 0 ? std::string("无数据") : absl::StrCat(s.rank()),
                             s.township_name(), absl::StrFormat("%.1f", s.score()),
                             absl::StrCat(s.points() > 0 ? "+" : "", s.points()),
                             FormatGrowth(s.ytd_growth()), absl::StrCat(s.new_awards()),
                             absl::StrCat(s.new_above_size()),
                             absl::StrCat(s.reporting(), "/", s.enterprises())});
      }
      doc.AddTable("五、乡镇排名", {"排名", "乡镇(街道、园区)", "得分", "考核加分", "营收增速", "新增梯度企业", "新增规上企业", "报送/企业"},
                   rank_rows, DescribeRankingRules(config_.rules.ranking()));
      std::map<std::string, int> grades;
      int graded = 0;
      const IndicatorData::YearView y = data.Year(year);
      for (int e = 0; e < data.enterprise_count(); ++e) {
        std::optional<v1::EfficiencyRow> row = EfficiencyOf(data, y, e, month, config_.rules);
        if (!row.has_value()) continue;
        ++grades[row->grade()];
        ++graded;
      }
      Rows grade_rows;
      for (const v1::GradeRule& g : config_.rules.grades()) {
        const int n = grades[g.grade()];
        grade_rows.push_back({g.grade(), g.label(), absl::StrCat(n),
                              graded ? absl::StrFormat("%.1f%%", 100.0 * n / graded) : "—",
                              absl::StrCat("≥", FormatWanYuan(g.min_tax_per_mu_fen()), "万元")});
      }
      grade_rows.push_back({"—", "未评价(无占地数据)", absl::StrCat(grades[""]), graded ? absl::StrFormat("%.1f%%", 100.0 * grades[""] / graded) : "—", ""});
      doc.AddTable("六、亩均效益评价", {"等级", "类别", "企业数", "占比", "亩均税收门槛"}, grade_rows,
                   absl::StrCat(ytd, "累计折合全年，按最近一期占地面积计算。"));
    }

    Rows task_rows;
    std::vector<std::string> tasks_behind, units_overdue;
    for (const tv1::TaskView& t : tasks) {
      const std::string lead = t.task().responsible_unit_ids().empty() ? "" : t.task().responsible_unit_ids(0);
      const std::string lead_name = unit_names.count(lead) ? unit_names[lead] : lead;
      task_rows.push_back({t.task().number(), t.task().title(), lead_name,
                           uplift::tasks::TaskStatusLabel(t.status()), t.status_reason()});
      if (t.status() == tv1::TASK_STATUS_BEHIND_PACE || t.status() == tv1::TASK_STATUS_OVERDUE) {
        tasks_behind.push_back(absl::StrCat(t.task().number(), t.task().title(), "（", lead_name, "）"));
      }
      for (const std::string& u : t.overdue_report_unit_ids()) {
        const std::string name = unit_names.count(u) ? unit_names[u] : u;
        if (std::find(units_overdue.begin(), units_overdue.end(), name) == units_overdue.end()) {
          units_overdue.push_back(name);
        }
      }
    }
    doc.AddTable(quarter ? "七、重点任务推进" : "五、重点任务推进",
                 {"编号", "任务", "牵头单位", "状态", "说明"}, task_rows,
                 tasks_as_of.empty() ? "督办状态为报告生成时的状态。"
                                     : absl::StrCat("督办状态为", tasks_as_of,
                                                    "日终时的状态（销号以牵头部门确认为准）。"));
    std::vector<std::pair<std::string, std::string>> townships;
    for (const UnitInfo& u : data.units()) {
      if (u.IsTerritorial()) townships.emplace_back(u.unit_id, u.name);
    }
    const std::vector<std::string> red_units =
        AddProblemSection(doc, quarter ? "八、问题办理情况" : "六、问题办理情况", problems,
                          townships, config_.rules.problem_lights());

    const std::vector<std::string> red_projects =
        AddProjectSection(doc, quarter ? "九、重点项目" : "七、重点项目", std::move(project_facts),
                          last, window, projects_as_of);

    const Laggards laggards = FindLaggards(data, year, month, config_.rules.laggard_decline_bp(), kNamed);
    std::vector<std::string> lines;
    if (!clusters_behind.empty()) lines.push_back("营收增速未达目标的集群: " + absl::StrJoin(clusters_behind, "、"));
    if (!townships_falling.empty()) lines.push_back("营业收入同比下降的乡镇: " + absl::StrJoin(townships_falling, "、"));
    if (!targets_behind.empty()) lines.push_back("进度滞后的目标: " + absl::StrJoin(targets_behind, "；"));
    if (!tasks_behind.empty()) lines.push_back("进度滞后或逾期的任务: " + absl::StrJoin(tasks_behind, "、"));
    if (!units_overdue.empty()) lines.push_back("未按时报送月度进展的单位: " + absl::StrJoin(units_overdue, "、"));
    if (!red_units.empty())
      lines.push_back("问题办理亮红灯的单位: " + absl::StrJoin(red_units, "、"));
    if (!red_projects.empty())
      lines.push_back("亮红灯的重点项目: " + absl::StrJoin(red_projects, "、"));
    if (laggards.declining_count > 0) {
      std::vector<std::string> names;
      for (const Laggards::Decline& d : laggards.declining) {
        names.push_back(absl::StrCat(data.enterprise(d.enterprise).name, "(", FormatPercent(d.growth_bp), ")"));
      }
      lines.push_back(absl::StrCat("营业收入降幅超过", FormatPercent(config_.rules.laggard_decline_bp()), "的企业",
                                   laggards.declining_count, "家: ", absl::StrJoin(names, "、"),
                                   laggards.declining_count > static_cast<int>(names.size()) ? " 等" : ""));
    }
    if (laggards.not_reporting_count > 0) {
      std::vector<std::string> by_township;
      for (const auto& [u, n] : laggards.not_reporting_by_township) {
        by_township.push_back(absl::StrCat(name_of_unit(u), n, "家"));
      }
      std::vector<std::string> names;
      for (int e : laggards.not_reporting) names.push_back(data.enterprise(e).name);
      lines.push_back(absl::StrCat(month, "月未报送数据的企业", laggards.not_reporting_count, "家（",
                                   absl::StrJoin(by_township, "、"), "），如: ", absl::StrJoin(names, "、"),
                                   laggards.not_reporting_count > static_cast<int>(names.size()) ? " 等" : ""));
    }
    std::string text;
    for (size_t i = 0; i < lines.size(); ++i) absl::StrAppend(&text, i + 1, ". ", lines[i], "\n");
    doc.AddText(quarter ? "十、落后通报" : "八、落后通报",
                lines.empty() ? "本期无落后事项。" : text);
    return absl::OkStatus();
  }));
  return doc.Finish(clock_->Now());
}

absl::StatusOr<v1::GenerateDispatchReportResponse> IndicatorsService::GenerateDispatchReport(
    const Principal& who, const v1::GenerateDispatchReportRequest& req) {
  ASSIGN_OR_RETURN(const absl::CivilMonth period, ParsePeriod("period", req.period()));
  ASSIGN_OR_RETURN(v1::GeneratedReport report, Compose(who, req.plan_id(), period, nullptr));
  v1::GenerateDispatchReportResponse response;
  *response.mutable_report() = std::move(report);
  return response;
}

absl::StatusOr<v1::GenerateBulletinResponse> IndicatorsService::GenerateBulletin(
    const Principal& who, const v1::GenerateBulletinRequest& req) {
  ASSIGN_OR_RETURN(const Quarter quarter, ParseQuarter("quarter", req.quarter()));
  const absl::CivilMonth last = std::min(quarter.last_period(), CurrentMonth());
  if (absl::CivilMonth(quarter.year, quarter.first_month()) > CurrentMonth()) {
    return FieldError("quarter", absl::StrCat(quarter.ToString(), " has not begun"));
  }
  ASSIGN_OR_RETURN(v1::GeneratedReport report, Compose(who, req.plan_id(), last, &quarter));
  v1::GenerateBulletinResponse response;
  *response.mutable_report() = std::move(report);
  return response;
}

}  // namespace uplift::indicators

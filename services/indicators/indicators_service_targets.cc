// The plan's targets as they stand, and the township ranking.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/indicators/activity_store.h"
#include "services/indicators/activity_targets.h"
#include "services/indicators/indicator_rules.h"
#include "services/indicators/indicators_service.h"
#include "services/indicators/tier_targets.h"
#include "services/indicators/township_ranking.h"
#include "services/tasks/plan_metrics.h"
#include "services/tasks/tasks_labels.h"

namespace uplift::indicators {
namespace {

constexpr size_t kListedCandidates = 20;
// A county's activities of a year are hundreds; all are counted.
constexpr int kAllActivities = 1000000;

absl::CivilDay LastDay(absl::CivilMonth m) { return absl::CivilDay(m + 1) - 1; }

absl::CivilDay PlanStart(const tv1::Plan& plan) {
  absl::StatusOr<absl::CivilDay> issued = ParseDate("issued_on", plan.issued_on());
  if (issued.ok() && issued->year() == plan.year()) return *issued;
  return absl::CivilDay(plan.year(), 1, 1);
}

// The linear pace of a count from the plan's start to the task's due day.
int64_t ExpectedBy(const tv1::Plan& plan, const tv1::Task& task, const tv1::Target& t,
                   absl::CivilDay as_of) {
  if (uplift::tasks::IsRateMetric(t.metric())) return t.value();
  const absl::CivilDay start = PlanStart(plan);
  absl::CivilDay due(plan.year(), 12, 31);
  if (absl::StatusOr<absl::CivilDay> d = ParseDate("due_on", task.due_on()); d.ok()) due = *d;
  const double span = std::max<double>(1, due - start);
  const double elapsed = std::clamp<double>((as_of - start) / span, 0, 1);
  return static_cast<int64_t>(t.value() * elapsed);
}

std::string CountNote(int64_t shortfall, int candidates, const std::string& unit) {
  if (shortfall <= 0) return "已完成";
  std::string note = absl::StrCat("缺口", shortfall, unit, "，候选", candidates, unit);
  if (candidates < shortfall) absl::StrAppend(&note, "，候选不足，无法补足缺口");
  return note;
}

}  // namespace

absl::StatusOr<v1::GetTargetProgressResponse> IndicatorsService::Progress(const tv1::Plan& plan,
                                                                          absl::CivilMonth period) {
  if (period.year() != plan.year()) {
    return FieldError("period", absl::StrCat(FormatPeriod(period), " is outside the plan year ", plan.year()));
  }
  const absl::CivilDay as_of = std::min(LastDay(period), ShanghaiDay(clock_->Now()));
  v1::GetTargetProgressResponse response;
  response.set_plan_id(plan.plan_id());
  response.set_period(FormatPeriod(period));
  for (const tv1::Task& task : plan.tasks()) {
    for (const tv1::Target& t : task.targets()) {
      if (t.metric() == tv1::METRIC_CLUSTER_REVENUE_GROWTH) {
        response.set_growth_target_bp(t.value());
        response.set_growth_stretch_bp(t.stretch_value());
      }
    }
  }
  std::map<std::string, int64_t> unit_sums;
  std::vector<v1::Activity> activities;
  const absl::CivilDay year_start(plan.year(), 1, 1);
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    unit_sums = store::SumUnitFigures(db, plan.plan_id(), plan.year(), FormatPeriod(period));
    activities = store::ListActivities(db, {year_start, as_of}, "", kAllActivities);
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    auto code_of = [&data](int e) { return data.enterprise(e).credit_code; };
    ASSIGN_OR_RETURN(
        const std::vector<GroupTotals> clusters,
        Aggregate(data, {plan.year(), period.month(), period.month(), Grouping::kCluster}));
    for (const GroupTotals& g : clusters) {
      if (g.cluster < 0) continue;
      v1::ClusterGrowth* c = response.add_clusters();
      c->set_cluster_id(data.clusters()[g.cluster].cluster_id);
      c->set_cluster_name(data.clusters()[g.cluster].name);
      *c->mutable_ytd_growth() = g.ytd_growth.ToProto(code_of);
      c->set_meets_target(c->ytd_growth().defined() && c->ytd_growth().growth_bp() >= response.growth_target_bp());
      c->set_meets_stretch(c->ytd_growth().defined() && response.growth_stretch_bp() > 0 &&
                           c->ytd_growth().growth_bp() >= response.growth_stretch_bp());
    }
    ASSIGN_OR_RETURN(const GroupTotals overall, Overall(clusters));
    *response.mutable_overall_growth() = overall.ytd_growth.ToProto(code_of);

    const std::vector<ActivityFact> facts = ActivityFacts(activities, data);
    std::vector<int> pool_members;
    for (int e = 0; e < data.enterprise_count(); ++e) {
      if (data.enterprise(e).key_enterprise || data.enterprise(e).in_listing_pool) pool_members.push_back(e);
    }
    for (const tv1::Task& task : plan.tasks()) {
      for (const tv1::Target& t : task.targets()) {
        v1::CountedTarget* ct = response.add_targets();
        ct->set_task_id(task.task_id());
        ct->set_task_number(task.number());
        ct->set_target_id(t.target_id());
        ct->set_metric(tv1::Metric_Name(t.metric()));
        ct->set_description(t.description());
        ct->set_value(t.value());
        ct->set_stretch_value(t.stretch_value());
        ct->set_unit(t.unit());
        for (const std::string& u : task.responsible_unit_ids()) ct->add_responsible_unit_ids(u);
        ct->set_expected_now(ExpectedBy(plan, task, t, as_of));
        bool has_figure = true;
        std::optional<TierRule> rule = TierRuleFor(t.metric());
        std::optional<ActivityRule> activity_rule = ActivityRuleFor(t.metric());
        if (t.counted_by() == tv1::COUNTED_BY_ACTIVITIES && activity_rule.has_value()) {
          const ActivityCount count = CountActivities(
              *activity_rule, facts, PopulationOf(*activity_rule, data, as_of), year_start, as_of);
          has_figure = FillActivityTarget(t, *activity_rule, count, data, kListedCandidates, ct);
        } else if (t.counted_by() == tv1::COUNTED_BY_REGISTRY && rule.has_value()) {
          ct->set_source(uplift::tasks::CountedByLabel(tv1::COUNTED_BY_REGISTRY));
          const TierCount count = CountNewTier(*rule, data.awards(), plan.year(), as_of, pool_members);
          ct->set_achieved(static_cast<int64_t>(count.counted.size()));
          for (int e : count.counted) ct->add_credit_codes(code_of(e));
          const int64_t shortfall = std::max<int64_t>(0, t.value() - ct->achieved());
          ct->set_shortfall(static_cast<int32_t>(shortfall));
          ct->set_candidates(static_cast<int32_t>(count.candidates.size()));
          for (size_t i = 0; i < count.candidates.size() && i < kListedCandidates; ++i) {
            ct->add_candidate_codes(code_of(count.candidates[i]));
          }
          ct->set_shortfall_coverable(static_cast<int64_t>(count.candidates.size()) >= shortfall);
          ct->set_note(CountNote(shortfall, ct->candidates(), t.unit()));
        } else if (t.metric() == tv1::METRIC_CLUSTER_REVENUE_GROWTH) {
          ct->set_source(uplift::tasks::CountedByLabel(tv1::COUNTED_BY_INDICATORS));
          has_figure = response.overall_growth().defined();
          ct->set_achieved(response.overall_growth().growth_bp());
          ct->set_note(!has_figure ? "暂无可比数据"
                       : ct->achieved() >= t.value()
                           ? "已达到目标"
                           : absl::StrFormat("低于目标%.2f个百分点", (t.value() - ct->achieved()) / 100.0));
        } else {
          ct->set_source(uplift::tasks::CountedByLabel(tv1::COUNTED_BY_UNIT_REPORTS));
          auto it = unit_sums.find(t.target_id());
          has_figure = it != unit_sums.end();
          ct->set_achieved(has_figure ? it->second : 0);
          const int64_t shortfall = std::max<int64_t>(0, t.value() - ct->achieved());
          if (!uplift::tasks::IsRateMetric(t.metric())) ct->set_shortfall(static_cast<int32_t>(shortfall));
          ct->set_note(!has_figure ? "责任单位尚未报送" : shortfall == 0 ? "已完成" : "");
        }
        ct->set_met(has_figure && ct->achieved() >= t.value());
        ct->set_behind(!ct->met() && has_figure && ct->achieved() < ct->expected_now());
        if (!has_figure && !uplift::tasks::IsRateMetric(t.metric())) {
          ct->set_behind(ct->expected_now() > 0);
        }
      }
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetTargetProgressResponse> IndicatorsService::GetTargetProgress(
    const Principal& who, const v1::GetTargetProgressRequest& req) {
  RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  absl::CivilMonth period = CurrentMonth();
  if (!req.period().empty()) {
    ASSIGN_OR_RETURN(period, ParsePeriod("period", req.period()));
  }
  ASSIGN_OR_RETURN(const tv1::Plan plan, tasks_->GetPlan(AsCaller(who), req.plan_id()));
  if (req.period().empty() && period.year() > plan.year()) period = absl::CivilMonth(plan.year(), 12);
  return Progress(plan, period);
}

absl::StatusOr<std::vector<v1::TownshipScore>> IndicatorsService::Ranking(const Quarter& quarter) {
  const absl::CivilMonth now = CurrentMonth();
  if (absl::CivilMonth(quarter.year, quarter.first_month()) > now) {
    return FieldError("quarter", absl::StrCat(quarter.ToString(), " has not begun"));
  }
  const absl::CivilMonth last = std::min(quarter.last_period(), now);
  const absl::CivilDay as_of = std::min(LastDay(last), ShanghaiDay(clock_->Now()));
  const absl::CivilDay year_start(quarter.year, 1, 1);
  std::vector<v1::TownshipScore> scores;
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    ASSIGN_OR_RETURN(
        const std::vector<GroupTotals> groups,
        Aggregate(data, {quarter.year, quarter.first_month(), last.month(), Grouping::kTownship}));
    std::map<int, const GroupTotals*> by_township;
    for (const GroupTotals& g : groups) by_township[g.township] = &g;
    std::map<int, int> new_above_size, new_awards;
    for (int e = 0; e < data.enterprise_count(); ++e) {
      const EnterpriseInfo& info = data.enterprise(e);
      if (info.above_size && info.above_size_since.has_value() && *info.above_size_since >= year_start &&
          *info.above_size_since <= as_of) {
        ++new_above_size[info.township];
      }
    }
    for (const AwardFact& a : data.awards()) {
      if (a.awarded_on.year() == quarter.year && a.StandsOn(as_of)) {
        ++new_awards[data.enterprise(a.enterprise).township];
      }
    }
    std::vector<TownshipMeasures> measures;
    for (int u = 0; u < static_cast<int>(data.units().size()); ++u) {
      if (!data.units()[u].IsTerritorial()) continue;
      TownshipMeasures m;
      m.township_id = data.units()[u].unit_id;
      auto it = by_township.find(u);
      const GroupTotals empty;
      const GroupTotals& g = it == by_township.end() ? empty : *it->second;
      // No figures for the quarter: no data, so the township is not ranked (RankTownships).
      if (g.reported_in_window == 0) {
        measures.push_back(std::move(m));
        continue;
      }
      bool defined = false;
      const int64_t bp = g.ytd_growth.basis_points(&defined);
      if (defined) m.values[v1::RANKING_MEASURE_REVENUE_GROWTH] = static_cast<double>(bp);
      m.values[v1::RANKING_MEASURE_REVENUE] = static_cast<double>(g.ytd.revenue_fen);
      if (g.ytd.land_centi_mu > 0) {
        m.values[v1::RANKING_MEASURE_TAX_PER_MU] =
            static_cast<double>(PerMuAnnualised(g.ytd.tax_fen, last.month(), g.ytd.land_centi_mu));
      }
      m.values[v1::RANKING_MEASURE_NEW_ABOVE_SIZE] = new_above_size[u];
      m.values[v1::RANKING_MEASURE_NEW_AWARDS] = new_awards[u];
      if (g.enterprises > 0) {
        m.values[v1::RANKING_MEASURE_REPORTING_RATE] = static_cast<double>(g.reporting) / g.enterprises;
      }
      measures.push_back(std::move(m));
    }
    auto code_of = [&data](int e) { return data.enterprise(e).credit_code; };
    for (const RankedTownship& r : RankTownships(config_.rules.ranking(), measures)) {
      const int u = *data.FindUnit(r.township_id);
      auto it = by_township.find(u);
      v1::TownshipScore s;
      s.set_township_id(r.township_id);
      s.set_township_name(data.units()[u].name);
      s.set_rank(r.rank);
      s.set_score(r.score);
      s.set_points(r.points);
      for (const auto& [label, part] : r.parts) (*s.mutable_parts())[label] = part;
      if (it != by_township.end()) {
        *s.mutable_ytd_growth() = it->second->ytd_growth.ToProto(code_of);
        s.set_enterprises(it->second->enterprises);
        s.set_reporting(it->second->reporting);
      }
      s.set_new_above_size(new_above_size[u]);
      s.set_new_awards(new_awards[u]);
      scores.push_back(std::move(s));
    }
    return absl::OkStatus();
  }));
  return scores;
}

absl::StatusOr<v1::GetTownshipRankingResponse> IndicatorsService::GetTownshipRanking(
    const Principal& who, const v1::GetTownshipRankingRequest& req) {
  ASSIGN_OR_RETURN(const Quarter quarter, ParseQuarter("quarter", req.quarter()));
  ASSIGN_OR_RETURN(std::vector<v1::TownshipScore> scores, Ranking(quarter));
  v1::GetTownshipRankingResponse response;
  response.set_quarter(quarter.ToString());
  for (v1::TownshipScore& s : scores) *response.add_townships() = std::move(s);
  response.set_rules(DescribeRankingRules(config_.rules.ranking()));
  return response;
}

}  // namespace uplift::indicators

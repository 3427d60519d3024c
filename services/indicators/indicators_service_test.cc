// The indicator service's logic on an in-memory database, a manual clock and
// a fake tasks service holding the shipped Xinle plan: bad input, corrections
// and the audit log, bulk import, aggregates on a comparable basis, counted
// targets from registry and tasks events, month closing with its events and
// alerts, efficiency, ranking, the dispatch report and the bulletin.
#include <limits>

#include "absl/strings/escaping.h"
#include "services/indicators/indicators_service_test_fixture.h"
#include "services/tasks/xinle_plan_testdata.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::indicators {
namespace {

TEST_P(IndicatorsServiceTest, BadInputIsRefusedNamingTheFieldAndNothingIsStored) {
  struct Case {
    std::function<absl::StatusOr<v1::SubmitReportResponse>()> call;
    absl::StatusCode code;
    std::string names;
  };
  v1::Figures negative = Money(100);
  negative.set_tax_fen(-1);
  v1::Figures absurd = Money(100);
  absurd.set_employees(10'000'000);
  const std::vector<Case> cases = {
      {[&] { return Submit(0, "2023-09", negative, admin_); }, absl::StatusCode::kInvalidArgument,
       "report.figures.tax_fen"},
      {[&] { return Submit(0, "2023-09", absurd, admin_); }, absl::StatusCode::kInvalidArgument,
       "report.figures.employees"},
      {[&] { return Submit(0, "2023-09", Money(-5), admin_); }, absl::StatusCode::kInvalidArgument,
       "report.figures.revenue_fen"},
      {[&] { return Submit(99, "2023-09", Money(100), admin_); }, absl::StatusCode::kNotFound,
       "report.credit_code"},
      {[&] { return Submit(0, "2023-11", Money(100), admin_); }, absl::StatusCode::kInvalidArgument,
       "report.period: 2023-11 is in the future"},
      {[&] { return Submit(0, "2023-13", Money(100), admin_); }, absl::StatusCode::kInvalidArgument,
       "report.period"},
      {[&] { return Submit(0, "202309", Money(100), admin_); }, absl::StatusCode::kInvalidArgument,
       "report.period"},
      // Enterprise 1 is in town-b.
      {[&] { return Submit(1, "2023-09", Money(100), town_a_); }, absl::StatusCode::kPermissionDenied,
       "report.credit_code: enterprise"},
      {[&] { return Submit(0, "2023-09", Money(100), Who(av1::ROLE_VIEWER, "")); },
       absl::StatusCode::kPermissionDenied, "may not call SubmitReport"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::SubmitReportResponse> r = c.call();
    EXPECT_EQ(r.status().code(), c.code) << r.status();
    EXPECT_NE(r.status().message().find(c.names), std::string::npos) << r.status();
  }
  v1::SubmitReportRequest bad_code;
  bad_code.mutable_report()->set_credit_code("91130184MA0000000X");
  bad_code.mutable_report()->set_period("2023-09");
  EXPECT_NE(service_->SubmitReport(admin_, bad_code).status().message().find("report.credit_code"),
            std::string::npos);
  v1::GetReportRequest get;
  get.set_credit_code(TestCreditCode(0));
  get.set_period("2023-09");
  EXPECT_EQ(service_->GetReport(admin_, get).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(service_->ListAuditRecords(admin_, {})->records_size(), 0);
}

TEST_P(IndicatorsServiceTest, ListReportsGivesAnEnterprisesMonthsInARangeOldestFirst) {
  ASSERT_TRUE(Submit(0, "2023-09", Money(1200000), town_a_).ok());
  ASSERT_TRUE(Submit(0, "2023-07", Money(900000), town_a_).ok());
  ASSERT_TRUE(Submit(0, "2022-07", Money(800000), town_a_).ok());
  v1::ListReportsRequest list;
  list.set_credit_code(TestCreditCode(0));
  list.set_from_period("2023-01");
  list.set_to_period("2023-12");
  auto months = service_->ListReports(town_a_, list);
  ASSERT_TRUE(months.ok()) << months.status();
  ASSERT_EQ(months->reports_size(), 2);
  EXPECT_EQ(months->reports(0).period(), "2023-07");
  EXPECT_EQ(months->reports(1).figures().revenue_fen(), 1200000);
  EXPECT_FALSE(months->reports(1).enterprise_name().empty());
  EXPECT_EQ(service_->ListReports(Who(av1::ROLE_TOWNSHIP, "town-b"), list).status().code(),
            absl::StatusCode::kPermissionDenied);
  list.set_to_period("2026-01");
  EXPECT_NE(service_->ListReports(admin_, list).status().message().find("to_period:"),
            std::string::npos);
  list.set_to_period("2022-12");
  EXPECT_NE(service_->ListReports(admin_, list).status().message().find("to_period:"),
            std::string::npos);
}

TEST_P(IndicatorsServiceTest, AResubmissionCorrectsAndTheAuditLogKeepsTheEarlierFigures) {
  auto first = Submit(0, "2023-09", Money(1000000), town_a_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->corrected());
  EXPECT_EQ(first->report().township_id(), "town-a");
  EXPECT_EQ(first->report().submitted_by(), "承安镇专班");
  auto same = Submit(0, "2023-09", Money(1000000), town_a_);
  EXPECT_FALSE(same->corrected());
  auto fixed = Submit(0, "2023-09", Money(1200000), owner_);
  ASSERT_TRUE(fixed.ok());
  EXPECT_TRUE(fixed->corrected());
  v1::GetReportRequest get;
  get.set_credit_code(TestCreditCode(0));
  get.set_period("2023-09");
  EXPECT_EQ(service_->GetReport(town_a_, get)->report().figures().revenue_fen(), 1200000);
  // Township b may not read town-a's enterprise.
  EXPECT_EQ(service_->GetReport(Who(av1::ROLE_TOWNSHIP, "town-b"), get).status().code(),
            absl::StatusCode::kPermissionDenied);

  auto audit = service_->ListAuditRecords(admin_, {});
  ASSERT_EQ(audit->records_size(), 2);  // the unchanged resubmission changed nothing
  EXPECT_EQ(audit->records(0).action(), "CorrectReport");
  EXPECT_NE(audit->records(0).before_json().find("\"revenue_fen\":\"1000000\""), std::string::npos)
      << audit->records(0).before_json();
  EXPECT_NE(audit->records(0).after_json().find("\"revenue_fen\":\"1200000\""), std::string::npos);
  EXPECT_EQ(audit->records(1).action(), "SubmitReport");
}

TEST_P(IndicatorsServiceTest, ImportKeepsGoodRowsAndListsEachBadOneWithItsLine) {
  v1::ImportReportsRequest batch;
  auto add = [&](int line, int n, const std::string& period, int64_t revenue) {
    v1::ReportRow* row = batch.add_rows();
    row->set_line(line);
    row->mutable_report()->set_credit_code(TestCreditCode(n));
    row->mutable_report()->set_period(period);
    *row->mutable_report()->mutable_figures() = Money(revenue);
  };
  add(2, 0, "2023-07", 100);
  add(3, 0, "2023-08", 100);
  add(4, 42, "2023-08", 100);   // unknown enterprise
  add(5, 2, "2023-08", -1);     // negative
  add(6, 2, "2023-09", 100);
  v1::ImportReportsResponse tally;
  ASSERT_TRUE(service_->ImportBatch(admin_, batch, &tally).ok());
  EXPECT_EQ(tally.received(), 5);
  EXPECT_EQ(tally.stored(), 3);
  EXPECT_EQ(tally.error_count(), 2);
  ASSERT_EQ(tally.errors_size(), 2);
  EXPECT_EQ(tally.errors(0).line(), 4);
  EXPECT_EQ(tally.errors(0).code(), "NOT_FOUND");
  EXPECT_EQ(tally.errors(1).line(), 5);
  EXPECT_NE(tally.errors(1).message().find("report.figures.revenue_fen"), std::string::npos);
  // The same file again: nothing new, nothing corrected.
  v1::ImportReportsResponse again;
  ASSERT_TRUE(service_->ImportBatch(admin_, batch, &again).ok());
  EXPECT_EQ(again.stored(), 0);
  EXPECT_EQ(again.unchanged(), 3);
  // A township imports only its own enterprises: the others' rows are refused.
  v1::ImportReportsResponse town;
  ASSERT_TRUE(service_->ImportBatch(town_a_, batch, &town).ok());
  EXPECT_EQ(town.unchanged(), 3);  // enterprises 0 and 2 are in town-a
  EXPECT_EQ(town.error_count(), 2);
}

TEST_P(IndicatorsServiceTest, AnotherReplicasWritesReachThisReplicasWorkingSet) {
  // A second replica on the same database, its working set loaded before
  // the first one writes.
  IndicatorsConfig config;
  config.rules = DefaultRules();
  config.service_token = "service-token";
  IndicatorsService other(db_.get(), &clock_, &tasks_, config);
  v1::GetAggregatesRequest req;
  req.set_period("2023-09");
  req.set_group_by(v1::GROUP_BY_CLUSTER);
  auto before = other.GetAggregates(owner_, req);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->total().reporting(), 0);
  // Through the first replica: a report, and an enterprise the registry
  // announced since, with its report.
  Months(0, 2023, 9, 1000000);
  Enterprise(6, "food", "town-a");
  Months(6, 2023, 9, 3000000);
  auto after = other.GetAggregates(owner_, req);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->total().reporting(), 2);
  EXPECT_EQ(after->total().month().revenue_fen(), 1000009 + 3000009);
  ASSERT_EQ(after->rows_size(), 2);
  EXPECT_EQ(after->rows(0).month().revenue_fen(), 1000009) << "装备制造";
  EXPECT_EQ(after->rows(1).month().revenue_fen(), 3000009) << "食品, the new enterprise's";
}

TEST_P(IndicatorsServiceTest, AggregatesCompareOnlyEnterprisesThatReportedInBothYears) {
  // Enterprises 0 and 1 reported both years; 2 only this year; 3 only last year.
  Months(0, 2022, 9, 1000000);
  Months(0, 2023, 9, 1120000);
  Months(1, 2022, 9, 2000000);
  Months(1, 2023, 9, 2000000);
  Months(2, 2023, 9, 5000000);
  Months(3, 2022, 9, 3000000);
  v1::GetAggregatesRequest req;
  req.set_period("2023-09");
  req.set_group_by(v1::GROUP_BY_CLUSTER);
  auto agg = service_->GetAggregates(owner_, req);
  ASSERT_TRUE(agg.ok()) << agg.status();
  const v1::AggregateRow& total = agg->total();
  EXPECT_EQ(total.reporting(), 3) << "0, 1 and 2 reported September";
  EXPECT_EQ(total.month().revenue_fen(), 1120009 + 2000009 + 5000009);
  int64_t ytd = 0;
  for (int m = 1; m <= 9; ++m) ytd += (1120000 + m) + (2000000 + m) + (5000000 + m);
  EXPECT_EQ(total.year_to_date().revenue_fen(), ytd);
  const v1::Growth& g = total.ytd_growth();
  EXPECT_EQ(g.compared(), 2);
  EXPECT_EQ(g.new_entrants(), 1);
  EXPECT_EQ(g.missing(), 1);
  EXPECT_EQ(g.new_entrant_codes(0), TestCreditCode(2));
  EXPECT_EQ(g.missing_codes(0), TestCreditCode(3));
  int64_t cur = 0, prev = 0;
  for (int m = 1; m <= 9; ++m) {
    cur += (1120000 + m) + (2000000 + m);
    prev += (1000000 + m) + (2000000 + m);
  }
  EXPECT_EQ(g.current_fen(), cur);
  EXPECT_EQ(g.previous_fen(), prev);
  bool defined = false;
  EXPECT_EQ(g.growth_bp(), GrowthBasisPoints(cur, prev, &defined));
  // By cluster: equipment holds 0, 1, 2; food holds 3 (missing) and 4, 5 (nothing).
  ASSERT_EQ(agg->rows_size(), 2);
  EXPECT_EQ(agg->rows(0).cluster_name(), "装备制造产业集群");
  EXPECT_EQ(agg->rows(0).ytd_growth().compared(), 2);
  EXPECT_EQ(agg->rows(1).cluster_id(), "food");
  EXPECT_FALSE(agg->rows(1).ytd_growth().defined());
  EXPECT_EQ(agg->rows(1).ytd_growth().missing(), 1);
  // By township and filtered.
  req.set_group_by(v1::GROUP_BY_CLUSTER_TOWNSHIP);
  req.set_cluster_id("equipment");
  auto by_town = service_->GetAggregates(owner_, req);
  ASSERT_EQ(by_town->rows_size(), 2);
  EXPECT_EQ(by_town->rows(0).township_name(), "承安镇");
  EXPECT_EQ(by_town->rows(0).reporting(), 2);  // enterprises 0 and 2
  req.set_cluster_id("nope");
  EXPECT_NE(service_->GetAggregates(owner_, req).status().message().find("cluster_id"), std::string::npos);
}

TEST_P(IndicatorsServiceTest, TierTargetsFollowAwardsAndRevocationsWithTheirCandidates) {
  Award(0, rv1::TIER_SPECIALIZED_SME, "2023-06-01", "a1");
  Award(1, rv1::TIER_SPECIALIZED_SME, "2023-07-01", "a2");
  Award(1, rv1::TIER_SPECIALIZED_SME, "2023-07-01", "a2", "2023-09-10");  // revoked
  Award(2, rv1::TIER_INNOVATIVE_SME, "2022-01-01", "a3");
  v1::GetTargetProgressRequest req;
  req.set_plan_id("xinle-2023");
  req.set_period("2023-08");
  auto august = service_->GetTargetProgress(owner_, req);
  ASSERT_TRUE(august.ok()) << august.status();
  EXPECT_EQ(Target(*august, "new-specialized-sme")->achieved(), 2);
  req.set_period("2023-09");
  auto september = service_->GetTargetProgress(owner_, req);
  const v1::CountedTarget* sme = Target(*september, "new-specialized-sme");
  ASSERT_NE(sme, nullptr);
  EXPECT_EQ(sme->achieved(), 1);
  ASSERT_EQ(sme->credit_codes_size(), 1);
  EXPECT_EQ(sme->credit_codes(0), TestCreditCode(0));
  EXPECT_EQ(sme->shortfall(), 5);
  EXPECT_EQ(sme->candidates(), 1);  // enterprise 2, an innovative SME; 1 lost its award
  EXPECT_FALSE(sme->shortfall_coverable());
  EXPECT_NE(sme->note().find("无法补足"), std::string::npos) << sme->note();
  EXPECT_TRUE(sme->behind());  // the pace by the end of September is 3
  EXPECT_EQ(sme->expected_now(), 3);
  EXPECT_EQ(sme->responsible_unit_ids(0), "dept-kgx");
}

TEST_P(IndicatorsServiceTest, UnitReportedFiguresSumAndAReplacementReplaces) {
  auto progress = [&](const std::string& unit, const std::string& period, int64_t firms,
                      bool replaced) {
    uplift::tasks::v1::ProgressReported p;
    p.set_replaced(replaced);
    p.mutable_report()->set_plan_id("xinle-2023");
    p.mutable_report()->set_task_id("2.4.1");
    p.mutable_report()->set_unit_id(unit);
    p.mutable_report()->set_period(period);
    auto* f = p.mutable_report()->add_figures();
    f->set_target_id("tqm-strengthened");
    f->set_value(firms);
    Tasks(p);
  };
  progress("dept-scj", "2023-06", 1, false);
  progress("dept-fgj", "2023-07", 2, false);
  progress("dept-fgj", "2023-07", 1, true);   // corrected down
  progress("dept-scj", "2023-10", 5, false);  // after the as-of month
  v1::GetTargetProgressRequest req;
  req.set_plan_id("xinle-2023");
  req.set_period("2023-09");
  auto p = service_->GetTargetProgress(owner_, req);
  const v1::CountedTarget* tqm = Target(*p, "tqm-strengthened");
  EXPECT_EQ(tqm->achieved(), 2);
  EXPECT_EQ(tqm->source(), "责任单位月报");
  EXPECT_EQ(Target(*p, "quality-system-built")->note(), "责任单位尚未报送");
}

TEST_P(IndicatorsServiceTest, ClosingAMonthPublishesProgressAndAlertsOnce) {
  Months(0, 2022, 9, 1000000);
  Months(0, 2023, 9, 1050000);  // +5 %: below 12 %
  Award(0, rv1::TIER_SPECIALIZED_SME, "2023-06-01", "a1");
  v1::ClosePeriodRequest req;
  req.set_plan_id("xinle-2023");
  req.set_period("2023-10");
  EXPECT_EQ(service_->ClosePeriod(owner_, req).status().code(), absl::StatusCode::kFailedPrecondition);
  req.set_period("2023-09");
  EXPECT_EQ(service_->ClosePeriod(town_a_, req).status().code(), absl::StatusCode::kPermissionDenied);
  auto closed = service_->ClosePeriod(owner_, req);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_FALSE(closed->already_closed());
  int targets = 0;  // one TargetProgressChanged per target of the plan
  for (const tv1::Task& t : tasks_.plan.tasks()) targets += t.targets_size();
  EXPECT_EQ(closed->progress_events(), targets);
  EXPECT_EQ(OutboxCount("uplift:events:indicators", "uplift.indicators.v1.TargetProgressChanged"), targets);
  const std::vector<v1::IndicatorAlert> alerts = Alerts();
  EXPECT_EQ(closed->alerts(), static_cast<int>(alerts.size()));
  bool sme = false, growth = false, cluster = false;
  for (const v1::IndicatorAlert& a : alerts) {
    if (a.target_id() == "new-specialized-sme") {
      sme = true;
      EXPECT_EQ(a.achieved(), 1);
      EXPECT_EQ(a.expected(), 3);
      EXPECT_EQ(a.recipient_unit_ids(0), "dept-kgx");
      EXPECT_EQ(a.period(), "2023-09");
    }
    if (a.target_id() == "cluster-revenue-growth" && a.title().find("装备制造") != std::string::npos) {
      cluster = true;
      EXPECT_EQ(a.achieved(), 500);
      EXPECT_EQ(std::vector<std::string>(a.recipient_unit_ids().begin(), a.recipient_unit_ids().end()),
                (std::vector<std::string>{"dept-kgx", "leader-eq"}));
    } else if (a.target_id() == "cluster-revenue-growth") {
      growth = true;
    }
  }
  EXPECT_TRUE(sme);
  EXPECT_TRUE(cluster);
  EXPECT_TRUE(growth) << "the overall growth target is behind too";
  auto again = service_->ClosePeriod(owner_, req);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_closed());
  EXPECT_EQ(again->alerts(), closed->alerts());
  EXPECT_EQ(Alerts().size(), alerts.size());
  EXPECT_EQ(OutboxCount("uplift:events:indicators", "uplift.indicators.v1.TargetProgressChanged"), targets);
}

TEST_P(IndicatorsServiceTest, TheSweepClosesTheLastMonthDueAndPublishesOnlyChanges) {
  uplift::tasks::v1::PlanApplied applied;
  applied.set_plan_id("xinle-2023");
  applied.set_year(2023);
  Tasks(applied);
  auto first = service_->Sweep();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->closed, 1);  // September, due 5 October
  auto second = service_->Sweep();
  EXPECT_EQ(second->closed, 0);
  EXPECT_EQ(second->progress_events, 0);
  Award(3, rv1::TIER_HIGH_TECH, "2023-10-09", "h1");
  auto third = service_->Sweep();
  EXPECT_EQ(third->progress_events, 1);  // new-high-tech moved
}

TEST_P(IndicatorsServiceTest, EfficiencyGradesAndTheTownshipRanking) {
  // Nine months: enterprise 0 pays 2万元 tax a month on 10 mu (2.4万/mu a year).
  Months(0, 2023, 9, 50000000, 2000000, 1000);
  Months(1, 2023, 9, 1000000, 10000, 5000);
  Months(2, 2023, 9, 1000000, 10000, 0);  // no land: not graded
  Months(0, 2022, 9, 40000000);
  Months(1, 2022, 9, 1100000);
  v1::GetEfficiencyRequest req;
  req.set_period("2023-09");
  auto eff = service_->GetEfficiency(owner_, req);
  ASSERT_TRUE(eff.ok()) << eff.status();
  ASSERT_EQ(eff->rows_size(), 3);
  EXPECT_EQ(eff->rows(0).credit_code(), TestCreditCode(0));
  EXPECT_EQ(eff->rows(0).grade(), "A");
  EXPECT_EQ(eff->rows(0).tax_per_mu_fen(), 2400000);
  EXPECT_EQ(eff->rows(0).months(), 9);
  EXPECT_EQ(eff->rows(0).township_name(), "承安镇");
  EXPECT_EQ(eff->grade_counts().at("A"), 1);
  EXPECT_EQ(eff->grade_counts().at("D"), 1);
  EXPECT_EQ(eff->grade_counts().at("未评价"), 1);
  auto town = service_->GetEfficiency(town_a_, req);
  EXPECT_EQ(town->rows_size(), 2);  // only town-a's enterprises 0 and 2
  req.set_township_id("town-b");
  EXPECT_EQ(service_->GetEfficiency(town_a_, req).status().code(), absl::StatusCode::kPermissionDenied);

  v1::GetTownshipRankingRequest rank;
  rank.set_quarter("2023-Q3");
  auto ranking = service_->GetTownshipRanking(owner_, rank);
  ASSERT_TRUE(ranking.ok()) << ranking.status();
  ASSERT_EQ(ranking->townships_size(), 2);
  EXPECT_EQ(ranking->townships(0).township_id(), "town-a");  // grew 25 %; town-b fell
  EXPECT_EQ(ranking->townships(0).points(), 3);
  EXPECT_EQ(ranking->townships(1).rank(), 2);
  EXPECT_FALSE(ranking->rules().empty());
  rank.set_quarter("2023-Q4");  // under way, nobody has reported a month of it
  auto no_data = service_->GetTownshipRanking(owner_, rank);
  ASSERT_TRUE(no_data.ok()) << no_data.status();
  ASSERT_EQ(no_data->townships_size(), 2);
  for (const v1::TownshipScore& s : no_data->townships()) {
    EXPECT_EQ(s.rank(), 0) << s.township_id();  // not ranked, no points, no deduction
    EXPECT_EQ(s.points(), 0) << s.township_id();
  }
  rank.set_quarter("2024-Q1");
  EXPECT_NE(service_->GetTownshipRanking(owner_, rank).status().message().find("quarter"), std::string::npos);
  rank.set_quarter("2023-Q5");
  EXPECT_EQ(service_->GetTownshipRanking(owner_, rank).status().code(), absl::StatusCode::kInvalidArgument);
}

// 升规入统 from a project (新建投产入统): the registry marks the enterprise
// above size from its 入统 day and publishes AboveSizeReached; the township
// counts it as a new above-size enterprise from that day's quarter on.
TEST_P(IndicatorsServiceTest, AnEnterpriseReachingAboveSizeCountsForItsTownshipFromThatDay) {
  rv1::AboveSizeReached reached;
  reached.set_since("2023-07-10");
  rv1::Enterprise* after = reached.mutable_after();
  after->set_credit_code(TestCreditCode(2));
  after->set_name("企业2");
  after->set_cluster_id("equipment");
  after->set_township_id("town-a");
  after->set_above_size(true);
  after->set_above_size_since("2023-07-10");
  *reached.mutable_enterprise()->mutable_credit_code() = after->credit_code();
  Registry(reached);
  auto new_above_size = [&](const std::string& quarter) {
    v1::GetTownshipRankingRequest rank;
    rank.set_quarter(quarter);
    auto ranking = service_->GetTownshipRanking(owner_, rank);
    EXPECT_TRUE(ranking.ok()) << ranking.status();
    std::map<std::string, int> by_township;
    if (ranking.ok()) {
      for (const v1::TownshipScore& s : ranking->townships())
        by_township[s.township_id()] = s.new_above_size();
    }
    return by_township;
  };
  EXPECT_EQ(new_above_size("2023-Q2"), (std::map<std::string, int>{{"town-a", 0}, {"town-b", 0}}));
  EXPECT_EQ(new_above_size("2023-Q3"), (std::map<std::string, int>{{"town-a", 1}, {"town-b", 0}}));
}

// 重点项目: the projects arrive on uplift:events:projects; the dispatch
// report sums their investment by cluster and township for the month and
// the year to date, lists the one behind its pace (red, named in 落后通报)
// and the milestone due next month. A stale project state is not applied.
TEST_P(IndicatorsServiceTest, TheDispatchReportHasAProjectSectionFromTheProjectEvents) {
  auto project = [](const std::string& id, const std::string& name, const std::string& township,
                    int64_t planned_wan) {
    tv1::Project p;
    p.set_project_id(id);
    p.set_name(name);
    p.set_year(2023);
    p.set_cluster_id("equipment");
    p.set_cluster_name("装备制造产业集群");
    p.set_township_id(township);
    p.set_township_name(township == "town-a" ? "承安镇" : "化皮镇");
    p.set_department_name("市发展改革局");
    p.set_phase(tv1::PROJECT_PHASE_CONSTRUCTION);
    p.set_total_investment_fen(planned_wan * 3 * 1000000LL);
    p.set_planned_investment_fen(planned_wan * 1000000LL);
    p.mutable_update_time()->set_seconds(1000);
    return p;
  };
  tv1::ProjectChanged a;
  *a.mutable_project() = project("pj-00000000000a", "智能装备产业园项目", "town-a", 1200);
  tv1::ProjectMilestone* due = a.mutable_project()->add_milestones();
  due->set_kind(tv1::MILESTONE_KIND_IN_PRODUCTION);
  due->set_planned_on("2023-10-20");
  Tasks(a);
  tv1::ProjectChanged b;
  *b.mutable_project() = project("pj-00000000000b", "食品冷链物流项目", "town-b", 2400);
  Tasks(b);
  auto month = [&](const tv1::ProjectChanged& of, const std::string& period, int64_t wan) {
    tv1::ProjectProgressReported r;
    *r.mutable_project() = of.project();
    r.mutable_project()->mutable_update_time()->set_seconds(2000);
    r.mutable_progress()->set_project_id(of.project().project_id());
    r.mutable_progress()->set_period(period);
    r.mutable_progress()->set_investment_fen(wan * 1000000LL);
    Tasks(r);
  };
  month(a, "2023-08", 400);
  month(a, "2023-09", 500);  // 900万 by September of a 1200万 plan: on pace
  month(b, "2023-09", 300);  // 300万 of 1800万 due by September: red
  month(b, "2023-10", 900);  // after the period: not in September's report
  tv1::ProjectChanged stale = b;
  stale.mutable_project()->set_name("旧名称");
  Tasks(stale);  // update_time 1000 < 2000: the newer state stays

  v1::GenerateDispatchReportRequest d;
  d.set_plan_id("xinle-2023");
  d.set_period("2023-09");
  auto dispatch = service_->GenerateDispatchReport(owner_, d);
  ASSERT_TRUE(dispatch.ok()) << dispatch.status();
  const std::string& md = dispatch->report().markdown();
  for (const char* expected :
       {"## 七、重点项目", "项目台账共有2023年项目2个（在建2个）", "总投资1.08亿元",
        "年度计划投资3600.00万元", "9月完成投资800.00万元", "1-9月累计完成1200.00万元",
        "占年度计划的33.3%", "亮红灯项目1个", "食品冷链物流项目",
        "年度投资完成300.00万元，按进度应完成1800.00万元", "下月（10月）计划节点",
        "亮红灯的重点项目: 食品冷链物流项目", "## 八、落后通报"}) {
    EXPECT_NE(md.find(expected), std::string::npos) << expected << "\n" << md;
  }
  EXPECT_EQ(md.find("旧名称"), std::string::npos) << md;
  // The tables as data: each section's rows.
  auto rows = [&](const std::string& title) {
    std::vector<std::vector<std::string>> out;
    for (const v1::ReportSection& section : dispatch->report().sections()) {
      if (section.title() != title) continue;
      for (const v1::ReportLine& line : section.lines()) {
        out.emplace_back(line.cells().begin(), line.cells().end());
      }
    }
    return out;
  };
  using Row = std::vector<std::string>;
  EXPECT_EQ(rows("重点项目（按集群）"),
            (std::vector<Row>{{"装备制造产业集群", "2", "3600.00", "800.00", "1200.00", "33.3%"},
                              {"合计", "2", "3600.00", "800.00", "1200.00", "33.3%"}}));
  EXPECT_EQ(rows("重点项目（按乡镇）"),
            (std::vector<Row>{{"化皮镇", "1", "2400.00", "300.00", "300.00", "12.5%"},
                              {"承安镇", "1", "1200.00", "500.00", "900.00", "75.0%"}}));
  ASSERT_EQ(rows("进度滞后的项目").size(), 1u) << "the one on pace is not behind";
  EXPECT_EQ(rows("进度滞后的项目")[0][0], "食品冷链物流项目");
  EXPECT_EQ(
      rows("下月（10月）计划节点"),
      (std::vector<Row>{{"智能装备产业园项目", "投产", "2023-10-20", "市发展改革局", "承安镇"}}));
}

TEST_P(IndicatorsServiceTest, TheDispatchAndTheBulletinNameTheLaggards) {
  Months(0, 2022, 9, 1000000);
  Months(0, 2023, 9, 1200000);
  Months(1, 2022, 9, 2000000);
  Months(1, 2023, 8, 1000000);  // halved, and no September report
  // Problems as uplift-tasks counts them: town-a holds two overdue.
  tv1::ProblemTally* town = tasks_.problem_statistics.add_townships();
  town->set_unit_id("town-a");
  town->set_unit_name("承安镇");
  town->set_total(3);
  town->set_open(2);
  town->set_overdue(2);
  tasks_.problem_statistics.mutable_county()->set_total(3);
  tv1::LongOpenProblem* open = tasks_.problem_statistics.add_longest_open();
  open->set_title("扩建用地指标不足");
  open->set_enterprise_name("企业0");
  v1::GenerateDispatchReportRequest d;
  d.set_plan_id("xinle-2023");
  d.set_period("2023-09");
  auto dispatch = service_->GenerateDispatchReport(owner_, d);
  ASSERT_TRUE(dispatch.ok()) << dispatch.status();
  const std::string& md = dispatch->report().markdown();
  EXPECT_NE(md.find("# 2023年9月县域特色产业集群工作调度"), std::string::npos);
  EXPECT_NE(md.find("装备制造产业集群"), std::string::npos);
  EXPECT_NE(md.find("营业收入降幅超过10.00%的企业1家: 企业1"), std::string::npos) << md;
  EXPECT_NE(md.find("9月未报送数据的企业5家"), std::string::npos) << md;
  EXPECT_NE(md.find("未按时报送月度进展的单位: dept-mzj"), std::string::npos) << md;
  EXPECT_NE(md.find("进度滞后或逾期的任务: 二(五)1提升服务能力"), std::string::npos) << md;
  EXPECT_NE(md.find("全年举办服务活动5场次以上"), std::string::npos);
  EXPECT_GE(dispatch->report().sections_size(), 6);
  // September is past (today is 15 October): its tasks as they stood then.
  EXPECT_EQ(tasks_.as_of_asked.back(), "2023-09-30");
  EXPECT_NE(md.find("督办状态为2023-09-30日终时的状态"), std::string::npos) << md;
  // 问题办理情况: September's problems as they stood at its end, town-a red.
  EXPECT_EQ(tasks_.windows_asked.back(), "2023-09-01..2023-09-30");
  EXPECT_NE(md.find("## 六、问题办理情况"), std::string::npos) << md;
  EXPECT_NE(md.find("累计受理企业问题3个"), std::string::npos) << md;
  EXPECT_NE(md.find("扩建用地指标不足"), std::string::npos) << md;
  EXPECT_NE(md.find("问题办理亮红灯的单位: "), std::string::npos) << md;
  EXPECT_NE(md.find("## 八、落后通报"), std::string::npos) << md;
  d.set_period("2023-10");
  ASSERT_TRUE(service_->GenerateDispatchReport(owner_, d).ok());
  EXPECT_EQ(tasks_.as_of_asked.back(), "") << "the month under way: as they stand now";
  EXPECT_EQ(tasks_.windows_asked.back(), "2023-10-01..2023-10-15") << "to today";

  v1::GenerateBulletinRequest b;
  b.set_plan_id("xinle-2023");
  b.set_quarter("2023-Q3");
  auto bulletin = service_->GenerateBulletin(owner_, b);
  ASSERT_TRUE(bulletin.ok()) << bulletin.status();
  const std::string& bmd = bulletin->report().markdown();
  EXPECT_NE(bmd.find("# 2023年第三季度县域特色产业集群工作通报"), std::string::npos);
  EXPECT_NE(bmd.find("## 五、乡镇排名"), std::string::npos);
  EXPECT_NE(bmd.find("## 六、亩均效益评价"), std::string::npos);
  EXPECT_NE(bmd.find("第三季度营收(万元)"), std::string::npos);
  EXPECT_NE(bmd.find("## 八、问题办理情况"), std::string::npos) << bmd;
  EXPECT_NE(bmd.find("## 十、落后通报"), std::string::npos) << bmd;
  EXPECT_EQ(tasks_.windows_asked.back(), "2023-07-01..2023-09-30");
  b.set_plan_id("no-such-plan");
  EXPECT_EQ(service_->GenerateBulletin(owner_, b).status().code(), absl::StatusCode::kNotFound);
  b.set_plan_id("xinle-2023");
  b.set_quarter("2022-Q4");
  EXPECT_NE(service_->GenerateBulletin(owner_, b).status().message().find("outside the plan year"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, IndicatorsServiceTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::indicators

namespace uplift::indicators {
namespace {

// Regression: GetAggregates by cluster x township gave a township the raw
// figures of another township's lone enterprise. Cells of fewer than the
// minimum (3) are withheld from callers who may not read them one by one.
TEST_P(IndicatorsServiceTest, SmallCellsOfOtherTownshipsAreWithheld) {
  for (int n = 0; n < 6; ++n) Months(n, 2023, 9, 1000000 * (n + 1));
  v1::GetAggregatesRequest req;
  req.set_period("2023-09");
  req.set_group_by(v1::GROUP_BY_CLUSTER_TOWNSHIP);
  auto town = service_->GetAggregates(town_a_, req);
  ASSERT_TRUE(town.ok()) << town.status();
  int withheld = 0, shown = 0;
  for (const v1::AggregateRow& row : town->rows()) {
    if (row.township_id() == "town-a") {
      EXPECT_FALSE(row.suppressed());
      EXPECT_GT(row.month().revenue_fen(), 0);
      ++shown;
    } else {
      EXPECT_TRUE(row.suppressed()) << row.DebugString();
      EXPECT_EQ(row.month().revenue_fen(), 0) << "figures of a cell of " << row.enterprises();
      EXPECT_FALSE(row.has_month_growth());
      ++withheld;
    }
  }
  EXPECT_EQ(shown, 2);
  EXPECT_EQ(withheld, 2);
  // Whoever may read every enterprise sees every cell.
  auto owner = service_->GetAggregates(owner_, req);
  ASSERT_TRUE(owner.ok());
  for (const v1::AggregateRow& row : owner->rows()) EXPECT_FALSE(row.suppressed());
}

// Regression: sums of fen could overflow int64 silently. Checked sums say
// which figure overflowed instead.
TEST_P(IndicatorsServiceTest, ASumBeyondInt64IsOutOfRangeNamingTheFigure) {
  IndicatorsConfig config;
  config.rules = DefaultRules();
  config.rules.mutable_limits()->set_max_revenue_fen(std::numeric_limits<int64_t>::max() / 2);
  IndicatorsService generous(db_.get(), &clock_, &tasks_, config);
  v1::Figures huge = Money(std::numeric_limits<int64_t>::max() / 2 - 1);
  huge.set_output_value_fen(1);
  for (int n : {0, 2, 4}) {
    v1::SubmitReportRequest req;
    req.mutable_report()->set_credit_code(TestCreditCode(n));
    req.mutable_report()->set_period("2023-09");
    *req.mutable_report()->mutable_figures() = huge;
    ASSERT_TRUE(generous.SubmitReport(admin_, req).ok());
  }
  v1::GetAggregatesRequest req;
  req.set_period("2023-09");
  auto county = generous.GetAggregates(owner_, req);
  ASSERT_FALSE(county.ok());
  EXPECT_EQ(county.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(county.status().message().find("revenue"), std::string::npos) << county.status();
}

// Regression: GetEfficiency's page token was an unsigned offset; a
// negative one made by hand crashed the service. Tokens are signed now and
// offsets bounds-checked.
TEST_P(IndicatorsServiceTest, AHandMadePageTokenIsRefused) {
  for (int n = 0; n < 6; ++n) Months(n, 2023, 9, 1000000 * (n + 1), 0, 1000);
  v1::GetEfficiencyRequest req;
  req.set_period("2023-09");
  req.set_page_size(2);
  auto first = service_->GetEfficiency(owner_, req);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());
  // The old format, with a negative offset, and the real token edited.
  std::string old_format("v1\0", 3);
  old_format += "12345678";
  old_format.push_back('\0');
  old_format += "-5";
  for (const std::string& forged : {absl::WebSafeBase64Escape(old_format),
                                    first->next_page_token() + "A", std::string("AAAA")}) {
    req.set_page_token(forged);
    auto r = service_->GetEfficiency(owner_, req);
    ASSERT_FALSE(r.ok()) << forged;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().substr(0, 11), "page_token:");
  }
  // A token is bound to its caller's view: a township cannot reuse the
  // plan owner's.
  req.set_page_token(first->next_page_token());
  EXPECT_TRUE(service_->GetEfficiency(owner_, req).ok());
  EXPECT_EQ(service_->GetEfficiency(town_a_, req).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace uplift::indicators

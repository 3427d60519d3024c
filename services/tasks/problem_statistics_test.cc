// CountProblems: the tallies of the county, the townships and the
// departments, replayed to the end of a day, and the longest open named.
#include "services/tasks/problem_statistics.h"

#include <gtest/gtest.h>

#include "common/time_util.h"

namespace uplift::tasks {
namespace {

using S = v1::ProblemStep;

absl::Time At(const std::string& rfc3339) { return *ParseRfc3339(rfc3339); }

class ProblemStatisticsTest : public ::testing::Test {
 protected:
  v1::Problem& Raise(const std::string& id, const std::string& township, const std::string& when,
                     const std::string& deadline) {
    v1::Problem& p = problems_.emplace_back();
    p.set_problem_id(id);
    p.set_title("问题" + id);
    p.set_enterprise_name("企业" + id);
    p.set_township_id(township);
    Step(p, when, S::ACTION_RAISED, v1::RUNG_TOWNSHIP, township, deadline);
    return p;
  }
  static void Step(v1::Problem& p, const std::string& when, S::Action action, v1::Rung rung,
                   const std::string& owner, const std::string& deadline = "",
                   v1::Satisfaction satisfaction = v1::SATISFACTION_UNSPECIFIED) {
    S* s = p.add_timeline();
    s->set_seq(p.timeline_size());
    *s->mutable_time() = ToProtoTimestamp(At(when));
    s->set_action(action);
    s->set_rung(rung);
    s->set_owner_unit_id(owner);
    const std::string due =
        deadline.empty() && p.timeline_size() > 1
            ? FormatRfc3339(FromProtoTimestamp(p.timeline(p.timeline_size() - 2).deadline()))
            : deadline;
    *s->mutable_deadline() = ToProtoTimestamp(At(due));
    s->set_satisfaction(satisfaction);
  }

  // The scenario: September 2023 in the county.
  void SetUp() override {
    // P1: escalated to 科工信局, resolved there, the enterprise satisfied.
    v1::Problem& p1 =
        Raise("p1", "town-a", "2023-09-04T10:00:00+08:00", "2023-09-11T23:59:59+08:00");
    Step(p1, "2023-09-12T09:00:00+08:00", S::ACTION_AUTO_ESCALATED, v1::RUNG_DEPARTMENT, "dept-1",
         "2023-09-20T23:59:59+08:00");
    Step(p1, "2023-09-15T09:00:00+08:00", S::ACTION_RESOLVED, v1::RUNG_DEPARTMENT, "dept-1");
    Step(p1, "2023-09-18T09:00:00+08:00", S::ACTION_SATISFACTION, v1::RUNG_DEPARTMENT, "dept-1", "",
         v1::SATISFACTION_SATISFIED);
    // P2: raised in August, still with its township, long past its deadline.
    Raise("p2", "town-a", "2023-08-01T10:00:00+08:00", "2023-08-08T23:59:59+08:00");
    // P3: up to dept-1, returned to the township, an extension approved.
    v1::Problem& p3 =
        Raise("p3", "town-b", "2023-09-05T10:00:00+08:00", "2023-09-12T23:59:59+08:00");
    Step(p3, "2023-09-06T10:00:00+08:00", S::ACTION_ESCALATED, v1::RUNG_DEPARTMENT, "dept-1");
    Step(p3, "2023-09-07T10:00:00+08:00", S::ACTION_RETURNED, v1::RUNG_TOWNSHIP, "town-b");
    Step(p3, "2023-09-08T10:00:00+08:00", S::ACTION_EXTENDED, v1::RUNG_TOWNSHIP, "town-b",
         "2023-10-20T23:59:59+08:00");
    // P5: resolved by the township, 不满意, reopened one rung up at dept-2, overdue there.
    v1::Problem& p5 =
        Raise("p5", "town-b", "2023-09-06T10:00:00+08:00", "2023-09-13T23:59:59+08:00");
    Step(p5, "2023-09-08T10:00:00+08:00", S::ACTION_RESOLVED, v1::RUNG_TOWNSHIP, "town-b");
    Step(p5, "2023-09-11T10:00:00+08:00", S::ACTION_REOPENED, v1::RUNG_DEPARTMENT, "dept-2",
         "2023-09-14T23:59:59+08:00", v1::SATISFACTION_DISSATISFIED);
    // P4: raised after the window.
    Raise("p4", "town-b", "2023-10-02T10:00:00+08:00", "2023-10-09T23:59:59+08:00");
    calendar_ = *WorkingCalendar::Builtin();
  }

  v1::GetProblemStatisticsResponse Count(absl::CivilDay from, absl::CivilDay until) {
    return CountProblems(problems_, {from, until}, calendar_, [](const std::string& unit) {
      return unit.empty() ? std::string() : "名" + unit;
    });
  }

  std::vector<v1::Problem> problems_;
  WorkingCalendar calendar_;
};

const v1::ProblemTally& Row(const google::protobuf::RepeatedPtrField<v1::ProblemTally>& rows,
                            const std::string& unit) {
  for (const v1::ProblemTally& r : rows) {
    if (r.unit_id() == unit) return r;
  }
  static const v1::ProblemTally none;
  ADD_FAILURE() << "no row for " << unit;
  return none;
}

TEST_F(ProblemStatisticsTest, TheCountyCountsEveryProblemRaisedByTheDay) {
  const auto stats = Count(absl::CivilDay(2023, 9, 1), absl::CivilDay(2023, 9, 30));
  const v1::ProblemTally& c = stats.county();
  EXPECT_EQ(c.total(), 4);     // p4 came in October
  EXPECT_EQ(c.raised(), 3);    // p2 came in August
  EXPECT_EQ(c.resolved(), 1);  // p1; p5 was reopened
  EXPECT_EQ(c.open(), 3);
  EXPECT_EQ(c.overdue(), 2);    // p2 and p5; p3's deadline was extended
  EXPECT_EQ(c.escalated(), 3);  // p1, p3, and p5 reopened one rung up
  EXPECT_EQ(c.returned(), 1);
  EXPECT_EQ(c.extended(), 1);
  EXPECT_EQ(c.rated(), 2);
  EXPECT_EQ(c.satisfied(), 1);
  // p1: Monday 4 to Friday 15 September, nine working days.
  EXPECT_DOUBLE_EQ(c.average_working_days(), 9);
  EXPECT_EQ(stats.from(), "2023-09-01");
  EXPECT_EQ(stats.until(), "2023-09-30");
}

TEST_F(ProblemStatisticsTest, ATownshipAnswersForItsEnterprisesAndIsOverdueOnlyForWhatItHolds) {
  const auto stats = Count(absl::CivilDay(2023, 9, 1), absl::CivilDay(2023, 9, 30));
  ASSERT_EQ(stats.townships_size(), 2);
  const v1::ProblemTally& a = Row(stats.townships(), "town-a");
  EXPECT_EQ(a.unit_name(), "名town-a");
  EXPECT_EQ(a.total(), 2);
  EXPECT_EQ(a.resolved(), 1);
  EXPECT_EQ(a.overdue(), 1);  // p2, in its hands
  const v1::ProblemTally& b = Row(stats.townships(), "town-b");
  EXPECT_EQ(b.total(), 2);
  EXPECT_EQ(b.open(), 2);
  EXPECT_EQ(b.overdue(), 0);  // p5 is overdue at dept-2, p3 was extended
  EXPECT_EQ(b.rated(), 1);
  EXPECT_EQ(b.satisfied(), 0);
}

TEST_F(ProblemStatisticsTest, ADepartmentCountsWhatReachedIt) {
  const auto stats = Count(absl::CivilDay(2023, 9, 1), absl::CivilDay(2023, 9, 30));
  ASSERT_EQ(stats.departments_size(), 2);
  const v1::ProblemTally& d1 = Row(stats.departments(), "dept-1");
  EXPECT_EQ(d1.total(), 2);  // p1 and p3, which it returned
  EXPECT_EQ(d1.resolved(), 1);
  EXPECT_EQ(d1.open(), 1);
  EXPECT_EQ(d1.overdue(), 0);
  EXPECT_EQ(d1.returned(), 1);
  const v1::ProblemTally& d2 = Row(stats.departments(), "dept-2");
  EXPECT_EQ(d2.total(), 1);
  EXPECT_EQ(d2.overdue(), 1);  // p5, reopened to it and past its deadline
  // Both reached dept-1 before the 13th: a window from then counts them, not as new.
  const auto late = Count(absl::CivilDay(2023, 9, 13), absl::CivilDay(2023, 9, 30));
  EXPECT_EQ(Row(late.departments(), "dept-1").raised(), 0);
  EXPECT_EQ(Row(late.departments(), "dept-1").total(), 2);
}

TEST_F(ProblemStatisticsTest, APastDayReadsAsTheProblemsStoodThen) {
  const auto stats = Count(absl::CivilDay(2023, 9, 1), absl::CivilDay(2023, 9, 9));
  const v1::ProblemTally& c = stats.county();
  EXPECT_EQ(c.total(), 4);
  EXPECT_EQ(c.resolved(), 1);   // p5, before its return visit; p1 not yet
  EXPECT_EQ(c.escalated(), 1);  // p3; p1 climbed on the 12th
  EXPECT_EQ(c.rated(), 0);
  EXPECT_EQ(c.overdue(), 1);               // p2
  EXPECT_EQ(stats.departments_size(), 1);  // only dept-1 had been reached
  const auto august = Count(absl::CivilDay(2023, 8, 1), absl::CivilDay(2023, 8, 31));
  EXPECT_EQ(august.county().total(), 1);
  EXPECT_EQ(august.county().average_working_days(), 0);  // nothing resolved
}

TEST_F(ProblemStatisticsTest, TheLongestOpenAreNamedOldestFirst) {
  const auto stats = Count(absl::CivilDay(2023, 9, 1), absl::CivilDay(2023, 9, 30));
  ASSERT_EQ(stats.longest_open_size(), 3);
  const v1::LongOpenProblem& first = stats.longest_open(0);
  EXPECT_EQ(first.problem_id(), "p2");
  EXPECT_EQ(first.title(), "问题p2");
  EXPECT_EQ(first.enterprise_name(), "企业p2");
  EXPECT_EQ(first.township_name(), "名town-a");
  EXPECT_EQ(first.owner_unit_name(), "名town-a");
  EXPECT_EQ(first.rung(), v1::RUNG_TOWNSHIP);
  EXPECT_TRUE(first.overdue());
  EXPECT_EQ(first.working_days_open(),
            42);  // 2 August to 28 September: the 29th is 中秋, the 30th a Saturday
  EXPECT_EQ(stats.longest_open(1).problem_id(), "p3");
  EXPECT_FALSE(stats.longest_open(1).overdue());
  EXPECT_EQ(stats.longest_open(2).problem_id(), "p5");
  EXPECT_EQ(stats.longest_open(2).owner_unit_name(), "名dept-2");
}

TEST_F(ProblemStatisticsTest, NoProblemsCountNothing) {
  problems_.clear();
  const auto stats = Count(absl::CivilDay(2023, 9, 1), absl::CivilDay(2023, 9, 30));
  EXPECT_EQ(stats.county().total(), 0);
  EXPECT_EQ(stats.townships_size(), 0);
  EXPECT_EQ(stats.longest_open_size(), 0);
}

}  // namespace
}  // namespace uplift::tasks

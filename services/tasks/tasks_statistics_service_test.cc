// TasksService::GetProblemStatistics on both engines: problems raised,
// escalated, resolved and visited through the service, counted as they stood
// at the end of a day; bad windows are refused naming the field.
#include "services/tasks/tasks_service_test_fixture.h"

namespace uplift::tasks {
namespace {

class TasksStatisticsTest : public TasksServiceTest {
 protected:
  void At(int month, int day, int hour = 10) {
    clock_.Set(absl::FromCivil(absl::CivilSecond(2023, month, day, hour, 0, 0), ShanghaiTime()));
  }
  absl::StatusOr<v1::GetProblemStatisticsResponse> Stats(const std::string& from,
                                                         const std::string& until,
                                                         const Principal* who = nullptr) {
    v1::GetProblemStatisticsRequest req;
    req.set_plan_id("xinle-2023");
    req.set_from(from);
    req.set_until(until);
    return service_.GetProblemStatistics(who ? *who : owner_, req);
  }
};

TEST_P(TasksStatisticsTest, ProblemsAreCountedAsTheyStoodAtTheEndOfTheDay) {
  // Thursday 1 June: a land problem, up to 自然资源和规划局 the next day, resolved
  // on Monday 5 June, the enterprise satisfied; a financing problem left open.
  const v1::Problem land = Raise("land");
  const v1::Problem money = Raise("financing");
  At(6, 2);
  v1::EscalateProblemRequest up;
  up.set_problem_id(land.problem_id());
  up.set_reason("乡镇无用地指标调剂权限");
  ASSERT_TRUE(service_.EscalateProblem(town_, up).ok());
  At(6, 5);
  v1::ResolveProblemRequest resolve;
  resolve.set_problem_id(land.problem_id());
  resolve.set_resolution("调剂用地指标20亩");
  ASSERT_TRUE(service_.ResolveProblem(land_, resolve).ok());
  v1::RecordSatisfactionRequest visit;
  visit.set_problem_id(land.problem_id());
  visit.set_satisfaction(v1::SATISFACTION_SATISFIED);
  ASSERT_TRUE(service_.RecordSatisfaction(town_, visit).ok());
  At(6, 12);

  auto now = Stats("2023-06-01", "2023-06-12");
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->plan_id(), "xinle-2023");
  EXPECT_EQ(now->county().total(), 2);
  EXPECT_EQ(now->county().raised(), 2);
  EXPECT_EQ(now->county().resolved(), 1);
  EXPECT_EQ(now->county().overdue(), 1);  // financing: 5 working days, due 8 June
  EXPECT_EQ(now->county().escalated(), 1);
  EXPECT_EQ(now->county().rated(), 1);
  EXPECT_EQ(now->county().satisfied(), 1);
  EXPECT_DOUBLE_EQ(now->county().average_working_days(), 2);  // Thursday to Monday
  ASSERT_EQ(now->townships_size(), 1);
  EXPECT_EQ(now->townships(0).unit_name(), "承安镇");
  EXPECT_EQ(now->townships(0).overdue(), 1);
  ASSERT_EQ(now->departments_size(), 1);
  EXPECT_EQ(now->departments(0).unit_id(), "dept-zrj");
  EXPECT_EQ(now->departments(0).unit_name(), "市自然资源和规划局");
  EXPECT_EQ(now->departments(0).resolved(), 1);
  ASSERT_EQ(now->longest_open_size(), 1);
  EXPECT_EQ(now->longest_open(0).enterprise_name(), "新乐市华信机械制造有限公司");
  EXPECT_EQ(now->longest_open(0).owner_unit_name(), "承安镇");
  EXPECT_TRUE(now->longest_open(0).overdue());

  // The end of 2 June: escalated, nothing resolved, nothing overdue yet.
  auto then = Stats("2023-06-01", "2023-06-02");
  ASSERT_TRUE(then.ok()) << then.status();
  EXPECT_EQ(then->county().resolved(), 0);
  EXPECT_EQ(then->county().overdue(), 0);
  EXPECT_EQ(then->county().escalated(), 1);
  EXPECT_EQ(then->longest_open_size(), 2);
  // Before anything was raised.
  auto may = Stats("2023-05-01", "2023-05-31");
  ASSERT_TRUE(may.ok()) << may.status();
  EXPECT_EQ(may->county().total(), 0);
  // Every role may read the counts (the report goes to every unit).
  EXPECT_TRUE(Stats("", "2023-06-12", &town_).ok());
  EXPECT_TRUE(Stats("", "", &leader_).ok());
}

TEST_P(TasksStatisticsTest, BadWindowsAreRefusedNamingTheField) {
  Raise();
  auto field_of = [](const absl::Status& s) {
    return std::string(s.message().substr(0, s.message().find(':')));
  };
  auto future = Stats("", "2023-06-02");
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(field_of(future.status()), "until");
  auto bad = Stats("", "2023-02-30");
  EXPECT_EQ(field_of(bad.status()), "until");
  auto reversed = Stats("2023-06-01", "2023-05-31");
  EXPECT_EQ(reversed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(field_of(reversed.status()), "from");
  v1::GetProblemStatisticsRequest req;
  req.set_plan_id("no such plan!");
  EXPECT_EQ(field_of(service_.GetProblemStatistics(owner_, req).status()), "plan_id");
  req.set_plan_id("xinle-2022");
  EXPECT_EQ(service_.GetProblemStatistics(owner_, req).status().code(),
            absl::StatusCode::kNotFound);
  req.clear_plan_id();  // the plan of the year
  auto current = service_.GetProblemStatistics(owner_, req);
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_EQ(current->plan_id(), "xinle-2023");
  EXPECT_EQ(current->county().total(), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, TasksStatisticsTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::tasks

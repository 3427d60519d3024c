// Benchmark, not a test: 问题办理情况 (GetProblemStatistics), which replays
// every problem of the plan to the end of the asked day on each call. In
// one run on SQLite and on PostgreSQL: N problems with realistic timelines
// (raised through 2023, a third resolved at the township, a third sent up
// to a department and resolved there, the rest climbing further or still
// open, some extended or returned), then per call: the load alone
// (ProblemsWithTimelines, the baseline), the replay alone (CountProblems
// over problems in memory) and the whole RPC through TasksService, with the
// RPC's ratio to the load. Prints numbers; asserts nothing.
#include <chrono>
#include <cstdio>
#include <random>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/build_info.h"
#include "bench/engine_setups.h"
#include "common/common_schema.h"
#include "common/sql/store.h"
#include "common/time_util.h"
#include "services/tasks/fake_registry.h"
#include "services/tasks/problem_ladder.h"
#include "services/tasks/problem_statistics.h"
#include "services/tasks/tasks_schema.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/tasks_store.h"
#include "services/tasks/xinle_plan_testdata.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_env.h"

namespace {

namespace tv1 = uplift::tasks::v1;
using uplift::bench::Percentile;
using uplift::bench::Setup;

struct Options {
  int problems = 3000;
  int repeat = 20;
};

struct Result {
  double load_ms = 0, replay_ms = 0, rpc_ms = 0;
  int townships = 0, departments = 0;
};

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Writes `n` problems of the Xinle plan with timelines the ladder makes.
void AddProblems(uplift::sql::Store& db, const tv1::Plan& plan, const uplift::WorkingCalendar& cal,
                 int n) {
  std::mt19937 rng(2023);
  const uplift::tasks::ProblemLadder ladder(&cal);
  std::vector<std::string> townships;
  for (const auto& u : plan.units()) {
    if (u.kind() == uplift::registry::v1::UNIT_KIND_TOWNSHIP) townships.push_back(u.unit_id());
  }
  const absl::Time year = absl::FromCivil(absl::CivilDay(2023, 1, 3), uplift::ShanghaiTime());
  const uplift::tasks::Actor person{"someone", "", "某人"};
  auto status = db.Write([&](uplift::sql::Connection& tx) -> absl::Status {
    for (int i = 0; i < n; ++i) {
      const tv1::ProblemCategory& category =
          plan.problem_categories(static_cast<int>(rng() % plan.problem_categories_size()));
      uplift::tasks::RungOwners owners{
          townships[rng() % townships.size()], category.responsible_department_unit_id(),
          "leader-equipment", plan.provincial_unit_id(), plan.owner_unit_id()};
      tv1::Problem p;
      p.set_problem_id(absl::StrFormat("pb-%012d", i));
      p.set_plan_id(plan.plan_id());
      p.set_credit_code(absl::StrFormat("91130184MA%08d", i));
      p.set_category(category.category_id());
      p.set_title("用地指标不足");
      p.set_description("企业扩建缺少用地指标");
      p.set_cluster_id("equipment");
      p.set_township_id(owners.township);
      absl::Time t = year + absl::Hours(static_cast<int>(rng() % (24 * 330)));
      const int days = category.time_limit_working_days();
      std::vector<tv1::ProblemStep> steps = {ladder.Raise(&p, owners, days, t, person)};
      auto take = [&](absl::StatusOr<tv1::ProblemStep> s) {
        if (s.ok()) steps.push_back(*s);
        t += absl::Hours(20 + static_cast<int>(rng() % 100));
      };
      const int fate = static_cast<int>(rng() % 6);
      take(ladder.Accept(&p, t, person));
      if (fate == 5)
        take(ladder.RequestExtension(&p, uplift::ShanghaiDay(t) + 30, "需等待审批",
                                     category.extension_approver(), owners, t, person));
      if (fate == 5) take(ladder.DecideExtension(&p, true, "", t, person));
      for (int climb = 0; climb < fate / 2; ++climb) {
        take(ladder.Escalate(&p, "本级无法解决", owners, days, t, person, climb == 2));
      }
      if (fate == 3) take(ladder.Return(&p, "请补充材料", owners, days, t, person));
      if (fate != 4) take(ladder.Resolve(&p, "已协调解决", t, person));
      if (fate != 4) {
        take(ladder.RecordSatisfaction(
            &p, fate == 1 ? tv1::SATISFACTION_DISSATISFIED : tv1::SATISFACTION_SATISFIED, "",
            owners, days, t, person));
      }
      uplift::tasks::store::InsertProblem(tx, p, owners.city_leader);
      for (const tv1::ProblemStep& s : steps) {
        uplift::tasks::store::AppendStep(tx, p.problem_id(), s);
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) std::fprintf(stderr, "adding problems: %s\n", status.ToString().c_str());
}

Result Measure(const Setup& setup, const Options& o) {
  Result r;
  uplift::testing::TempDir dir;
  const std::string url = std::string(setup.engine) == "sqlite" ? "sqlite:" + dir.File("tasks.db")
                                                                : uplift::testing::NewDatabaseUrl();
  auto db = uplift::sql::OpenStore(
      url, {uplift::CommonMigrations(), uplift::tasks::TasksMigrations()}, {});
  if (!db.ok()) {
    std::fprintf(stderr, "%s: %s\n", setup.name, db.status().ToString().c_str());
    return r;
  }
  uplift::ManualClock clock(
      absl::FromCivil(absl::CivilSecond(2023, 12, 20, 10, 0, 0), uplift::ShanghaiTime()));
  const uplift::WorkingCalendar calendar = *uplift::WorkingCalendar::Builtin();
  uplift::tasks::FakeRegistry registry;
  uplift::tasks::TasksService service(db->get(), &clock, &calendar, &registry, "token");
  const uplift::Principal owner =
      uplift::testing::TestPrincipal(uplift::auth::v1::ROLE_PLAN_OWNER, "dept-kgx", "科工信局");
  tv1::ApplyPlanRequest apply;
  *apply.mutable_plan() = uplift::tasks::LoadXinlePlan();
  if (!service.ApplyPlan(owner, apply).ok()) return r;
  AddProblems(**db, apply.plan(), calendar, o.problems);

  tv1::GetProblemStatisticsRequest req;
  req.set_plan_id("xinle-2023");
  req.set_until("2023-11-30");
  std::vector<double> load, replay, rpc;
  std::vector<tv1::Problem> loaded;
  const absl::Time end = absl::FromCivil(absl::CivilDay(2023, 12, 1), uplift::ShanghaiTime());
  for (int i = 0; i < o.repeat; ++i) {
    auto start = std::chrono::steady_clock::now();
    (void)(*db)->Read([&](uplift::sql::Connection& c) {
      loaded = uplift::tasks::store::ProblemsWithTimelines(c, "xinle-2023", end);
      return absl::OkStatus();
    });
    load.push_back(MsSince(start));
    start = std::chrono::steady_clock::now();
    const tv1::GetProblemStatisticsResponse counted = uplift::tasks::CountProblems(
        loaded, {absl::CivilDay(2023, 1, 1), absl::CivilDay(2023, 11, 30)}, calendar,
        [](const std::string& unit) { return unit; });
    replay.push_back(MsSince(start));
    start = std::chrono::steady_clock::now();
    auto answered = service.GetProblemStatistics(owner, req);
    rpc.push_back(MsSince(start));
    if (!answered.ok()) {
      std::fprintf(stderr, "%s\n", answered.status().ToString().c_str());
      return r;
    }
    r.townships = answered->townships_size();
    r.departments = answered->departments_size();
    if (i == 0 && counted.county().total() != answered->county().total()) {
      std::fprintf(stderr, "replay and RPC disagree: %d and %d problems\n",
                   counted.county().total(), answered->county().total());
    }
  }
  r.load_ms = Percentile(load, 0.5);
  r.replay_ms = Percentile(replay, 0.5);
  r.rpc_ms = Percentile(rpc, 0.5);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"problem_statistics_bench: GetProblemStatistics over a year of problems"};
  Options o;
  std::string only;
  app.add_option("--problems", o.problems, "problems of the plan, with their timelines")
      ->capture_default_str();
  app.add_option("--repeat", o.repeat, "calls measured (the median is printed)")
      ->capture_default_str();
  uplift::bench::AddOnlyOption(app, &only);
  CLI11_PARSE(app, argc, argv);
  uplift::bench::PrintBuild();
  const auto results = uplift::bench::MeasureSetups(
      only, [&](const Setup& setup) { return setup.replicas == 1 ? Measure(setup, o) : Result{}; });
  std::printf("\n%d problems, median of %d calls (GetProblemStatistics to 2023-11-30)\n",
              o.problems, o.repeat);
  std::printf("%-12s %12s %12s %12s %10s %6s %6s\n", "set-up", "load ms", "replay ms", "rpc ms",
              "rpc/load", "towns", "depts");
  for (const auto& [setup, r] : results) {
    if (setup.replicas != 1) continue;
    std::printf("%-12s %12.2f %12.2f %12.2f %10.2f %6d %6d\n", setup.name, r.load_ms, r.replay_ms,
                r.rpc_ms, r.load_ms > 0 ? r.rpc_ms / r.load_ms : 0.0, r.townships, r.departments);
  }
  return 0;
}

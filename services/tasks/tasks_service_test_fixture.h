// The fixture of TasksService's tests: the service on a database of each
// engine, a ManualClock at Thursday 2023-06-01 10:00 in Xinle, an in-memory
// registry, the Xinle plan applied and one enterprise in 承安镇.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/common_schema.h"
#include "common/sql/query.h"
#include "common/time_util.h"
#include "services/registry/test_codes.h"
#include "services/tasks/fake_registry.h"
#include "services/tasks/tasks_schema.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/xinle_plan_testdata.h"
#include "tests/support/test_env.h"
#include "tests/support/test_store.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::tasks {

namespace av1 = uplift::auth::v1;

inline Principal Who(av1::Role role, const std::string& unit,
                     const std::string& subject = "someone") {
  return uplift::testing::TestPrincipal(role, unit, subject);
}

class TasksServiceTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  TasksServiceTest()
      // Thursday 2023-06-01 10:00 in Xinle.
      : clock_(absl::FromCivil(absl::CivilSecond(2023, 6, 1, 10, 0, 0), ShanghaiTime())),
        calendar_(*WorkingCalendar::Builtin()),
        db_(testing::OpenTestStore(GetParam(), {CommonMigrations(), TasksMigrations()})),
        service_(db_.get(), &clock_, &calendar_, &registry_, "service-token") {
    v1::ApplyPlanRequest apply;
    *apply.mutable_plan() = LoadXinlePlan();
    auto applied = service_.ApplyPlan(owner_, apply);
    EXPECT_TRUE(applied.ok()) << applied.status();
    rv1::Enterprise e;
    e.set_credit_code(uplift::registry::TestCreditCode(1));
    e.set_name("新乐市华信机械制造有限公司");
    e.set_cluster_id("equipment");
    e.set_township_id("town-chengan");
    registry_.enterprises[e.credit_code()] = e;
  }

  v1::Problem Raise(const std::string& category = "land") {
    v1::RaiseProblemRequest req;
    req.mutable_problem()->set_credit_code(uplift::registry::TestCreditCode(1));
    req.mutable_problem()->set_category(category);
    req.mutable_problem()->set_title("扩建用地指标不足");
    req.mutable_problem()->set_description("企业计划扩建二期厂房，缺少用地指标约20亩。");
    auto r = service_.RaiseProblem(town_, req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->problem() : v1::Problem();
  }

  // (stream, type) of every outbox row, oldest first.
  std::vector<std::pair<std::string, std::string>> Outbox() {
    std::vector<std::pair<std::string, std::string>> out;
    EXPECT_TRUE(db_->Read([&](sql::Connection& c) {
                     sql::Query q(c, "SELECT stream, type FROM outbox ORDER BY seq");
                     while (q.Step()) out.emplace_back(q.Text(0), q.Text(1));
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }
  // The messages of type M in the outbox, oldest first.
  template <typename M>
  std::vector<M> Published() {
    std::vector<M> out;
    EXPECT_TRUE(db_->Read([&](sql::Connection& c) {
                     sql::Query q(c, "SELECT payload FROM outbox WHERE type=? ORDER BY seq");
                     q.Bind(1, M::descriptor()->full_name());
                     while (q.Step()) {
                       M m;
                       EXPECT_TRUE(m.ParseFromString(q.Blob(0)));
                       out.push_back(std::move(m));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }
  int Escalations() {
    int n = 0;
    for (const auto& [stream, type] : Outbox()) n += stream == "uplift:escalations" ? 1 : 0;
    return n;
  }

  ManualClock clock_;
  WorkingCalendar calendar_;
  FakeRegistry registry_;
  std::unique_ptr<sql::Store> db_;
  TasksService service_;
  Principal owner_ = Who(av1::ROLE_PLAN_OWNER, "dept-kgx", "科工信局");
  Principal town_ = Who(av1::ROLE_TOWNSHIP, "town-chengan", "承安镇专班");
  Principal land_ = Who(av1::ROLE_DEPARTMENT, "dept-zrj", "自然资源和规划局");
  Principal leader_ = Who(av1::ROLE_LEADER, "leader-equipment", "包联市领导");
  Principal province_ = Who(av1::ROLE_PROVINCE, "prov-support", "省市部门");
};

}  // namespace uplift::tasks

// 销号, quarterly milestones and tasks as they stood on a past day, through
// TasksService on each engine: who may submit and decide, what each refusal
// names and leaves unchanged, and what a report for a past period sees.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/tasks/tasks_service_test_fixture.h"
#include "uplift/indicators/v1/indicator_events.pb.h"

namespace uplift::tasks {
namespace {

class TaskClosureServiceTest : public TasksServiceTest {
 protected:
  // 2.1.2 招引头部企业: led by 发改局, no counted targets.
  v1::SubmitTaskCompletionRequest Submission(const std::string& task_id = "2.1.2") {
    v1::SubmitTaskCompletionRequest req;
    req.set_plan_id("xinle-2023");
    req.set_task_id(task_id);
    req.set_summary("全年对接头部企业12家，签约落地3个项目");
    req.add_evidence("招商引资项目台账.xlsx");
    req.add_evidence("签约协议扫描件");
    return req;
  }
  v1::DecideTaskCompletionRequest Decision(bool confirm, const std::string& reason) {
    v1::DecideTaskCompletionRequest req;
    req.set_plan_id("xinle-2023");
    req.set_task_id("2.1.2");
    req.set_confirm(confirm);
    req.set_reason(reason);
    return req;
  }
  v1::TaskView Task(const std::string& task_id = "2.1.2") {
    v1::GetTaskRequest get;
    get.set_plan_id("xinle-2023");
    get.set_task_id(task_id);
    auto got = service_.GetTask(owner_, get);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? got->task() : v1::TaskView();
  }
  // The task in ListTasks as of `day` (YYYY-MM-DD).
  v1::TaskView TaskAsOf(const std::string& day, const std::string& task_id) {
    v1::ListTasksRequest list;
    list.set_plan_id("xinle-2023");
    list.set_as_of(day);
    auto listed = service_.ListTasks(owner_, list);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (listed.ok()) {
      for (const v1::TaskView& v : listed->tasks()) {
        if (v.task().task_id() == task_id) return v;
      }
    }
    ADD_FAILURE() << "no task " << task_id;
    return v1::TaskView();
  }
  int ClosureEvents() {
    int n = 0;
    for (const auto& [stream, type] : Outbox()) {
      n += type == "uplift.tasks.v1.TaskClosureChanged" ? 1 : 0;
    }
    return n;
  }
  void At(int month, int day) {
    clock_.Set(absl::FromCivil(absl::CivilSecond(2023, month, day, 10, 0, 0), ShanghaiTime()));
  }
  Principal fgj_ = Who(av1::ROLE_DEPARTMENT, "dept-fgj", "发改局");
};

TEST_P(TaskClosureServiceTest, TheLeadSubmitsThePlanOwnerReturnsThenConfirms) {
  EXPECT_EQ(service_.SubmitTaskCompletion(owner_, Submission()).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "the plan owner does not lead 2.1.2";
  EXPECT_EQ(service_.SubmitTaskCompletion(land_, Submission()).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::SubmitTaskCompletionRequest bare = Submission();
  bare.clear_evidence();
  absl::Status s = service_.SubmitTaskCompletion(fgj_, bare).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "evidence:")) << s;
  EXPECT_EQ(ClosureEvents(), 0) << "a refusal changes nothing";
  EXPECT_EQ(service_.DecideTaskCompletion(owner_, Decision(true, "")).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "nothing submitted yet";

  auto submitted = service_.SubmitTaskCompletion(fgj_, Submission());
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  // The plan owner is asked to decide, by name.
  std::vector<v1::ActionRequested> asked = Published<v1::ActionRequested>();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].action(), v1::ActionRequested::ACTION_CONFIRM_CLOSURE);
  EXPECT_EQ(asked[0].unit_id(), "dept-kgx");
  EXPECT_EQ(asked[0].from_unit_id(), "dept-fgj");
  EXPECT_EQ(asked[0].from_unit_name(), "市发展改革局");
  EXPECT_EQ(asked[0].subject(), "task/xinle-2023/2.1.2");
  EXPECT_EQ(asked[0].title(), "二(一)2 招引头部企业");
  EXPECT_EQ(submitted->task().status(), v1::TASK_STATUS_AWAITING_CLOSURE);
  EXPECT_EQ(submitted->task().closure_steps(0).actor_unit_id(), "dept-fgj");
  EXPECT_EQ(submitted->task().closure_steps(0).evidence_size(), 2);
  v1::ListTasksRequest waiting;
  waiting.set_plan_id("xinle-2023");
  waiting.set_status(v1::TASK_STATUS_AWAITING_CLOSURE);
  EXPECT_EQ(service_.ListTasks(owner_, waiting)->tasks_size(), 1);

  EXPECT_EQ(service_.DecideTaskCompletion(fgj_, Decision(true, "")).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "the lead may not confirm its own task";
  s = service_.DecideTaskCompletion(owner_, Decision(false, "")).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "reason:")) << s;
  auto returned = service_.DecideTaskCompletion(owner_, Decision(false, "缺少项目落地证明"));
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->task().closure_state(), v1::CLOSURE_STATE_RETURNED);
  EXPECT_NE(returned->task().status_reason().find("销号被退回(缺少项目落地证明)"),
            std::string::npos)
      << returned->task().status_reason();

  ASSERT_TRUE(service_.SubmitTaskCompletion(fgj_, Submission()).ok());
  auto confirmed = service_.DecideTaskCompletion(owner_, Decision(true, "材料齐全"));
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->task().status(), v1::TASK_STATUS_DONE);
  EXPECT_EQ(confirmed->task().closure_steps_size(), 4);
  EXPECT_EQ(service_.DecideTaskCompletion(owner_, Decision(false, "再核实")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ClosureEvents(), 4);
  asked = Published<v1::ActionRequested>();
  ASSERT_EQ(asked.size(), 3u) << "submitted, returned, submitted; a confirmation asks nothing";
  EXPECT_EQ(asked[1].action(), v1::ActionRequested::ACTION_RESUBMIT_CLOSURE);
  EXPECT_EQ(asked[1].unit_id(), "dept-fgj");
  EXPECT_EQ(asked[1].text(), "缺少项目落地证明");
  // Done stays done past the due date.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2024, 1, 5, 9, 0, 0), ShanghaiTime()));
  EXPECT_EQ(Task().status(), v1::TASK_STATUS_DONE);
  EXPECT_EQ(Task("2.1.3").status(), v1::TASK_STATUS_OVERDUE) << "never closed";
}

TEST_P(TaskClosureServiceTest, ATaskWhoseTargetsAreNotMetCannotBeSubmitted) {
  // 2.5.1 is led by the plan owner and counts service events.
  absl::Status s = service_.SubmitTaskCompletion(owner_, Submission("2.5.1")).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("is not met"), std::string::npos) << s;
  EXPECT_EQ(Task("2.5.1").closure_steps_size(), 0);
  EXPECT_EQ(ClosureEvents(), 0);
}

// A report for a past period sees each task as it stood at that period's end.
TEST_P(TaskClosureServiceTest, TasksAsOfAPastDayShowThatDaysFiguresAndClosure) {
  At(11, 10);
  v1::ReportProgressRequest report;
  v1::ProgressReport* r = report.mutable_report();
  r->set_plan_id("xinle-2023");
  r->set_task_id("2.4.3");
  r->set_period("2023-10");
  r->set_text("为2家企业提供工业设计服务");
  r->add_figures()->set_target_id("industrial-design-served");
  r->mutable_figures(0)->set_value(2);
  ASSERT_TRUE(service_.ReportProgress(owner_, report).ok());

  uplift::indicators::v1::TargetProgressChanged counted;
  counted.set_plan_id("xinle-2023");
  counted.set_target_id("new-specialized-sme");
  EventRouter router(db_.get(), &clock_, nullptr);
  service_.RegisterEventHandlers(&router);
  int event = 0;
  for (const auto& [period, achieved] : {std::pair{"2023-09", 4}, std::pair{"2023-10", 6}}) {
    counted.set_period(period);
    counted.set_achieved(achieved);
    StreamEvent e;
    e.event_id = absl::StrCat("e-", ++event);
    e.type = counted.GetDescriptor()->full_name();
    e.subject = "target/xinle-2023/new-specialized-sme";
    e.version = event;  // each newer than the last, as the outbox numbers them
    counted.SerializeToString(&e.payload);
    ASSERT_TRUE(router.Handle("uplift:events:indicators", e).ok());
  }
  ASSERT_TRUE(service_.SubmitTaskCompletion(fgj_, Submission()).ok());
  ASSERT_TRUE(service_.DecideTaskCompletion(owner_, Decision(true, "")).ok());

  EXPECT_EQ(TaskAsOf("2023-09-30", "2.4.3").progress(0).achieved(), 0) << "October not yet";
  EXPECT_EQ(TaskAsOf("2023-10-31", "2.4.3").progress(0).achieved(), 2);
  EXPECT_EQ(TaskAsOf("2023-09-30", "2.2.1").progress(0).achieved(), 4);
  EXPECT_EQ(TaskAsOf("2023-10-31", "2.2.1").progress(0).achieved(), 6);
  EXPECT_NE(TaskAsOf("2023-10-31", "2.1.2").status(), v1::TASK_STATUS_DONE)
      << "closed only in November";
  EXPECT_EQ(TaskAsOf("2023-10-31", "2.1.2").closure_steps_size(), 0);
  EXPECT_EQ(TaskAsOf("2023-11-10", "2.1.2").status(), v1::TASK_STATUS_DONE);

  v1::ListTasksRequest bad;
  bad.set_plan_id("xinle-2023");
  for (const char* day : {"2023-11-11", "2023-13-01", "yesterday"}) {
    bad.set_as_of(day);
    absl::Status s = service_.ListTasks(owner_, bad).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << day;
    EXPECT_TRUE(absl::StartsWith(s.message(), "as_of:")) << s;
  }
}

// A qualitative task keeps pace by milestones its lead unit reports reached.
TEST_P(TaskClosureServiceTest, AMilestoneReportedByTheLeadKeepsTheTaskOnPace) {
  v1::Plan plan = LoadXinlePlan();
  for (v1::Task& t : *plan.mutable_tasks()) {
    if (t.task_id() != "2.1.2") continue;
    v1::Milestone* m = t.add_milestones();
    m->set_quarter(2);
    m->set_text("对接头部企业不少于5家");
  }
  v1::ApplyPlanRequest apply;
  *apply.mutable_plan() = plan;
  ASSERT_TRUE(service_.ApplyPlan(owner_, apply).ok());
  At(7, 3);
  EXPECT_NE(Task().status_reason().find("第2季度节点未完成(对接头部企业不少于5家)"),
            std::string::npos)
      << Task().status_reason();

  v1::ReportProgressRequest report;
  v1::ProgressReport* r = report.mutable_report();
  r->set_plan_id("xinle-2023");
  r->set_task_id("2.1.2");
  r->set_period("2023-06");
  r->set_text("已对接头部企业6家");
  r->add_milestones_reached(2);
  absl::Status s = service_.ReportProgress(owner_, report).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
      << "科工信局 takes part but does not lead";
  EXPECT_TRUE(absl::StartsWith(s.message(), "report.milestones_reached[0]:")) << s;
  r->set_milestones_reached(0, 3);
  s = service_.ReportProgress(fgj_, report).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "report.milestones_reached[0]:")) << s;
  EXPECT_EQ(Task().milestones_reached_size(), 0) << "a refusal changes nothing";
  r->set_milestones_reached(0, 2);
  ASSERT_TRUE(service_.ReportProgress(fgj_, report).ok());
  const v1::TaskView v = Task();
  ASSERT_EQ(v.milestones_reached_size(), 1);
  EXPECT_EQ(v.status_reason().find("节点未完成"), std::string::npos) << v.status_reason();
}

INSTANTIATE_TEST_SUITE_P(Engines, TaskClosureServiceTest, testing::EveryEngine(),
                         testing::EngineTestName);

}  // namespace
}  // namespace uplift::tasks

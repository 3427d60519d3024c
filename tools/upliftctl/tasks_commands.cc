// upliftctl plan ..., task ..., progress ...: the plan, its tasks and the
// monthly progress (月调度).
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/tasks/tasks_labels.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/plan_file.h"
#include "tools/upliftctl/table.h"
#include "tools/upliftctl/tasks_printers.h"

namespace uplift::cli {
namespace {

namespace tv1 = uplift::tasks::v1;

void AddPlanCommands(CLI::App& app, Cli& cli) {
  CLI::App* plan = app.add_subcommand("plan", "the year's work plan");
  plan->require_subcommand(1);
  {
    auto file = std::make_shared<std::string>();
    CLI::App* c = plan->add_subcommand("apply", "apply a plan file (protobuf text); again changes nothing");
    c->add_option("file", *file, "e.g. plans/xinle-2023.textproto")->required();
    c->callback([&cli, file] {
      absl::StatusOr<std::unique_ptr<PlanFile>> loaded = PlanFile::Load(*file);
      if (!loaded.ok()) FailCommand(std::string(loaded.status().message()), 2);
      tv1::ApplyPlanRequest req;
      *req.mutable_plan() = (*loaded)->plan();
      tv1::ApplyPlanResponse resp;
      grpc::Status s = cli.Tasks().ApplyPlan(cli.ContextWithTimeout(std::max(cli.Timeout(), absl::Seconds(60))).get(),
                                             req, &resp);
      if (s.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
        FailCommand("INVALID_ARGUMENT: " + (*loaded)->Locate(s.error_message()));
      }
      cli.Check(s);
      Show(cli, resp, [&] {
        std::cout << "plan " << resp.plan().plan_id() << " (" << resp.plan().title() << "): "
                  << (resp.changed() ? "applied" : "unchanged, already applied") << ", " << resp.tasks()
                  << " tasks\nregistry: " << resp.units_created() << " units created, "
                  << resp.units_updated() << " updated; " << resp.clusters_created()
                  << " clusters created, " << resp.clusters_updated() << " updated\n";
      });
    });
  }
  {
    CLI::App* c = plan->add_subcommand("show", "the plan as applied (--json for all of it)");
    c->callback([&cli] {
      tv1::GetPlanRequest req;
      req.set_plan_id(cli.plan_id());
      tv1::GetPlanResponse resp;
      cli.Check(cli.Tasks().GetPlan(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] {
        const tv1::Plan& p = resp.plan();
        Record r;
        r.Add("方案", p.title());
        r.Add("编号", p.plan_id());
        r.Add("印发", absl::StrCat(p.issued_by(), " ", p.issued_on()));
        r.Add("牵头部门", p.owner_unit_id());
        r.Add("月报截止", absl::StrCat("次月 ", p.reporting_day(), " 日"));
        r.Add("单位 / 集群", absl::StrCat(p.units_size(), " / ", p.clusters_size()));
        r.Add("任务", absl::StrCat(p.tasks_size()));
        r.Print(std::cout);
        std::cout << "\n";
        Table t({"类别", "名称", "责任部门", "时限(工作日)"});
        for (const auto& c : p.problem_categories()) {
          t.AddRow({c.category_id(), c.name(), c.responsible_department_unit_id(),
                    absl::StrCat(c.time_limit_working_days())});
        }
        t.Print(std::cout);
      });
    });
  }
}

void AddTaskCommands(CLI::App& app, Cli& cli) {
  CLI::App* task = app.add_subcommand("task", "the plan's tasks and their supervision colours");
  task->require_subcommand(1);
  {
    struct Args {
      std::string unit, status, as_of;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = task->add_subcommand("list", "tasks with their status");
    c->add_option("--unit", a->unit, "only tasks of this unit");
    c->add_option(
        "--status", a->status,
        "正常, 蓝色(临近时限), 黄色(进度滞后), 红色(逾期), 待销号, 已销号 or ON_TRACK ...");
    c->add_option("--as-of", a->as_of, "YYYY-MM-DD: as the tasks stood at the end of that day");
    c->callback([&cli, a] {
      tv1::ListTasksRequest req;
      req.set_plan_id(cli.plan_id());
      req.set_unit_id(a->unit);
      req.set_as_of(a->as_of);
      if (!a->status.empty()) {
        tv1::TaskStatus status;
        if (!uplift::tasks::ParseTaskStatus(a->status, &status)) FailCommand("--status: unknown \"" + a->status + "\"", 2);
        req.set_status(status);
      }
      tv1::ListTasksResponse resp;
      cli.Check(cli.Tasks().ListTasks(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintTasks(std::cout, resp.tasks(), cli.UnitNames()); });
    });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* c = task->add_subcommand("show", "one task with its targets and progress");
    c->add_option("task_id", *id, "e.g. 2.2.1")->required();
    c->callback([&cli, id] {
      tv1::GetTaskRequest req;
      req.set_plan_id(cli.plan_id());
      req.set_task_id(*id);
      tv1::GetTaskResponse resp;
      cli.Check(cli.Tasks().GetTask(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintTask(std::cout, resp.task(), cli.UnitNames()); });
    });
  }
  {
    struct Args {
      std::string id, due;
      std::vector<std::string> units;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = task->add_subcommand("assign", "change a task's responsible units (plan owner)");
    c->add_option("task_id", a->id)->required();
    c->add_option("--units", a->units, "unit ids, the leading one first")->required()->delimiter(',');
    c->add_option("--due", a->due, "new due date YYYY-MM-DD");
    c->callback([&cli, a] {
      tv1::AssignTaskRequest req;
      req.set_plan_id(cli.plan_id());
      req.set_task_id(a->id);
      for (const std::string& u : a->units) req.add_responsible_unit_ids(u);
      req.set_due_on(a->due);
      tv1::AssignTaskResponse resp;
      cli.Check(cli.Tasks().AssignTask(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintTask(std::cout, resp.task(), cli.UnitNames()); });
    });
  }
  {
    struct Args {
      tv1::SubmitTaskCompletionRequest req;
      std::vector<std::string> evidence;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = task->add_subcommand(
        "close", "提请销号: submit a task's completion (its lead unit; every target met)");
    c->add_option("task_id", *a->req.mutable_task_id())->required();
    c->add_option("--summary", *a->req.mutable_summary(), "what was done")->required();
    c->add_option("--evidence", a->evidence, "a document or link (repeatable)")->required();
    c->callback([&cli, a] {
      tv1::SubmitTaskCompletionRequest* req = &a->req;
      req->set_plan_id(cli.plan_id());
      for (const std::string& e : a->evidence) req->add_evidence(e);
      tv1::SubmitTaskCompletionResponse resp;
      cli.Check(cli.Tasks().SubmitTaskCompletion(cli.Context().get(), *req, &resp));
      Show(cli, resp, [&] { PrintTask(std::cout, resp.task(), cli.UnitNames()); });
    });
  }
  {
    struct Args {
      std::string id, reason;
      bool confirm = false, send_back = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = task->add_subcommand(
        "decide-closure", "确认销号 or 退回: decide a submitted completion (the plan owner)");
    c->add_option("task_id", a->id)->required();
    CLI::Option* confirm = c->add_flag("--confirm", a->confirm, "confirm: the task is done");
    c->add_flag("--return", a->send_back, "return it to the lead unit (--reason required)")
        ->excludes(confirm);
    c->add_option("--reason", a->reason, "why it is returned, or a remark");
    c->callback([&cli, a] {
      if (a->confirm == a->send_back) FailCommand("give --confirm or --return", 2);
      tv1::DecideTaskCompletionRequest req;
      req.set_plan_id(cli.plan_id());
      req.set_task_id(a->id);
      req.set_confirm(a->confirm);
      req.set_reason(a->reason);
      tv1::DecideTaskCompletionResponse resp;
      cli.Check(cli.Tasks().DecideTaskCompletion(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintTask(std::cout, resp.task(), cli.UnitNames()); });
    });
  }
}

}  // namespace

void AddPlanAndTaskCommands(CLI::App& app, Cli& cli) {
  AddPlanCommands(app, cli);
  AddTaskCommands(app, cli);
}

void AddProgressCommands(CLI::App& app, Cli& cli) {
  CLI::App* progress = app.add_subcommand("progress", "monthly progress (月调度)");
  progress->require_subcommand(1);
  {
    struct Args {
      std::string task, period, text, unit;
      std::vector<std::string> figures;
      std::vector<int> milestones;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = progress->add_subcommand("report", "report your unit's progress on a task for a month");
    c->add_option("task_id", a->task)->required();
    c->add_option("--period", a->period, "YYYY-MM")->required();
    c->add_option("--text", a->text, "the progress in words")->required();
    c->add_option("--figure", a->figures, "target_id=value achieved this month (repeatable)");
    c->add_option("--unit", a->unit, "your unit (default: the token's)");
    c->add_option("--milestone", a->milestones,
                  "a quarter (1..4) whose milestone now stands (the lead unit; repeatable)");
    c->callback([&cli, a] {
      tv1::ReportProgressRequest req;
      tv1::ProgressReport* r = req.mutable_report();
      r->set_plan_id(cli.plan_id());
      r->set_task_id(a->task);
      r->set_period(a->period);
      r->set_text(a->text);
      r->set_unit_id(a->unit);
      for (int q : a->milestones) r->add_milestones_reached(q);
      for (const std::string& f : a->figures) {
        std::pair<std::string, std::string> kv = absl::StrSplit(f, absl::MaxSplits('=', 1));
        int64_t value = 0;
        if (kv.second.empty() || !absl::SimpleAtoi(kv.second, &value)) {
          FailCommand("--figure: \"" + f + "\" is not target_id=number", 2);
        }
        tv1::Figure* fig = r->add_figures();
        fig->set_target_id(kv.first);
        fig->set_value(value);
      }
      tv1::ReportProgressResponse resp;
      cli.Check(cli.Tasks().ReportProgress(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] {
        google::protobuf::RepeatedPtrField<tv1::ProgressReport> one;
        *one.Add() = resp.report();
        PrintReports(std::cout, one, cli.UnitNames());
        if (resp.replaced()) std::cout << "(replaced the earlier report for this month)\n";
      });
    });
  }
  {
    auto req = std::make_shared<tv1::ListProgressRequest>();
    CLI::App* c = progress->add_subcommand("list", "reports so far");
    c->add_option("--task", *req->mutable_task_id());
    c->add_option("--unit", *req->mutable_unit_id());
    c->add_option("--period", *req->mutable_period());
    c->callback([&cli, req] {
      req->set_plan_id(cli.plan_id());
      tv1::ListProgressResponse resp;
      cli.Check(cli.Tasks().ListProgress(cli.Context().get(), *req, &resp));
      Show(cli, resp, [&] { PrintReports(std::cout, resp.reports(), cli.UnitNames()); });
    });
  }
  {
    auto period = std::make_shared<std::string>();
    CLI::App* c = progress->add_subcommand("overdue", "units that missed the reporting day");
    c->add_option("--period", *period, "YYYY-MM (default: the last one due)");
    c->callback([&cli, period] {
      tv1::ListOverdueReportsRequest req;
      req.set_plan_id(cli.plan_id());
      req.set_period(*period);
      tv1::ListOverdueReportsResponse resp;
      cli.Check(cli.Tasks().ListOverdueReports(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintOverdue(std::cout, resp.overdue(), cli.UnitNames()); });
    });
  }
}

}  // namespace uplift::cli

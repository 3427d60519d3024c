// Tasks migrations. Append new versions; never edit a shipped one.
#include "services/tasks/tasks_schema.h"

#include "services/tasks/problem_units_store.h"
#include "services/tasks/projects_store.h"

namespace uplift::tasks {

MigrationSet TasksMigrations() {
  return {"tasks",
          {
              {1, "plans, tasks, progress, problems",
               // A plan as applied (serialized uplift.tasks.v1.Plan).
               "CREATE TABLE plans ("
               " plan_id TEXT PRIMARY KEY,"
               " year INTEGER NOT NULL,"
               " body BLOB NOT NULL,"
               " content_hash TEXT NOT NULL,"
               " applied_at TEXT NOT NULL);"
               // Tasks as currently assigned (serialized uplift.tasks.v1.Task).
               "CREATE TABLE tasks ("
               " plan_id TEXT NOT NULL REFERENCES plans(plan_id),"
               " task_id TEXT NOT NULL,"
               " position INTEGER NOT NULL,"
               " body BLOB NOT NULL,"
               " PRIMARY KEY (plan_id, task_id));"
               "CREATE TABLE progress_reports ("
               " plan_id TEXT NOT NULL,"
               " task_id TEXT NOT NULL,"
               " unit_id TEXT NOT NULL,"
               " period TEXT NOT NULL,"
               " body BLOB NOT NULL,"
               " report_time TEXT NOT NULL,"
               " PRIMARY KEY (plan_id, task_id, unit_id, period));"
               "CREATE TABLE progress_figures ("
               " plan_id TEXT NOT NULL,"
               " task_id TEXT NOT NULL,"
               " unit_id TEXT NOT NULL,"
               " period TEXT NOT NULL,"
               " target_id TEXT NOT NULL,"
               " value INTEGER NOT NULL,"
               " PRIMARY KEY (plan_id, task_id, unit_id, period, target_id));"
               // What other services counted (uplift:events:indicators).
               "CREATE TABLE target_progress ("
               " plan_id TEXT NOT NULL,"
               " target_id TEXT NOT NULL,"
               " achieved INTEGER NOT NULL,"
               " period TEXT NOT NULL,"
               " as_of TEXT NOT NULL,"
               " PRIMARY KEY (plan_id, target_id));"
               "CREATE TABLE reminders_sent ("
               " plan_id TEXT NOT NULL,"
               " task_id TEXT NOT NULL,"
               " unit_id TEXT NOT NULL,"
               " period TEXT NOT NULL,"
               " sent_at TEXT NOT NULL,"
               " PRIMARY KEY (plan_id, task_id, unit_id, period));"
               "CREATE TABLE problems ("
               " problem_id TEXT PRIMARY KEY,"
               " plan_id TEXT NOT NULL,"
               " credit_code TEXT NOT NULL,"
               " category TEXT NOT NULL,"
               " cluster_id TEXT NOT NULL,"
               " township_id TEXT NOT NULL,"
               " leader_unit_id TEXT NOT NULL,"
               " rung INTEGER NOT NULL,"
               " owner_unit_id TEXT NOT NULL,"
               " state INTEGER NOT NULL,"
               " deadline TEXT NOT NULL,"
               " overdue_at_top INTEGER NOT NULL DEFAULT 0,"
               " raise_time TEXT NOT NULL,"
               " body BLOB NOT NULL);"
               "CREATE INDEX problems_open ON problems(credit_code, category) WHERE state != 3;"
               "CREATE INDEX problems_due ON problems(deadline) WHERE state != 3;"
               "CREATE INDEX problems_recent ON problems(raise_time, problem_id);"
               "CREATE TABLE problem_steps ("
               " problem_id TEXT NOT NULL REFERENCES problems(problem_id),"
               " seq INTEGER NOT NULL,"
               " owner_unit_id TEXT NOT NULL,"
               " body BLOB NOT NULL,"
               " PRIMARY KEY (problem_id, seq));"
               "CREATE INDEX problem_steps_owner ON problem_steps(owner_unit_id, problem_id);"},
              {2, "the registry as its events tell it; problems the sweep cannot move",
               "CREATE TABLE directory_units ("
               " unit_id TEXT PRIMARY KEY,"
               " name TEXT NOT NULL);"
               "CREATE TABLE directory_clusters ("
               " cluster_id TEXT PRIMARY KEY,"
               " name TEXT NOT NULL,"
               " leader_unit_id TEXT NOT NULL);"
               "CREATE TABLE sweep_blocked ("
               " problem_id TEXT PRIMARY KEY,"
               " reason TEXT NOT NULL,"
               " since TEXT NOT NULL,"
               " retry_at TEXT NOT NULL);"
               "CREATE INDEX problems_by_credit_code ON problems(credit_code);"
               "CREATE INDEX problems_by_cluster ON problems(cluster_id);"},
              {3, "销号 steps, milestones reached, counted figures by period",
               // Steps of a task's 销号 (serialized uplift.tasks.v1.ClosureStep).
               "CREATE TABLE task_closure_steps ("
               " plan_id TEXT NOT NULL,"
               " task_id TEXT NOT NULL,"
               " seq INTEGER NOT NULL,"
               " step_time TEXT NOT NULL,"
               " body BLOB NOT NULL,"
               " PRIMARY KEY (plan_id, task_id, seq));"
               // Quarters a unit's progress report says the milestone stands.
               "CREATE TABLE milestones_reached ("
               " plan_id TEXT NOT NULL,"
               " task_id TEXT NOT NULL,"
               " unit_id TEXT NOT NULL,"
               " period TEXT NOT NULL,"
               " quarter INTEGER NOT NULL,"
               " report_time TEXT NOT NULL,"
               " PRIMARY KEY (plan_id, task_id, unit_id, period, quarter));"
               // What other services counted, kept per period so that a
               // report for a past period sees the figure of its time.
               "CREATE TABLE target_progress_periods ("
               " plan_id TEXT NOT NULL,"
               " target_id TEXT NOT NULL,"
               " period TEXT NOT NULL,"
               " achieved INTEGER NOT NULL,"
               " as_of TEXT NOT NULL,"
               " PRIMARY KEY (plan_id, target_id, period));"
               "INSERT INTO target_progress_periods(plan_id, target_id, period, achieved, as_of)"
               " SELECT plan_id, target_id, period, achieved, as_of FROM target_progress;"
               "DROP TABLE target_progress;"},
              {4, "the units a problem concerns: co-handlers, approvers, units that took a step",
               store::kProblemUnitsTable, store::FillProblemUnits},
              {5, "项目台账: projects, their steps and monthly progress; problems met on a project",
               store::kProjectsTables},
          }};
}

}  // namespace uplift::tasks

// Rows of the tasks service <-> protobuf messages. Every function runs on a
// connection the caller holds (inside Store::Read or Write) and neither
// checks access nor validates: TasksService does.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/sql/connection.h"
#include "services/tasks/task_status.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks::store {

std::optional<v1::Plan> FindPlan(sql::Connection& db, const std::string& plan_id);
// Every plan applied, newest year first.
std::vector<v1::Plan> ListPlans(sql::Connection& db);
void SavePlan(sql::Connection& db, const v1::Plan& plan);
// The plan of `year`, else the newest applied; nullopt if none.
std::optional<std::string> DefaultPlanId(sql::Connection& db, int year);

void ReplaceTasks(sql::Connection& db, const v1::Plan& plan);
std::optional<v1::Task> FindTask(sql::Connection& db, const std::string& plan_id,
                                 const std::string& task_id);
std::vector<v1::Task> ListTasks(sql::Connection& db, const std::string& plan_id);
void SaveTask(sql::Connection& db, const std::string& plan_id, const v1::Task& task);

std::optional<v1::ProgressReport> FindReport(sql::Connection& db, const v1::ProgressReport& key);
// Inserts or replaces the report, its figures and the milestones it says
// stand.
void SaveReport(sql::Connection& db, const v1::ProgressReport& report);
struct ReportFilter {
  std::string plan_id, task_id, unit_id, period;
};
std::vector<v1::ProgressReport> ListReports(sql::Connection& db, const ReportFilter& filter);
// (task_id, unit_id) pairs that reported for `period`.
std::set<std::pair<std::string, std::string>> ReportedFor(sql::Connection& db,
                                                          const std::string& plan_id,
                                                          const std::string& period);

// True the first time for this key.
bool MarkReminderSent(sql::Connection& db, const std::string& plan_id, const std::string& task_id,
                      const std::string& unit_id, const std::string& period, absl::Time now);

void InsertProblem(sql::Connection& db, const v1::Problem& p, const std::string& leader_unit_id);
void UpdateProblem(sql::Connection& db, const v1::Problem& p, bool overdue_at_top);
// The enterprise's facts of a problem (township, cluster, name) as the
// registry has them now; the ladder's state is left as it is.
void UpdateProblemFacts(sql::Connection& db, const v1::Problem& p);
std::optional<v1::Problem> FindProblem(sql::Connection& db, const std::string& problem_id);
std::optional<v1::Problem> FindOpenProblem(sql::Connection& db, const std::string& credit_code,
                                           const std::string& category);
std::string LeaderOf(sql::Connection& db, const std::string& problem_id);
void SetLeader(sql::Connection& db, const std::string& problem_id, const std::string& leader);
// Appends with the next sequence number, which it returns.
int AppendStep(sql::Connection& db, const std::string& problem_id, v1::ProblemStep step);
std::vector<v1::ProblemStep> ListSteps(sql::Connection& db, const std::string& problem_id);
// The plan's problems raised before `before`, oldest first, each with its
// timeline (for the statistics, which replay it).
std::vector<v1::Problem> ProblemsWithTimelines(sql::Connection& db, const std::string& plan_id,
                                               absl::Time before);
// Unresolved problems past `now`, excluding those already marked overdue at
// the top rung and those the sweep could not move lately (BlockSweep) until
// their retry time.
std::vector<std::string> DueProblemIds(sql::Connection& db, absl::Time now, int limit);
// A problem the sweep could not escalate (its category or cluster is gone,
// the registry refuses): skipped until `retry_at`, and listed with the reason.
void BlockSweep(sql::Connection& db, const std::string& problem_id, const std::string& reason,
                absl::Time now, absl::Time retry_at);
void UnblockSweep(sql::Connection& db, const std::string& problem_id);
struct BlockedProblem {
  std::string problem_id, reason, since;
};
std::vector<BlockedProblem> BlockedProblems(sql::Connection& db);

// Ids of unresolved problems whose `column` (township_id, cluster_id) is `value`.
std::vector<std::string> UnresolvedProblemsOf(sql::Connection& db, const std::string& column,
                                              const std::string& value);
std::vector<std::string> ProblemsOfEnterprise(sql::Connection& db, const std::string& credit_code);
// Every problem of the cluster now has `leader` as its leader; returns how many.
int SetLeaderOfCluster(sql::Connection& db, const std::string& cluster_id,
                       const std::string& leader);

// The registry as its events tell it (names for texts, leaders of clusters).
void SaveDirectoryUnit(sql::Connection& db, const std::string& unit_id, const std::string& name);
void SaveDirectoryCluster(sql::Connection& db, const std::string& cluster_id,
                          const std::string& name, const std::string& leader);
// "" if unknown.
std::string UnitName(sql::Connection& db, const std::string& unit_id);
// (name, leader), if known.
std::optional<std::pair<std::string, std::string>> DirectoryCluster(sql::Connection& db,
                                                                    const std::string& cluster_id);

enum class ProblemView {
  kTownship,  // the enterprise is in the township now
  kLeader,    // the unit leads the enterprise's cluster now, or owns or owned the problem
  kOwner,     // the unit owns the problem or owned it before
};

struct ProblemFilter {
  v1::Rung rung = v1::RUNG_UNSPECIFIED;
  std::string owner_unit_id, cluster_id, township_id, credit_code;
  std::string awaiting_unit_id;  // a 延期 to decide or a 会商 to answer
  std::string project_id;        // met on this project
  v1::ProblemState state = v1::PROBLEM_STATE_UNSPECIFIED;
  std::optional<bool> overdue;
  absl::Time now;
  // Visibility. Unrestricted: every problem. Restricted: only what
  // `visible_unit` sees in its `view`; a restricted filter without a unit
  // matches nothing.
  bool restricted = false;
  ProblemView view = ProblemView::kOwner;
  std::string visible_unit;
};
// Newest first, after the (raise_time, problem_id) cursor.
std::vector<v1::Problem> ListProblems(sql::Connection& db, const ProblemFilter& filter,
                                      const std::string& after_cursor, int limit);
std::string ProblemCursor(const v1::Problem& p);

}  // namespace uplift::tasks::store

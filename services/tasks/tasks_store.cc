// SQL of the tasks service.
#include "services/tasks/tasks_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/sql/dialect.h"
#include "common/sql/query.h"
#include "common/time_util.h"
#include "services/tasks/problem_units_store.h"
#include "services/tasks/stored_body.h"

namespace uplift::tasks::store {
namespace {

// The stored problem without what GetProblem adds (timeline).
v1::Problem Stored(v1::Problem p) {
  p.clear_timeline();
  p.set_overdue(false);
  return p;
}

}  // namespace

std::optional<v1::Plan> FindPlan(sql::Connection& db, const std::string& plan_id) {
  sql::Query q(db, "SELECT body FROM plans WHERE plan_id=?");
  q.Bind(1, plan_id);
  if (!q.Step()) return std::nullopt;
  return sql::ParseMessage<v1::Plan>(q, 0);
}

std::vector<v1::Plan> ListPlans(sql::Connection& db) {
  sql::Query q(db, "SELECT body FROM plans ORDER BY year DESC, plan_id");
  std::vector<v1::Plan> out;
  while (q.Step()) {
    if (std::optional<v1::Plan> plan = sql::ParseMessage<v1::Plan>(q, 0))
      out.push_back(std::move(*plan));
  }
  return out;
}

void SavePlan(sql::Connection& db, const v1::Plan& plan) {
  sql::Query s(db,
               "INSERT INTO plans(plan_id, year, body, content_hash, applied_at)"
               " VALUES(?,?,?,?,?) ON CONFLICT(plan_id) DO UPDATE SET year=excluded.year,"
               " body=excluded.body, content_hash=excluded.content_hash,"
               " applied_at=excluded.applied_at");
  std::string body;
  s.Bind(1, plan.plan_id());
  s.Bind(2, plan.year());
  sql::BindMessage(s, 3, plan, &body);
  s.Bind(4, plan.content_hash());
  s.Bind(5, TimeText(plan.applied_time()));
  s.Exec();
}

std::optional<std::string> DefaultPlanId(sql::Connection& db, int year) {
  sql::Query q(db,
               "SELECT plan_id FROM plans ORDER BY (year = ?) DESC, year DESC,"
               " applied_at DESC LIMIT 1");
  q.Bind(1, year);
  if (!q.Step()) return std::nullopt;
  return q.Text(0);
}

void ReplaceTasks(sql::Connection& db, const v1::Plan& plan) {
  sql::Query del(db, "DELETE FROM tasks WHERE plan_id=?");
  del.Bind(1, plan.plan_id());
  del.Exec();
  sql::Query ins(db, "INSERT INTO tasks(plan_id, task_id, position, body) VALUES(?,?,?,?)");
  std::string body;
  for (int i = 0; i < plan.tasks_size(); ++i) {
    ins.Bind(1, plan.plan_id());
    ins.Bind(2, plan.tasks(i).task_id());
    ins.Bind(3, i);
    sql::BindMessage(ins, 4, plan.tasks(i), &body);
    ins.Exec();
    ins.Reset();
  }
}

std::optional<v1::Task> FindTask(sql::Connection& db, const std::string& plan_id,
                                 const std::string& task_id) {
  sql::Query q(db, "SELECT body FROM tasks WHERE plan_id=? AND task_id=?");
  q.Bind(1, plan_id);
  q.Bind(2, task_id);
  if (!q.Step()) return std::nullopt;
  return sql::ParseMessage<v1::Task>(q, 0);
}

std::vector<v1::Task> ListTasks(sql::Connection& db, const std::string& plan_id) {
  sql::Query q(db, "SELECT body FROM tasks WHERE plan_id=? ORDER BY position");
  q.Bind(1, plan_id);
  std::vector<v1::Task> out;
  while (q.Step()) {
    if (auto t = sql::ParseMessage<v1::Task>(q, 0)) out.push_back(std::move(*t));
  }
  return out;
}

void SaveTask(sql::Connection& db, const std::string& plan_id, const v1::Task& task) {
  sql::Query s(db, "UPDATE tasks SET body=? WHERE plan_id=? AND task_id=?");
  std::string body;
  sql::BindMessage(s, 1, task, &body);
  s.Bind(2, plan_id);
  s.Bind(3, task.task_id());
  s.Exec();
}

std::optional<v1::ProgressReport> FindReport(sql::Connection& db, const v1::ProgressReport& k) {
  sql::Query q(db,
               "SELECT body FROM progress_reports WHERE plan_id=? AND task_id=?"
               " AND unit_id=? AND period=?");
  q.Bind(1, k.plan_id());
  q.Bind(2, k.task_id());
  q.Bind(3, k.unit_id());
  q.Bind(4, k.period());
  if (!q.Step()) return std::nullopt;
  return sql::ParseMessage<v1::ProgressReport>(q, 0);
}

void SaveReport(sql::Connection& db, const v1::ProgressReport& r) {
  sql::Query s(
      db, sql::UpsertSql("progress_reports", "plan_id, task_id, unit_id, period, body, report_time",
                         "plan_id, task_id, unit_id, period"));
  std::string body;
  s.Bind(1, r.plan_id());
  s.Bind(2, r.task_id());
  s.Bind(3, r.unit_id());
  s.Bind(4, r.period());
  sql::BindMessage(s, 5, r, &body);
  s.Bind(6, TimeText(r.report_time()));
  s.Exec();
  // The report's figures and milestones, replaced.
  for (const char* table : {"progress_figures", "milestones_reached"}) {
    sql::Query del(db, absl::StrCat("DELETE FROM ", table,
                                    " WHERE plan_id=? AND task_id=? AND unit_id=? AND period=?"));
    del.Bind(1, r.plan_id());
    del.Bind(2, r.task_id());
    del.Bind(3, r.unit_id());
    del.Bind(4, r.period());
    del.Exec();
  }
  sql::Query fig(db,
                 "INSERT INTO progress_figures(plan_id, task_id, unit_id, period, target_id,"
                 " value) VALUES(?,?,?,?,?,?)");
  for (const v1::Figure& f : r.figures()) {
    fig.Bind(1, r.plan_id());
    fig.Bind(2, r.task_id());
    fig.Bind(3, r.unit_id());
    fig.Bind(4, r.period());
    fig.Bind(5, f.target_id());
    fig.Bind(6, static_cast<int64_t>(f.value()));
    fig.Exec();
    fig.Reset();
  }
  sql::Query ms(db,
                "INSERT INTO milestones_reached(plan_id, task_id, unit_id, period, quarter,"
                " report_time) VALUES(?,?,?,?,?,?) ON CONFLICT DO NOTHING");
  for (int32_t quarter : r.milestones_reached()) {
    ms.Bind(1, r.plan_id());
    ms.Bind(2, r.task_id());
    ms.Bind(3, r.unit_id());
    ms.Bind(4, r.period());
    ms.Bind(5, static_cast<int64_t>(quarter));
    ms.Bind(6, TimeText(r.report_time()));
    ms.Exec();
    ms.Reset();
  }
}

std::vector<v1::ProgressReport> ListReports(sql::Connection& db, const ReportFilter& f) {
  sql::Query q(db,
               "SELECT body FROM progress_reports WHERE plan_id=?1 AND (?2='' OR task_id=?2)"
               " AND (?3='' OR unit_id=?3) AND (?4='' OR period=?4)"
               " ORDER BY period, task_id, unit_id");
  q.Bind(1, f.plan_id);
  q.Bind(2, f.task_id);
  q.Bind(3, f.unit_id);
  q.Bind(4, f.period);
  std::vector<v1::ProgressReport> out;
  while (q.Step()) {
    if (auto r = sql::ParseMessage<v1::ProgressReport>(q, 0)) out.push_back(std::move(*r));
  }
  return out;
}

std::set<std::pair<std::string, std::string>> ReportedFor(sql::Connection& db,
                                                          const std::string& plan_id,
                                                          const std::string& period) {
  sql::Query q(db, "SELECT task_id, unit_id FROM progress_reports WHERE plan_id=? AND period=?");
  q.Bind(1, plan_id);
  q.Bind(2, period);
  std::set<std::pair<std::string, std::string>> out;
  while (q.Step()) out.emplace(q.Text(0), q.Text(1));
  return out;
}

bool MarkReminderSent(sql::Connection& db, const std::string& plan_id, const std::string& task_id,
                      const std::string& unit_id, const std::string& period, absl::Time now) {
  sql::Query s(db,
               "INSERT INTO reminders_sent(plan_id, task_id, unit_id, period,"
               " sent_at) VALUES(?,?,?,?,?) ON CONFLICT DO NOTHING");
  s.Bind(1, plan_id);
  s.Bind(2, task_id);
  s.Bind(3, unit_id);
  s.Bind(4, period);
  s.Bind(5, FormatRfc3339(now));
  return s.Exec() == 1;
}

void InsertProblem(sql::Connection& db, const v1::Problem& p, const std::string& leader) {
  sql::Query s(db,
               "INSERT INTO problems(problem_id, plan_id, credit_code, category, cluster_id,"
               " township_id, leader_unit_id, rung, owner_unit_id, state, deadline,"
               " raise_time, body, project_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  std::string body;
  s.Bind(1, p.problem_id());
  s.Bind(2, p.plan_id());
  s.Bind(3, p.credit_code());
  s.Bind(4, p.category());
  s.Bind(5, p.cluster_id());
  s.Bind(6, p.township_id());
  s.Bind(7, leader);
  s.Bind(8, static_cast<int>(p.rung()));
  s.Bind(9, p.owner_unit_id());
  s.Bind(10, static_cast<int>(p.state()));
  s.Bind(11, TimeText(p.deadline()));
  s.Bind(12, TimeText(p.raise_time()));
  sql::BindMessage(s, 13, Stored(p), &body);
  s.Bind(14, p.project_id());
  s.Exec();
  SyncProblemUnits(db, p);
}

void UpdateProblem(sql::Connection& db, const v1::Problem& p, bool overdue_at_top) {
  sql::Query s(db,
               "UPDATE problems SET rung=?, owner_unit_id=?, state=?, deadline=?,"
               " overdue_at_top=?, township_id=?, cluster_id=?, body=? WHERE problem_id=?");
  std::string body;
  s.Bind(1, static_cast<int>(p.rung()));
  s.Bind(2, p.owner_unit_id());
  s.Bind(3, static_cast<int>(p.state()));
  s.Bind(4, TimeText(p.deadline()));
  s.Bind(5, overdue_at_top ? 1 : 0);
  s.Bind(6, p.township_id());
  s.Bind(7, p.cluster_id());
  sql::BindMessage(s, 8, Stored(p), &body);
  s.Bind(9, p.problem_id());
  s.Exec();
  SyncProblemUnits(db, p);
}

void UpdateProblemFacts(sql::Connection& db, const v1::Problem& p) {
  sql::Query s(db, "UPDATE problems SET township_id=?, cluster_id=?, body=? WHERE problem_id=?");
  std::string body;
  s.Bind(1, p.township_id());
  s.Bind(2, p.cluster_id());
  sql::BindMessage(s, 3, Stored(p), &body);
  s.Bind(4, p.problem_id());
  s.Exec();
}

std::optional<v1::Problem> FindProblem(sql::Connection& db, const std::string& problem_id) {
  sql::Query q(db, "SELECT body FROM problems WHERE problem_id=?");
  q.Bind(1, problem_id);
  if (!q.Step()) return std::nullopt;
  return sql::ParseMessage<v1::Problem>(q, 0);
}

std::optional<v1::Problem> FindOpenProblem(sql::Connection& db, const std::string& credit_code,
                                           const std::string& category) {
  sql::Query q(db,
               "SELECT body FROM problems WHERE credit_code=? AND category=? AND state != 3"
               " ORDER BY raise_time LIMIT 1");
  q.Bind(1, credit_code);
  q.Bind(2, category);
  if (!q.Step()) return std::nullopt;
  return sql::ParseMessage<v1::Problem>(q, 0);
}

std::string LeaderOf(sql::Connection& db, const std::string& problem_id) {
  sql::Query q(db, "SELECT leader_unit_id FROM problems WHERE problem_id=?");
  q.Bind(1, problem_id);
  return q.Step() ? q.Text(0) : "";
}

void SetLeader(sql::Connection& db, const std::string& problem_id, const std::string& leader) {
  sql::Query s(db, "UPDATE problems SET leader_unit_id=? WHERE problem_id=?");
  s.Bind(1, leader);
  s.Bind(2, problem_id);
  s.Exec();
}

int AppendStep(sql::Connection& db, const std::string& problem_id, v1::ProblemStep step) {
  sql::Query next(db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM problem_steps WHERE problem_id=?");
  next.Bind(1, problem_id);
  next.Step();
  const int seq = next.Int(0);
  step.set_seq(seq);
  sql::Query s(db,
               "INSERT INTO problem_steps(problem_id, seq, owner_unit_id, body) VALUES(?,?,?,?)");
  std::string body;
  s.Bind(1, problem_id);
  s.Bind(2, seq);
  s.Bind(3, step.owner_unit_id());
  sql::BindMessage(s, 4, step, &body);
  s.Exec();
  AddStepActor(db, problem_id, step.actor_unit_id());
  return seq;
}

std::vector<v1::ProblemStep> ListSteps(sql::Connection& db, const std::string& problem_id) {
  sql::Query q(db, "SELECT body FROM problem_steps WHERE problem_id=? ORDER BY seq");
  q.Bind(1, problem_id);
  std::vector<v1::ProblemStep> out;
  while (q.Step()) {
    if (auto s = sql::ParseMessage<v1::ProblemStep>(q, 0)) out.push_back(std::move(*s));
  }
  return out;
}

std::vector<v1::Problem> ProblemsWithTimelines(sql::Connection& db, const std::string& plan_id,
                                               absl::Time before) {
  const std::string cutoff = FormatRfc3339(before);
  std::vector<v1::Problem> out;
  std::map<std::string, size_t> index;
  {
    sql::Query q(db,
                 "SELECT problem_id, body FROM problems WHERE plan_id = ?1 AND raise_time < ?2"
                 " ORDER BY raise_time, problem_id");
    q.Bind(1, plan_id);
    q.Bind(2, cutoff);
    while (q.Step()) {
      if (auto p = sql::ParseMessage<v1::Problem>(q, 1)) {
        index[q.Text(0)] = out.size();
        out.push_back(std::move(*p));
      }
    }
  }
  sql::Query q(db,
               "SELECT s.problem_id, s.body FROM problem_steps s JOIN problems p"
               " ON p.problem_id = s.problem_id WHERE p.plan_id = ?1 AND p.raise_time < ?2"
               " ORDER BY s.problem_id, s.seq");
  q.Bind(1, plan_id);
  q.Bind(2, cutoff);
  while (q.Step()) {
    auto it = index.find(q.Text(0));
    if (it == index.end()) continue;
    if (auto step = sql::ParseMessage<v1::ProblemStep>(q, 1)) {
      *out[it->second].add_timeline() = std::move(*step);
    }
  }
  return out;
}

std::vector<std::string> DueProblemIds(sql::Connection& db, absl::Time now, int limit) {
  sql::Query q(db,
               "SELECT problem_id FROM problems p WHERE state NOT IN (3, 4) AND deadline <= ?1"
               " AND overdue_at_top = 0 AND NOT EXISTS (SELECT 1 FROM sweep_blocked b"
               " WHERE b.problem_id = p.problem_id AND b.retry_at > ?1)"
               " ORDER BY deadline LIMIT ?2");
  q.Bind(1, FormatRfc3339(now));
  q.Bind(2, limit);
  std::vector<std::string> out;
  while (q.Step()) out.push_back(q.Text(0));
  return out;
}

void BlockSweep(sql::Connection& db, const std::string& problem_id, const std::string& reason,
                absl::Time now, absl::Time retry_at) {
  sql::Query s(db,
               "INSERT INTO sweep_blocked(problem_id, reason, since, retry_at)"
               " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(problem_id) DO UPDATE"
               " SET reason=?2, retry_at=?4");
  s.Bind(1, problem_id);
  s.Bind(2, reason);
  s.Bind(3, FormatRfc3339(now));
  s.Bind(4, FormatRfc3339(retry_at));
  s.Exec();
}

void UnblockSweep(sql::Connection& db, const std::string& problem_id) {
  sql::Query s(db, "DELETE FROM sweep_blocked WHERE problem_id=?");
  s.Bind(1, problem_id);
  s.Exec();
}

std::vector<BlockedProblem> BlockedProblems(sql::Connection& db) {
  sql::Query q(db, "SELECT problem_id, reason, since FROM sweep_blocked ORDER BY since");
  std::vector<BlockedProblem> out;
  while (q.Step()) {
    out.push_back({q.Text(0), q.Text(1), q.Text(2)});
  }
  return out;
}

std::vector<std::string> UnresolvedProblemsOf(sql::Connection& db, const std::string& column,
                                              const std::string& value) {
  sql::Query q(
      db, absl::StrCat("SELECT problem_id FROM problems WHERE state != 3 AND ", column, " = ?"));
  q.Bind(1, value);
  std::vector<std::string> out;
  while (q.Step()) out.push_back(q.Text(0));
  return out;
}

int SetLeaderOfCluster(sql::Connection& db, const std::string& cluster_id,
                       const std::string& leader) {
  sql::Query s(db, "UPDATE problems SET leader_unit_id=? WHERE cluster_id=?");
  s.Bind(1, leader);
  s.Bind(2, cluster_id);
  return s.Exec();
}

std::vector<std::string> ProblemsOfEnterprise(sql::Connection& db, const std::string& credit_code) {
  sql::Query q(db, "SELECT problem_id FROM problems WHERE credit_code = ?");
  q.Bind(1, credit_code);
  std::vector<std::string> out;
  while (q.Step()) out.push_back(q.Text(0));
  return out;
}

void SaveDirectoryUnit(sql::Connection& db, const std::string& unit_id, const std::string& name) {
  sql::Query s(db,
               "INSERT INTO directory_units(unit_id, name) VALUES(?1, ?2)"
               " ON CONFLICT(unit_id) DO UPDATE SET name=?2");
  s.Bind(1, unit_id);
  s.Bind(2, name);
  s.Exec();
}

void SaveDirectoryCluster(sql::Connection& db, const std::string& cluster_id,
                          const std::string& name, const std::string& leader) {
  sql::Query s(db,
               "INSERT INTO directory_clusters(cluster_id, name, leader_unit_id)"
               " VALUES(?1, ?2, ?3) ON CONFLICT(cluster_id) DO UPDATE"
               " SET name=?2, leader_unit_id=?3");
  s.Bind(1, cluster_id);
  s.Bind(2, name);
  s.Bind(3, leader);
  s.Exec();
}

std::string UnitName(sql::Connection& db, const std::string& unit_id) {
  sql::Query q(db, "SELECT name FROM directory_units WHERE unit_id=?");
  q.Bind(1, unit_id);
  return q.Step() ? q.Text(0) : std::string();
}

std::optional<std::pair<std::string, std::string>> DirectoryCluster(sql::Connection& db,
                                                                    const std::string& cluster_id) {
  sql::Query q(db, "SELECT name, leader_unit_id FROM directory_clusters WHERE cluster_id=?");
  q.Bind(1, cluster_id);
  if (!q.Step()) return std::nullopt;
  return std::make_pair(q.Text(0), q.Text(1));
}

std::string ProblemCursor(const v1::Problem& p) {
  return absl::StrCat(TimeText(p.raise_time()), "|", p.problem_id());
}

std::vector<v1::Problem> ListProblems(sql::Connection& db, const ProblemFilter& f,
                                      const std::string& after_cursor, int limit) {
  std::string sql = "SELECT body FROM problems p WHERE 1=1";
  std::string cursor_time, cursor_id;
  if (!after_cursor.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(after_cursor, absl::MaxSplits('|', 1));
    cursor_time = parts.first;
    cursor_id = parts.second;
    sql += " AND (raise_time < ?1 OR (raise_time = ?1 AND problem_id < ?2))";
  }
  if (f.rung != v1::RUNG_UNSPECIFIED) sql += " AND rung = ?3";
  if (!f.owner_unit_id.empty()) sql += " AND owner_unit_id = ?4";
  if (f.state != v1::PROBLEM_STATE_UNSPECIFIED) sql += " AND state = ?5";
  if (!f.cluster_id.empty()) sql += " AND cluster_id = ?6";
  if (!f.township_id.empty()) sql += " AND township_id = ?7";
  if (!f.credit_code.empty()) sql += " AND credit_code = ?8";
  if (!f.project_id.empty()) sql += " AND project_id = ?12";
  if (!f.awaiting_unit_id.empty()) {
    sql +=
        " AND EXISTS (SELECT 1 FROM problem_units w WHERE w.problem_id = p.problem_id"
        " AND w.unit_id = ?11 AND w.waiting = 1)";
  }
  if (f.overdue.has_value()) {
    sql += *f.overdue ? " AND state != 3 AND deadline <= ?9" : " AND (state = 3 OR deadline > ?9)";
  }
  if (f.restricted) {
    // A restricted caller without a unit sees nothing (tokens of such roles
    // are refused anyway); never "no restriction".
    // Owns it, owned it, co-handles it, must decide its 延期, or took a step.
    static constexpr char kOwnsOrOwned[] =
        "owner_unit_id = ?10 OR EXISTS (SELECT 1 FROM problem_steps s"
        " WHERE s.problem_id = p.problem_id AND s.owner_unit_id = ?10)"
        " OR EXISTS (SELECT 1 FROM problem_units u"
        " WHERE u.problem_id = p.problem_id AND u.unit_id = ?10)";
    switch (f.view) {
      case ProblemView::kTownship: sql += " AND township_id = ?10"; break;
      case ProblemView::kLeader:
        sql += absl::StrCat(" AND (leader_unit_id = ?10 OR ", kOwnsOrOwned, ")");
        break;
      case ProblemView::kOwner: sql += absl::StrCat(" AND (", kOwnsOrOwned, ")"); break;
    }
    if (f.visible_unit.empty()) sql += " AND 0";
  }
  sql += " ORDER BY raise_time DESC, problem_id DESC LIMIT ?13";
  sql::Query q(db, sql);
  if (!after_cursor.empty()) {
    q.Bind(1, cursor_time);
    q.Bind(2, cursor_id);
  }
  if (f.rung != v1::RUNG_UNSPECIFIED) q.Bind(3, static_cast<int>(f.rung));
  if (!f.owner_unit_id.empty()) q.Bind(4, f.owner_unit_id);
  if (f.state != v1::PROBLEM_STATE_UNSPECIFIED) q.Bind(5, static_cast<int>(f.state));
  if (!f.cluster_id.empty()) q.Bind(6, f.cluster_id);
  if (!f.township_id.empty()) q.Bind(7, f.township_id);
  if (!f.credit_code.empty()) q.Bind(8, f.credit_code);
  if (!f.project_id.empty()) q.Bind(12, f.project_id);
  if (!f.awaiting_unit_id.empty()) q.Bind(11, f.awaiting_unit_id);
  if (f.overdue.has_value()) q.Bind(9, FormatRfc3339(f.now));
  if (f.restricted) q.Bind(10, f.visible_unit);
  q.Bind(13, limit);
  std::vector<v1::Problem> out;
  while (q.Step()) {
    if (auto p = sql::ParseMessage<v1::Problem>(q, 0)) out.push_back(std::move(*p));
  }
  return out;
}

}  // namespace uplift::tasks::store

// SQL of the tasks service.
#include "services/tasks/tasks_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/statement_cache.h"
#include "common/time_util.h"

namespace uplift::tasks::store {
namespace {

template <typename M>
std::optional<M> ParseBody(SQLite::Statement& q, int column) {
  M m;
  const SQLite::Column c = q.getColumn(column);
  if (!m.ParseFromArray(c.getBlob(), c.getBytes())) return std::nullopt;
  return m;
}

template <typename M>
void BindBody(SQLite::Statement& s, int index, const M& m, std::string* storage) {
  m.SerializeToString(storage);
  s.bind(index, storage->data(), static_cast<int>(storage->size()));
}

std::string TimeText(const google::protobuf::Timestamp& ts) {
  return FormatRfc3339(FromProtoTimestamp(ts));
}

// Rows of (target_id, achieved, as_of) by target.
std::map<std::string, CountedFigure> ReadFigures(SQLite::Statement& q) {
  std::map<std::string, CountedFigure> out;
  while (q.executeStep()) {
    CountedFigure c;
    c.achieved = q.getColumn(1).getInt64();
    absl::StatusOr<absl::Time> t = ParseRfc3339(q.getColumn(2).getString());
    if (t.ok()) c.as_of = *t;
    out[q.getColumn(0).getString()] = c;
  }
  return out;
}

// The stored problem without what GetProblem adds (timeline).
v1::Problem Stored(v1::Problem p) {
  p.clear_timeline();
  p.set_overdue(false);
  return p;
}

}  // namespace

std::optional<v1::Plan> FindPlan(SQLite::Database& db, const std::string& plan_id) {
  CachedStatement q(db, "SELECT body FROM plans WHERE plan_id=?");
  q.bind(1, plan_id);
  if (!q.executeStep()) return std::nullopt;
  return ParseBody<v1::Plan>(q, 0);
}

std::vector<v1::Plan> ListPlans(SQLite::Database& db) {
  CachedStatement q(db, "SELECT body FROM plans ORDER BY year DESC, plan_id");
  std::vector<v1::Plan> out;
  while (q.executeStep()) {
    if (std::optional<v1::Plan> plan = ParseBody<v1::Plan>(q, 0)) out.push_back(std::move(*plan));
  }
  return out;
}

void SavePlan(SQLite::Database& db, const v1::Plan& plan) {
  CachedStatement s(db,
                    "INSERT INTO plans(plan_id, year, body, content_hash, applied_at)"
                    " VALUES(?,?,?,?,?) ON CONFLICT(plan_id) DO UPDATE SET year=excluded.year,"
                    " body=excluded.body, content_hash=excluded.content_hash,"
                    " applied_at=excluded.applied_at");
  std::string body;
  s.bind(1, plan.plan_id());
  s.bind(2, plan.year());
  BindBody(s, 3, plan, &body);
  s.bind(4, plan.content_hash());
  s.bind(5, TimeText(plan.applied_time()));
  s.exec();
}

std::optional<std::string> DefaultPlanId(SQLite::Database& db, int year) {
  CachedStatement q(db,
                    "SELECT plan_id FROM plans ORDER BY (year = ?) DESC, year DESC,"
                    " applied_at DESC LIMIT 1");
  q.bind(1, year);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

void ReplaceTasks(SQLite::Database& db, const v1::Plan& plan) {
  CachedStatement del(db, "DELETE FROM tasks WHERE plan_id=?");
  del.bind(1, plan.plan_id());
  del.exec();
  CachedStatement ins(db, "INSERT INTO tasks(plan_id, task_id, position, body) VALUES(?,?,?,?)");
  std::string body;
  for (int i = 0; i < plan.tasks_size(); ++i) {
    ins.bind(1, plan.plan_id());
    ins.bind(2, plan.tasks(i).task_id());
    ins.bind(3, i);
    BindBody(ins, 4, plan.tasks(i), &body);
    ins.exec();
    ins.reset();
  }
}

std::optional<v1::Task> FindTask(SQLite::Database& db, const std::string& plan_id,
                                 const std::string& task_id) {
  CachedStatement q(db, "SELECT body FROM tasks WHERE plan_id=? AND task_id=?");
  q.bind(1, plan_id);
  q.bind(2, task_id);
  if (!q.executeStep()) return std::nullopt;
  return ParseBody<v1::Task>(q, 0);
}

std::vector<v1::Task> ListTasks(SQLite::Database& db, const std::string& plan_id) {
  CachedStatement q(db, "SELECT body FROM tasks WHERE plan_id=? ORDER BY position");
  q.bind(1, plan_id);
  std::vector<v1::Task> out;
  while (q.executeStep()) {
    if (auto t = ParseBody<v1::Task>(q, 0)) out.push_back(std::move(*t));
  }
  return out;
}

void SaveTask(SQLite::Database& db, const std::string& plan_id, const v1::Task& task) {
  CachedStatement s(db, "UPDATE tasks SET body=? WHERE plan_id=? AND task_id=?");
  std::string body;
  BindBody(s, 1, task, &body);
  s.bind(2, plan_id);
  s.bind(3, task.task_id());
  s.exec();
}

std::optional<v1::ProgressReport> FindReport(SQLite::Database& db, const v1::ProgressReport& k) {
  CachedStatement q(db,
                    "SELECT body FROM progress_reports WHERE plan_id=? AND task_id=?"
                    " AND unit_id=? AND period=?");
  q.bind(1, k.plan_id());
  q.bind(2, k.task_id());
  q.bind(3, k.unit_id());
  q.bind(4, k.period());
  if (!q.executeStep()) return std::nullopt;
  return ParseBody<v1::ProgressReport>(q, 0);
}

void SaveReport(SQLite::Database& db, const v1::ProgressReport& r) {
  CachedStatement s(db,
                    "INSERT OR REPLACE INTO progress_reports(plan_id, task_id, unit_id, period,"
                    " body, report_time) VALUES(?,?,?,?,?,?)");
  std::string body;
  s.bind(1, r.plan_id());
  s.bind(2, r.task_id());
  s.bind(3, r.unit_id());
  s.bind(4, r.period());
  BindBody(s, 5, r, &body);
  s.bind(6, TimeText(r.report_time()));
  s.exec();
  CachedStatement del(db,
                      "DELETE FROM progress_figures WHERE plan_id=? AND task_id=? AND unit_id=?"
                      " AND period=?");
  del.bind(1, r.plan_id());
  del.bind(2, r.task_id());
  del.bind(3, r.unit_id());
  del.bind(4, r.period());
  del.exec();
  CachedStatement fig(db,
                      "INSERT INTO progress_figures(plan_id, task_id, unit_id, period, target_id,"
                      " value) VALUES(?,?,?,?,?,?)");
  for (const v1::Figure& f : r.figures()) {
    fig.bind(1, r.plan_id());
    fig.bind(2, r.task_id());
    fig.bind(3, r.unit_id());
    fig.bind(4, r.period());
    fig.bind(5, f.target_id());
    fig.bind(6, static_cast<int64_t>(f.value()));
    fig.exec();
    fig.reset();
  }
}

std::vector<v1::ProgressReport> ListReports(SQLite::Database& db, const ReportFilter& f) {
  CachedStatement q(db,
                    "SELECT body FROM progress_reports WHERE plan_id=?1 AND (?2='' OR task_id=?2)"
                    " AND (?3='' OR unit_id=?3) AND (?4='' OR period=?4)"
                    " ORDER BY period, task_id, unit_id");
  q.bind(1, f.plan_id);
  q.bind(2, f.task_id);
  q.bind(3, f.unit_id);
  q.bind(4, f.period);
  std::vector<v1::ProgressReport> out;
  while (q.executeStep()) {
    if (auto r = ParseBody<v1::ProgressReport>(q, 0)) out.push_back(std::move(*r));
  }
  return out;
}

std::map<std::string, CountedFigure> ReportedTotals(SQLite::Database& db,
                                                    const std::string& plan_id) {
  CachedStatement q(db,
                    "SELECT f.target_id, SUM(f.value), MAX(r.report_time) FROM progress_figures f"
                    " JOIN progress_reports r USING (plan_id, task_id, unit_id, period)"
                    " WHERE f.plan_id=? GROUP BY f.target_id");
  q.bind(1, plan_id);
  return ReadFigures(q);
}

std::set<std::pair<std::string, std::string>> ReportedFor(SQLite::Database& db,
                                                          const std::string& plan_id,
                                                          const std::string& period) {
  CachedStatement q(db,
                    "SELECT task_id, unit_id FROM progress_reports WHERE plan_id=? AND period=?");
  q.bind(1, plan_id);
  q.bind(2, period);
  std::set<std::pair<std::string, std::string>> out;
  while (q.executeStep()) out.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
  return out;
}

void SaveTargetProgress(SQLite::Database& db, const std::string& plan_id,
                        const std::string& target_id, int64_t achieved, const std::string& period,
                        absl::Time as_of) {
  CachedStatement s(db,
                    "INSERT INTO target_progress(plan_id, target_id, achieved, period, as_of)"
                    " VALUES(?,?,?,?,?) ON CONFLICT(plan_id, target_id) DO UPDATE SET"
                    " achieved=excluded.achieved, period=excluded.period, as_of=excluded.as_of"
                    " WHERE excluded.as_of >= target_progress.as_of");
  s.bind(1, plan_id);
  s.bind(2, target_id);
  s.bind(3, static_cast<int64_t>(achieved));
  s.bind(4, period);
  s.bind(5, FormatRfc3339(as_of));
  s.exec();
}

std::map<std::string, CountedFigure> CountedElsewhere(SQLite::Database& db,
                                                      const std::string& plan_id) {
  CachedStatement q(db, "SELECT target_id, achieved, as_of FROM target_progress WHERE plan_id=?");
  q.bind(1, plan_id);
  return ReadFigures(q);
}

bool MarkReminderSent(SQLite::Database& db, const std::string& plan_id, const std::string& task_id,
                      const std::string& unit_id, const std::string& period, absl::Time now) {
  CachedStatement s(db,
                    "INSERT OR IGNORE INTO reminders_sent(plan_id, task_id, unit_id, period,"
                    " sent_at) VALUES(?,?,?,?,?)");
  s.bind(1, plan_id);
  s.bind(2, task_id);
  s.bind(3, unit_id);
  s.bind(4, period);
  s.bind(5, FormatRfc3339(now));
  return s.exec() == 1;
}

void InsertProblem(SQLite::Database& db, const v1::Problem& p, const std::string& leader) {
  CachedStatement s(db,
                    "INSERT INTO problems(problem_id, plan_id, credit_code, category, cluster_id,"
                    " township_id, leader_unit_id, rung, owner_unit_id, state, deadline,"
                    " raise_time, body) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
  std::string body;
  s.bind(1, p.problem_id());
  s.bind(2, p.plan_id());
  s.bind(3, p.credit_code());
  s.bind(4, p.category());
  s.bind(5, p.cluster_id());
  s.bind(6, p.township_id());
  s.bind(7, leader);
  s.bind(8, static_cast<int>(p.rung()));
  s.bind(9, p.owner_unit_id());
  s.bind(10, static_cast<int>(p.state()));
  s.bind(11, TimeText(p.deadline()));
  s.bind(12, TimeText(p.raise_time()));
  BindBody(s, 13, Stored(p), &body);
  s.exec();
}

void UpdateProblem(SQLite::Database& db, const v1::Problem& p, bool overdue_at_top) {
  CachedStatement s(db,
                    "UPDATE problems SET rung=?, owner_unit_id=?, state=?, deadline=?,"
                    " overdue_at_top=?, township_id=?, cluster_id=?, body=? WHERE problem_id=?");
  std::string body;
  s.bind(1, static_cast<int>(p.rung()));
  s.bind(2, p.owner_unit_id());
  s.bind(3, static_cast<int>(p.state()));
  s.bind(4, TimeText(p.deadline()));
  s.bind(5, overdue_at_top ? 1 : 0);
  s.bind(6, p.township_id());
  s.bind(7, p.cluster_id());
  BindBody(s, 8, Stored(p), &body);
  s.bind(9, p.problem_id());
  s.exec();
}

void UpdateProblemFacts(SQLite::Database& db, const v1::Problem& p) {
  CachedStatement s(db,
                    "UPDATE problems SET township_id=?, cluster_id=?, body=? WHERE problem_id=?");
  std::string body;
  s.bind(1, p.township_id());
  s.bind(2, p.cluster_id());
  BindBody(s, 3, Stored(p), &body);
  s.bind(4, p.problem_id());
  s.exec();
}

std::optional<v1::Problem> FindProblem(SQLite::Database& db, const std::string& problem_id) {
  CachedStatement q(db, "SELECT body FROM problems WHERE problem_id=?");
  q.bind(1, problem_id);
  if (!q.executeStep()) return std::nullopt;
  return ParseBody<v1::Problem>(q, 0);
}

std::optional<v1::Problem> FindOpenProblem(SQLite::Database& db, const std::string& credit_code,
                                           const std::string& category) {
  CachedStatement q(db,
                    "SELECT body FROM problems WHERE credit_code=? AND category=? AND state != 3"
                    " ORDER BY raise_time LIMIT 1");
  q.bind(1, credit_code);
  q.bind(2, category);
  if (!q.executeStep()) return std::nullopt;
  return ParseBody<v1::Problem>(q, 0);
}

std::string LeaderOf(SQLite::Database& db, const std::string& problem_id) {
  CachedStatement q(db, "SELECT leader_unit_id FROM problems WHERE problem_id=?");
  q.bind(1, problem_id);
  return q.executeStep() ? q.getColumn(0).getString() : "";
}

void SetLeader(SQLite::Database& db, const std::string& problem_id, const std::string& leader) {
  CachedStatement s(db, "UPDATE problems SET leader_unit_id=? WHERE problem_id=?");
  s.bind(1, leader);
  s.bind(2, problem_id);
  s.exec();
}

int AppendStep(SQLite::Database& db, const std::string& problem_id, v1::ProblemStep step) {
  CachedStatement next(db,
                       "SELECT COALESCE(MAX(seq), 0) + 1 FROM problem_steps WHERE problem_id=?");
  next.bind(1, problem_id);
  next.executeStep();
  const int seq = next.getColumn(0).getInt();
  step.set_seq(seq);
  CachedStatement s(
      db, "INSERT INTO problem_steps(problem_id, seq, owner_unit_id, body) VALUES(?,?,?,?)");
  std::string body;
  s.bind(1, problem_id);
  s.bind(2, seq);
  s.bind(3, step.owner_unit_id());
  BindBody(s, 4, step, &body);
  s.exec();
  return seq;
}

std::vector<v1::ProblemStep> ListSteps(SQLite::Database& db, const std::string& problem_id) {
  CachedStatement q(db, "SELECT body FROM problem_steps WHERE problem_id=? ORDER BY seq");
  q.bind(1, problem_id);
  std::vector<v1::ProblemStep> out;
  while (q.executeStep()) {
    if (auto s = ParseBody<v1::ProblemStep>(q, 0)) out.push_back(std::move(*s));
  }
  return out;
}

std::vector<std::string> DueProblemIds(SQLite::Database& db, absl::Time now, int limit) {
  CachedStatement q(db,
                    "SELECT problem_id FROM problems p WHERE state != 3 AND deadline <= ?1"
                    " AND overdue_at_top = 0 AND NOT EXISTS (SELECT 1 FROM sweep_blocked b"
                    " WHERE b.problem_id = p.problem_id AND b.retry_at > ?1)"
                    " ORDER BY deadline LIMIT ?2");
  q.bind(1, FormatRfc3339(now));
  q.bind(2, limit);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

void BlockSweep(SQLite::Database& db, const std::string& problem_id, const std::string& reason,
                absl::Time now, absl::Time retry_at) {
  CachedStatement s(db,
                    "INSERT INTO sweep_blocked(problem_id, reason, since, retry_at)"
                    " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(problem_id) DO UPDATE"
                    " SET reason=?2, retry_at=?4");
  s.bind(1, problem_id);
  s.bind(2, reason);
  s.bind(3, FormatRfc3339(now));
  s.bind(4, FormatRfc3339(retry_at));
  s.exec();
}

void UnblockSweep(SQLite::Database& db, const std::string& problem_id) {
  CachedStatement s(db, "DELETE FROM sweep_blocked WHERE problem_id=?");
  s.bind(1, problem_id);
  s.exec();
}

std::vector<BlockedProblem> BlockedProblems(SQLite::Database& db) {
  CachedStatement q(db, "SELECT problem_id, reason, since FROM sweep_blocked ORDER BY since");
  std::vector<BlockedProblem> out;
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                   q.getColumn(2).getString()});
  }
  return out;
}

std::vector<std::string> UnresolvedProblemsOf(SQLite::Database& db, const std::string& column,
                                              const std::string& value) {
  CachedStatement q(
      db, absl::StrCat("SELECT problem_id FROM problems WHERE state != 3 AND ", column, " = ?"));
  q.bind(1, value);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

int SetLeaderOfCluster(SQLite::Database& db, const std::string& cluster_id,
                       const std::string& leader) {
  CachedStatement s(db, "UPDATE problems SET leader_unit_id=? WHERE cluster_id=?");
  s.bind(1, leader);
  s.bind(2, cluster_id);
  return s.exec();
}

std::vector<std::string> ProblemsOfEnterprise(SQLite::Database& db, const std::string& credit_code) {
  CachedStatement q(db, "SELECT problem_id FROM problems WHERE credit_code = ?");
  q.bind(1, credit_code);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

void SaveDirectoryUnit(SQLite::Database& db, const std::string& unit_id, const std::string& name) {
  CachedStatement s(db,
                    "INSERT INTO directory_units(unit_id, name) VALUES(?1, ?2)"
                    " ON CONFLICT(unit_id) DO UPDATE SET name=?2");
  s.bind(1, unit_id);
  s.bind(2, name);
  s.exec();
}

void SaveDirectoryCluster(SQLite::Database& db, const std::string& cluster_id,
                          const std::string& name, const std::string& leader) {
  CachedStatement s(db,
                    "INSERT INTO directory_clusters(cluster_id, name, leader_unit_id)"
                    " VALUES(?1, ?2, ?3) ON CONFLICT(cluster_id) DO UPDATE"
                    " SET name=?2, leader_unit_id=?3");
  s.bind(1, cluster_id);
  s.bind(2, name);
  s.bind(3, leader);
  s.exec();
}

std::string UnitName(SQLite::Database& db, const std::string& unit_id) {
  CachedStatement q(db, "SELECT name FROM directory_units WHERE unit_id=?");
  q.bind(1, unit_id);
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

std::optional<std::pair<std::string, std::string>> DirectoryCluster(SQLite::Database& db,
                                                                     const std::string& cluster_id) {
  CachedStatement q(db, "SELECT name, leader_unit_id FROM directory_clusters WHERE cluster_id=?");
  q.bind(1, cluster_id);
  if (!q.executeStep()) return std::nullopt;
  return std::make_pair(q.getColumn(0).getString(), q.getColumn(1).getString());
}

std::string ProblemCursor(const v1::Problem& p) {
  return absl::StrCat(TimeText(p.raise_time()), "|", p.problem_id());
}

std::vector<v1::Problem> ListProblems(SQLite::Database& db, const ProblemFilter& f,
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
  if (f.overdue.has_value()) {
    sql += *f.overdue ? " AND state != 3 AND deadline <= ?9" : " AND (state = 3 OR deadline > ?9)";
  }
  if (f.restricted) {
    // A restricted caller without a unit sees nothing (tokens of such roles
    // are refused anyway); never "no restriction".
    static constexpr char kOwnsOrOwned[] =
        "owner_unit_id = ?10 OR EXISTS (SELECT 1 FROM problem_steps s"
        " WHERE s.problem_id = p.problem_id AND s.owner_unit_id = ?10)";
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
  CachedStatement q(db, sql);
  if (!after_cursor.empty()) {
    q.bind(1, cursor_time);
    q.bind(2, cursor_id);
  }
  if (f.rung != v1::RUNG_UNSPECIFIED) q.bind(3, static_cast<int>(f.rung));
  if (!f.owner_unit_id.empty()) q.bind(4, f.owner_unit_id);
  if (f.state != v1::PROBLEM_STATE_UNSPECIFIED) q.bind(5, static_cast<int>(f.state));
  if (!f.cluster_id.empty()) q.bind(6, f.cluster_id);
  if (!f.township_id.empty()) q.bind(7, f.township_id);
  if (!f.credit_code.empty()) q.bind(8, f.credit_code);
  if (f.overdue.has_value()) q.bind(9, FormatRfc3339(f.now));
  if (f.restricted) q.bind(10, f.visible_unit);
  q.bind(13, limit);
  std::vector<v1::Problem> out;
  while (q.executeStep()) {
    if (auto p = ParseBody<v1::Problem>(q, 0)) out.push_back(std::move(*p));
  }
  return out;
}

}  // namespace uplift::tasks::store

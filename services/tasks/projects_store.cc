// SQL of the project ledger.
#include "services/tasks/projects_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/sql/query.h"
#include "services/tasks/stored_body.h"

namespace uplift::tasks::store {
namespace {

// The stored project without what reads derive (history, colour).
v1::Project Stored(v1::Project p) {
  p.clear_history();
  p.clear_light();
  p.clear_light_reasons();
  return p;
}

}  // namespace

const char kProjectsTables[] =
    // A project as it stands (serialized uplift.tasks.v1.Project).
    "CREATE TABLE projects ("
    " project_id TEXT PRIMARY KEY,"
    " year INTEGER NOT NULL,"
    " cluster_id TEXT NOT NULL,"
    " township_id TEXT NOT NULL,"
    " department_unit_id TEXT NOT NULL,"
    " credit_code TEXT NOT NULL,"
    " phase INTEGER NOT NULL,"
    " ledger_number TEXT NOT NULL,"
    " create_time TEXT NOT NULL,"
    " body BLOB NOT NULL);"
    "CREATE INDEX projects_by_year ON projects(year, create_time, project_id);"
    "CREATE UNIQUE INDEX projects_by_ledger_number ON projects(year, ledger_number)"
    " WHERE ledger_number != '';"
    "CREATE TABLE project_steps ("
    " project_id TEXT NOT NULL REFERENCES projects(project_id),"
    " seq INTEGER NOT NULL,"
    " body BLOB NOT NULL,"
    " PRIMARY KEY (project_id, seq));"
    // One report per project and month; a second replaces the first.
    "CREATE TABLE project_progress ("
    " project_id TEXT NOT NULL REFERENCES projects(project_id),"
    " period TEXT NOT NULL,"
    " investment_fen INTEGER NOT NULL,"
    " body BLOB NOT NULL,"
    " PRIMARY KEY (project_id, period));"
    "ALTER TABLE problems ADD COLUMN project_id TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX problems_by_project ON problems(project_id) WHERE project_id != '';";

void InsertProject(sql::Connection& db, const v1::Project& p) {
  sql::Query s(db,
               "INSERT INTO projects(project_id, year, cluster_id, township_id,"
               " department_unit_id, credit_code, phase, ledger_number, create_time, body)"
               " VALUES(?,?,?,?,?,?,?,?,?,?)");
  std::string body;
  s.Bind(1, p.project_id()).Bind(2, p.year()).Bind(3, p.cluster_id()).Bind(4, p.township_id());
  s.Bind(5, p.department_unit_id()).Bind(6, p.credit_code()).Bind(7, static_cast<int>(p.phase()));
  s.Bind(8, p.ledger_number()).Bind(9, TimeText(p.create_time()));
  sql::BindMessage(s, 10, Stored(p), &body);
  s.Exec();
}

void UpdateProject(sql::Connection& db, const v1::Project& p) {
  sql::Query s(db,
               "UPDATE projects SET cluster_id=?, township_id=?, department_unit_id=?,"
               " credit_code=?, phase=?, body=? WHERE project_id=?");
  std::string body;
  s.Bind(1, p.cluster_id()).Bind(2, p.township_id()).Bind(3, p.department_unit_id());
  s.Bind(4, p.credit_code()).Bind(5, static_cast<int>(p.phase()));
  sql::BindMessage(s, 6, Stored(p), &body);
  s.Bind(7, p.project_id());
  s.Exec();
}

std::optional<v1::Project> FindProject(sql::Connection& db, const std::string& project_id) {
  sql::Query q(db, "SELECT body FROM projects WHERE project_id=?");
  q.Bind(1, project_id);
  if (!q.Step()) return std::nullopt;
  return sql::ParseMessage<v1::Project>(q, 0);
}

std::optional<v1::Project> FindProjectByLedgerNumber(sql::Connection& db, int year,
                                                     const std::string& ledger_number) {
  sql::Query q(db, "SELECT body FROM projects WHERE year=? AND ledger_number=?");
  q.Bind(1, year).Bind(2, ledger_number);
  if (!q.Step()) return std::nullopt;
  return sql::ParseMessage<v1::Project>(q, 0);
}

std::vector<v1::Project> ListProjects(sql::Connection& db, const ProjectFilter& f,
                                      const std::string& after, int limit) {
  std::string sql = "SELECT body FROM projects WHERE year = ?1";
  std::string cursor_time, cursor_id;
  if (!after.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(after, absl::MaxSplits('|', 1));
    cursor_time = parts.first;
    cursor_id = parts.second;
    sql += " AND (create_time > ?2 OR (create_time = ?2 AND project_id > ?3))";
  }
  if (!f.cluster_id.empty()) sql += " AND cluster_id = ?4";
  if (!f.township_id.empty()) sql += " AND township_id = ?5";
  if (!f.department_unit_id.empty()) sql += " AND department_unit_id = ?6";
  if (!f.credit_code.empty()) sql += " AND credit_code = ?7";
  if (f.phase != v1::PROJECT_PHASE_UNSPECIFIED) sql += " AND phase = ?8";
  sql += " ORDER BY create_time, project_id LIMIT ?9";
  sql::Query q(db, sql);
  q.Bind(1, f.year);
  if (!after.empty()) q.Bind(2, cursor_time).Bind(3, cursor_id);
  if (!f.cluster_id.empty()) q.Bind(4, f.cluster_id);
  if (!f.township_id.empty()) q.Bind(5, f.township_id);
  if (!f.department_unit_id.empty()) q.Bind(6, f.department_unit_id);
  if (!f.credit_code.empty()) q.Bind(7, f.credit_code);
  if (f.phase != v1::PROJECT_PHASE_UNSPECIFIED) q.Bind(8, static_cast<int>(f.phase));
  q.Bind(9, limit);
  return sql::AllMessages<v1::Project>(q);
}

std::string ProjectCursor(const v1::Project& p) {
  return absl::StrCat(TimeText(p.create_time()), "|", p.project_id());
}

int AppendProjectStep(sql::Connection& db, const std::string& project_id, v1::ProjectStep step) {
  sql::Query next(db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM project_steps WHERE project_id=?");
  next.Bind(1, project_id);
  next.Step();
  const int seq = next.Int(0);
  step.set_seq(seq);
  sql::Query s(db, "INSERT INTO project_steps(project_id, seq, body) VALUES(?,?,?)");
  std::string body;
  s.Bind(1, project_id).Bind(2, seq);
  sql::BindMessage(s, 3, step, &body);
  s.Exec();
  return seq;
}

std::vector<v1::ProjectStep> ListProjectSteps(sql::Connection& db, const std::string& project_id) {
  sql::Query q(db, "SELECT body FROM project_steps WHERE project_id=? ORDER BY seq");
  q.Bind(1, project_id);
  return sql::AllMessages<v1::ProjectStep>(q);
}

bool SaveProjectProgress(sql::Connection& db, const v1::ProjectProgress& progress) {
  sql::Query before(db, "SELECT 1 FROM project_progress WHERE project_id=? AND period=?");
  before.Bind(1, progress.project_id()).Bind(2, progress.period());
  const bool replaced = before.Step();
  sql::Query s(db,
               "INSERT INTO project_progress(project_id, period, investment_fen, body)"
               " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(project_id, period) DO UPDATE"
               " SET investment_fen=?3, body=?4");
  std::string body;
  s.Bind(1, progress.project_id()).Bind(2, progress.period()).Bind(3, progress.investment_fen());
  sql::BindMessage(s, 4, progress, &body);
  s.Exec();
  return replaced;
}

std::vector<v1::ProjectProgress> ListProjectProgress(sql::Connection& db,
                                                     const std::string& project_id) {
  sql::Query q(db, "SELECT body FROM project_progress WHERE project_id=? ORDER BY period");
  q.Bind(1, project_id);
  return sql::AllMessages<v1::ProjectProgress>(q);
}

InvestmentSums SumInvestment(const std::vector<v1::ProjectProgress>& months, int year) {
  const std::string first = absl::StrCat(year, "-01"), last = absl::StrCat(year, "-12");
  InvestmentSums sums;
  for (const v1::ProjectProgress& m : months) {
    sums.all += m.investment_fen();
    if (m.period() >= first && m.period() <= last) sums.year += m.investment_fen();
    sums.last_period = std::max(sums.last_period, m.period());
  }
  return sums;
}

}  // namespace uplift::tasks::store

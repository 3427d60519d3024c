// SQL of the followed projects.
#include "services/indicators/project_store.h"

#include "common/sql/message_columns.h"
#include "common/time_util.h"

namespace uplift::indicators::store {

namespace tv1 = uplift::tasks::v1;

const char kProjectTables[] =
    "CREATE TABLE projects ("
    " project_id TEXT PRIMARY KEY,"
    " year INTEGER NOT NULL,"
    " update_time TEXT NOT NULL,"
    " body BLOB NOT NULL);"
    "CREATE INDEX projects_by_year ON projects(year);"
    "CREATE TABLE project_months ("
    " project_id TEXT NOT NULL,"
    " period TEXT NOT NULL,"  // YYYY-MM
    " investment_fen INTEGER NOT NULL,"
    " PRIMARY KEY (project_id, period));";

void SaveProject(sql::Connection& tx, const tv1::Project& project) {
  const std::string time = FormatRfc3339(FromProtoTimestamp(project.update_time()));
  std::string body;
  project.SerializeToString(&body);
  sql::Query q(tx,
               "INSERT INTO projects(project_id, year, update_time, body) VALUES(?1, ?2, ?3, ?4)"
               " ON CONFLICT(project_id) DO UPDATE SET year=?2, update_time=?3, body=?4"
               " WHERE projects.update_time <= ?3");
  q.Bind(1, project.project_id()).Bind(2, project.year()).Bind(3, time).BindBlob(4, body);
  q.Exec();
}

void SaveProjectMonth(sql::Connection& tx, const tv1::ProjectProgress& progress) {
  sql::Query q(tx,
               "INSERT INTO project_months(project_id, period, investment_fen) VALUES(?1, ?2, ?3)"
               " ON CONFLICT(project_id, period) DO UPDATE SET investment_fen=?3");
  q.Bind(1, progress.project_id()).Bind(2, progress.period()).Bind(3, progress.investment_fen());
  q.Exec();
}

std::vector<tv1::Project> ProjectsOfYear(sql::Connection& db, int year) {
  sql::Query q(db, "SELECT body FROM projects WHERE year=? ORDER BY project_id");
  q.Bind(1, year);
  return sql::AllMessages<tv1::Project>(q);
}

std::map<std::string, int64_t> ProjectInvestment(sql::Connection& db, const std::string& from,
                                                 const std::string& until) {
  sql::Query q(db,
               "SELECT project_id, SUM(investment_fen) FROM project_months"
               " WHERE period >= ? AND period <= ? GROUP BY project_id");
  q.Bind(1, from).Bind(2, until);
  std::map<std::string, int64_t> out;
  while (q.Step()) out[q.Text(0)] = q.Int64(1);
  return out;
}

}  // namespace uplift::indicators::store

// SQL of problem_units.
#include "services/tasks/problem_units_store.h"

#include "common/sql/query.h"
#include "common/time_util.h"

namespace uplift::tasks::store {
namespace {

constexpr char kCoHandler[] = "co_handler";
constexpr char kApprover[] = "approver";
constexpr char kActor[] = "actor";

void AddRow(sql::Connection& db, const std::string& problem_id, const std::string& unit_id,
            const char* why, bool waiting, const std::string& due) {
  if (unit_id.empty()) return;
  sql::Query s(db,
               "INSERT INTO problem_units(problem_id, unit_id, why, waiting, due)"
               " VALUES(?1, ?2, ?3, ?5, ?4)"
               " ON CONFLICT(problem_id, unit_id, why) DO UPDATE SET waiting=?5, due=?4");
  s.Bind(1, problem_id).Bind(2, unit_id).Bind(3, std::string(why)).Bind(5, waiting ? 1 : 0);
  if (due.empty()) {
    s.BindNull(4);
  } else {
    s.Bind(4, due);
  }
  s.Exec();
}

}  // namespace

const char kProblemUnitsTable[] =
    "CREATE TABLE problem_units ("
    " problem_id TEXT NOT NULL REFERENCES problems(problem_id),"
    " unit_id TEXT NOT NULL,"
    " why TEXT NOT NULL,"         // co_handler, approver, actor
    " waiting INTEGER NOT NULL,"  // 1 while the unit must act: answer, decide
    " due TEXT,"                  // a waiting co-handler's deadline, until the sweep records it
    " PRIMARY KEY (problem_id, unit_id, why));"
    "CREATE INDEX problem_units_by_unit ON problem_units(unit_id, problem_id);"
    "CREATE INDEX problem_units_due ON problem_units(due) WHERE due IS NOT NULL;";

void SyncProblemUnits(sql::Connection& db, const v1::Problem& p) {
  sql::Query(db, "DELETE FROM problem_units WHERE problem_id=? AND why IN (?, ?)")
      .Bind(1, p.problem_id())
      .Bind(2, std::string(kCoHandler))
      .Bind(3, std::string(kApprover))
      .Exec();
  for (const v1::CoHandler& c : p.co_handlers()) {
    const bool waiting = c.state() == v1::CoHandler::STATE_WAITING;
    AddRow(db, p.problem_id(), c.unit_id(), kCoHandler, waiting,
           waiting && !c.overdue_noted() ? FormatRfc3339(FromProtoTimestamp(c.deadline())) : "");
  }
  if (p.has_pending_extension()) {
    AddRow(db, p.problem_id(), p.pending_extension().approver_unit_id(), kApprover, true, "");
  }
}

void AddStepActor(sql::Connection& db, const std::string& problem_id, const std::string& unit_id) {
  AddRow(db, problem_id, unit_id, kActor, false, "");
}

std::vector<std::pair<std::string, std::string>> DueCoHandlers(sql::Connection& db, absl::Time now,
                                                               int limit) {
  sql::Query q(db,
               "SELECT problem_id, unit_id FROM problem_units WHERE due IS NOT NULL AND due <= ?"
               " ORDER BY due LIMIT ?");
  q.Bind(1, FormatRfc3339(now)).Bind(2, limit);
  std::vector<std::pair<std::string, std::string>> out;
  while (q.Step()) out.emplace_back(q.Text(0), q.Text(1));
  return out;
}

absl::Status FillProblemUnits(sql::Connection& db) {
  std::vector<v1::Problem> problems;
  {
    sql::Query q(db, "SELECT body FROM problems");
    while (q.Step()) {
      v1::Problem p;
      if (p.ParseFromString(q.Blob(0))) problems.push_back(std::move(p));
    }
  }
  for (const v1::Problem& p : problems) SyncProblemUnits(db, p);
  std::vector<std::pair<std::string, std::string>> actors;
  {
    sql::Query q(db, "SELECT problem_id, body FROM problem_steps");
    while (q.Step()) {
      v1::ProblemStep s;
      if (s.ParseFromString(q.Blob(1))) actors.emplace_back(q.Text(0), s.actor_unit_id());
    }
  }
  for (const auto& [problem_id, unit_id] : actors) AddStepActor(db, problem_id, unit_id);
  return absl::OkStatus();
}

}  // namespace uplift::tasks::store

// SQL of the facts behind task views, as of a day.
#include "services/tasks/task_facts_store.h"

#include "common/sql/dialect.h"
#include "common/sql/query.h"
#include "common/time_util.h"

namespace uplift::tasks::store {
namespace {

void ReadFiguresInto(sql::Query& q, std::map<std::string, CountedFigure>* out) {
  while (q.Step()) {
    CountedFigure c;
    c.achieved = q.Int64(1);
    absl::StatusOr<absl::Time> t = ParseRfc3339(q.Text(2));
    if (t.ok()) c.as_of = *t;
    (*out)[q.Text(0)] = c;
  }
}

}  // namespace

PlanFactsAsOf LoadPlanFacts(sql::Connection& db, const std::string& plan_id, absl::CivilMonth month,
                            absl::Time end) {
  PlanFactsAsOf facts;
  const std::string period = FormatPeriod(month);
  const std::string end_text = FormatRfc3339(end);
  {
    sql::Query q(db,
                 "SELECT f.target_id, SUM(f.value), MAX(r.report_time) FROM progress_figures f"
                 " JOIN progress_reports r USING (plan_id, task_id, unit_id, period)"
                 " WHERE f.plan_id=? AND f.period<=? GROUP BY f.target_id");
    q.Bind(1, plan_id);
    q.Bind(2, period);
    ReadFiguresInto(q, &facts.reported);
  }
  {
    // The newest period up to `month` of each target.
    sql::Query q(db,
                 "SELECT t.target_id, t.achieved, t.as_of FROM target_progress_periods t"
                 " WHERE t.plan_id=?1 AND t.period=(SELECT MAX(period) FROM"
                 " target_progress_periods p WHERE p.plan_id=?1 AND p.target_id=t.target_id"
                 " AND p.period<=?2)");
    q.Bind(1, plan_id);
    q.Bind(2, period);
    ReadFiguresInto(q, &facts.counted_elsewhere);
  }
  {
    sql::Query q(db,
                 "SELECT task_id, body FROM task_closure_steps WHERE plan_id=? AND step_time<?"
                 " ORDER BY task_id, seq");
    q.Bind(1, plan_id);
    q.Bind(2, end_text);
    while (q.Step()) {
      v1::ClosureStep step;
      if (step.ParseFromString(q.Blob(1))) facts.closure_steps[q.Text(0)].push_back(step);
    }
  }
  {
    sql::Query q(db,
                 "SELECT task_id, unit_id, quarter FROM milestones_reached WHERE plan_id=?"
                 " AND report_time<?");
    q.Bind(1, plan_id);
    q.Bind(2, end_text);
    while (q.Step()) {
      facts.milestones_reached[{q.Text(0), q.Text(1)}].insert(static_cast<int>(q.Int64(2)));
    }
  }
  return facts;
}

std::vector<v1::ClosureStep> ClosureSteps(sql::Connection& db, const std::string& plan_id,
                                          const std::string& task_id) {
  sql::Query q(db,
               "SELECT body FROM task_closure_steps WHERE plan_id=? AND task_id=? ORDER BY seq");
  q.Bind(1, plan_id);
  q.Bind(2, task_id);
  std::vector<v1::ClosureStep> out;
  while (q.Step()) {
    v1::ClosureStep step;
    if (step.ParseFromString(q.Blob(0))) out.push_back(std::move(step));
  }
  return out;
}

void AppendClosureStep(sql::Connection& db, const std::string& plan_id, const std::string& task_id,
                       const v1::ClosureStep& step) {
  sql::Query s(db,
               "INSERT INTO task_closure_steps(plan_id, task_id, seq, step_time, body)"
               " VALUES(?,?,?,?,?)");
  std::string body;
  step.SerializeToString(&body);
  s.Bind(1, plan_id);
  s.Bind(2, task_id);
  s.Bind(3, static_cast<int64_t>(step.seq()));
  s.Bind(4, FormatRfc3339(FromProtoTimestamp(step.time())));
  s.BindBlob(5, body);
  s.Exec();
}

void SaveTargetProgressOfPeriod(sql::Connection& db, const std::string& plan_id,
                                const std::string& target_id, int64_t achieved,
                                const std::string& period, absl::Time as_of) {
  sql::Query s(db,
               "INSERT INTO target_progress_periods(plan_id, target_id, period, achieved, as_of)"
               " VALUES(?,?,?,?,?) ON CONFLICT(plan_id, target_id, period) DO UPDATE SET"
               " achieved=excluded.achieved, as_of=excluded.as_of"
               " WHERE excluded.as_of >= target_progress_periods.as_of");
  s.Bind(1, plan_id);
  s.Bind(2, target_id);
  s.Bind(3, period);
  s.Bind(4, achieved);
  s.Bind(5, FormatRfc3339(as_of));
  s.Exec();
}

}  // namespace uplift::tasks::store

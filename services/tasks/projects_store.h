// SQL of the project ledger (项目台账): projects with their steps and
// monthly progress. Tables in tasks migration 5 (kProjectsTables).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/sql/connection.h"
#include "uplift/tasks/v1/projects.pb.h"

namespace uplift::tasks::store {

extern const char kProjectsTables[];

struct ProjectFilter {
  int year = 0;
  std::string cluster_id, township_id, department_unit_id, credit_code;
  v1::ProjectPhase phase = v1::PROJECT_PHASE_UNSPECIFIED;
};

void InsertProject(sql::Connection& db, const v1::Project& p);
void UpdateProject(sql::Connection& db, const v1::Project& p);
std::optional<v1::Project> FindProject(sql::Connection& db, const std::string& project_id);
// The project of `year` the county numbered `ledger_number`, if any.
std::optional<v1::Project> FindProjectByLedgerNumber(sql::Connection& db, int year,
                                                     const std::string& ledger_number);
// In creation order, after the ProjectCursor of the previous page's last.
std::vector<v1::Project> ListProjects(sql::Connection& db, const ProjectFilter& filter,
                                      const std::string& after_cursor, int limit);
std::string ProjectCursor(const v1::Project& p);

// Appends the step; returns its seq (1 for the first).
int AppendProjectStep(sql::Connection& db, const std::string& project_id, v1::ProjectStep step);
std::vector<v1::ProjectStep> ListProjectSteps(sql::Connection& db, const std::string& project_id);

// Saves the month's progress; true if it replaced an earlier report.
bool SaveProjectProgress(sql::Connection& db, const v1::ProjectProgress& progress);
// Oldest month first.
std::vector<v1::ProjectProgress> ListProjectProgress(sql::Connection& db,
                                                     const std::string& project_id);

struct InvestmentSums {
  int64_t all = 0;   // every month reported
  int64_t year = 0;  // months of the given year
  std::string last_period;
};
// The sums of `months` (each month once), as they would stand saved.
InvestmentSums SumInvestment(const std::vector<v1::ProjectProgress>& months, int year);

}  // namespace uplift::tasks::store

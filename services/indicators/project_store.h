// SQL of the projects uplift-indicators follows from uplift:events:projects:
// each project as last published (its whole state), and the investment
// each month's progress report gave. The 重点项目 section is built from
// them (project_section.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/sql/connection.h"
#include "uplift/tasks/v1/projects.pb.h"

namespace uplift::indicators::store {

extern const char kProjectTables[];  // for the migration

// Keeps `project` unless a newer state (by update_time) is stored.
void SaveProject(sql::Connection& tx, const uplift::tasks::v1::Project& project);
void SaveProjectMonth(sql::Connection& tx, const uplift::tasks::v1::ProjectProgress& progress);

// The projects of the ledger year `year`.
std::vector<uplift::tasks::v1::Project> ProjectsOfYear(sql::Connection& db, int year);
// Investment by project for the months [from, until] ("YYYY-MM").
std::map<std::string, int64_t> ProjectInvestment(sql::Connection& db, const std::string& from,
                                                 const std::string& until);

}  // namespace uplift::indicators::store

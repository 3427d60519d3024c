// The units a problem concerns beyond its owners, kept as rows so that
// ListProblems can find a unit's problems in SQL: co-handling departments
// (协办, with the deadline of those still waiting), the approver of a
// waiting request for a later deadline, and every unit that took a step;
// `waiting` marks the rows of units that must still act (ListProblems'
// awaiting_unit_id).
// Rows follow the problem's body (SyncProblemUnits on every write of it)
// and its steps (AddStepActor); FillProblemUnits derives them from the
// stored bodies once, when the table is created (tasks migration 4).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/sql/connection.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks::store {

// The SQL of the table, for the migration.
extern const char kProblemUnitsTable[];

// Replaces the co-handler and approver rows of `p` with what its body says.
void SyncProblemUnits(sql::Connection& db, const v1::Problem& p);
// The unit took a step on the problem.
void AddStepActor(sql::Connection& db, const std::string& problem_id, const std::string& unit_id);
// Co-handlers still waiting whose deadline passed by `now` and was not yet
// recorded, earliest first: (problem_id, unit_id).
std::vector<std::pair<std::string, std::string>> DueCoHandlers(sql::Connection& db, absl::Time now,
                                                               int limit);
// Every problem's rows from the bodies of the problems and their steps.
absl::Status FillProblemUnits(sql::Connection& db);

}  // namespace uplift::tasks::store

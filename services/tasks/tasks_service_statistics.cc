// TasksService: 问题办理情况, the plan's problems counted as they stood at the
// end of a day (CountProblems over the problems and their timelines).
#include <map>

#include "absl/strings/str_cat.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/tasks/problem_statistics.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/tasks_store.h"

namespace uplift::tasks {

absl::StatusOr<v1::GetProblemStatisticsResponse> TasksService::GetProblemStatistics(
    const Principal& who, const v1::GetProblemStatisticsRequest& req) {
  if (!req.plan_id().empty()) RETURN_IF_ERROR(CheckId("plan_id", req.plan_id()));
  ProblemWindow window{Today(), Today()};
  if (!req.until().empty()) {
    ASSIGN_OR_RETURN(window.until, ParsePastDate("until", req.until(), Today()));
  }
  window.from = absl::CivilDay(window.until.year(), 1, 1);
  if (!req.from().empty()) {
    ASSIGN_OR_RETURN(window.from, ParseDate("from", req.from()));
    if (window.from > window.until) {
      return FieldError("from",
                        absl::StrCat(req.from(), " is after until ", FormatDate(window.until)));
    }
  }
  RETURN_IF_ERROR(access_.Gate(who, "GetProblemStatistics"));
  v1::GetProblemStatisticsResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::string plan_id = req.plan_id();
    if (plan_id.empty()) {
      std::optional<std::string> current = store::DefaultPlanId(db, window.until.year());
      if (!current.has_value()) {
        return absl::FailedPreconditionError(
            absl::StrCat("plan_id: no plan has been applied for ", window.until.year()));
      }
      plan_id = *current;
    }
    ASSIGN_OR_RETURN(const v1::Plan plan, LoadPlan(db, plan_id));
    // A second past the day's end in the query; the replay cuts at the exact instant.
    const absl::Time end = absl::FromCivil(window.until + 1, ShanghaiTime());
    const std::vector<v1::Problem> problems =
        store::ProblemsWithTimelines(db, plan_id, end + absl::Seconds(1));
    std::map<std::string, std::string> names;
    auto unit_name = [&](const std::string& unit) -> std::string {
      if (unit.empty()) return "";
      auto [it, added] = names.emplace(unit, "");
      if (added) it->second = NameOf(db, &plan, unit);
      return it->second.empty() ? unit : it->second;
    };
    response = CountProblems(problems, window, *calendar_, unit_name);
    response.set_plan_id(plan_id);
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace uplift::tasks

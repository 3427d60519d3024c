// The 重点项目 section of the dispatch report and the bulletin, from the
// projects uplift-indicators follows (project_store.h): the ledger in a
// sentence, the projects by phase, the investment by cluster and by
// township against the year's plan (the period and the year to date), the
// projects behind (黄/红, with their reasons) and the milestones due next
// month. Colours are ProjectPhases' rule as of the end of the period.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/indicators/report_document.h"
#include "uplift/tasks/v1/projects.pb.h"

namespace uplift::indicators {

struct ProjectFacts {
  std::vector<uplift::tasks::v1::Project> projects;  // of the plan year
  std::map<std::string, int64_t> in_window;          // by project: the period's investment
  std::map<std::string, int64_t> year_to_date;       // by project: January to the period's end
};

// Adds the section under `heading` (the report's period ends with month
// `last`; `window` names the period, "9月" or "三季度"; `as_of` is the day
// colours are taken). Returns the red projects, named with their reasons,
// for the report's 落后通报.
std::vector<std::string> AddProjectSection(ReportDocument& doc, const std::string& heading,
                                           ProjectFacts facts, absl::CivilMonth last,
                                           const std::string& window, absl::CivilDay as_of);

}  // namespace uplift::indicators

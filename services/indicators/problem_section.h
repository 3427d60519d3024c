// The 问题办理情况 section of the dispatch report and the bulletin: the
// county's problems in a sentence, a table by township and one by
// department with a light each (红/黄/绿 by the rules file's problem_lights),
// and the longest-open problems named.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "services/indicators/report_document.h"
#include "uplift/indicators/v1/indicator_rules.pb.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::indicators {

// The columns of a tally row, and a tally's cells: the unit's name, total,
// new, resolved, open, overdue, escalated, returned, extended, average
// working days, 满意率 (shared by the reports and `upliftctl problem stats`).
std::vector<std::string> ProblemTallyColumns(const std::string& unit, const std::string& total);
std::vector<std::string> ProblemTallyCells(const std::string& name,
                                           const uplift::tasks::v1::ProblemTally& tally);

// "红", "黄" or "绿".
std::string ProblemLight(const v1::ProblemLights& rules,
                         const uplift::tasks::v1::ProblemTally& tally);

// The lights' rule in words, for the note under the tables.
std::string DescribeProblemLights(const v1::ProblemLights& rules);

// Adds the section under `heading`. `townships` (id, name) are every
// township of the county, listed even without problems. Returns the names of
// the units whose light is red, for the report's 落后通报.
std::vector<std::string> AddProblemSection(
    ReportDocument& doc, const std::string& heading,
    const uplift::tasks::v1::GetProblemStatisticsResponse& stats,
    const std::vector<std::pair<std::string, std::string>>& townships,
    const v1::ProblemLights& rules);

}  // namespace uplift::indicators

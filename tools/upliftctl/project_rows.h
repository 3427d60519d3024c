// The rows of a county's project ledger as counties keep it in a
// spreadsheet (upliftctl project import): Chinese column names (项目编号,
// 项目名称, 所属集群, 所在乡镇, 责任部门, 建设性质, 项目来源, 总投资(万元),
// 年度计划投资(万元), 项目阶段, 是否续建, 计划开工, 实际开工, ...), places
// and departments by their names in the plan (or ids), money in 万元. Each
// row becomes a CreateProjectRequest; a row the file itself gets wrong is
// an error naming its line and column, and is never sent.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/upliftctl/csv.h"
#include "uplift/tasks/v1/projects.pb.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::cli {

struct ProjectRow {
  int line = 0;
  uplift::tasks::v1::CreateProjectRequest request;
};
struct ProjectRowError {
  int line = 0;
  std::string ledger_number;
  std::string code;  // INVALID_ARGUMENT, ALREADY_EXISTS, ...
  std::string message;
};
struct ProjectRows {
  std::vector<ProjectRow> rows;
  std::vector<ProjectRowError> errors;  // rows not sent
};

// INVALID_ARGUMENT for a missing header, an unknown column or a missing
// required one (项目名称, 所属集群, 所在乡镇, 责任部门, 建设性质, 项目来源,
// 总投资(万元)).
absl::StatusOr<ProjectRows> ParseProjectRows(const std::vector<CsvRecord>& records,
                                             const uplift::tasks::v1::Plan& plan);

}  // namespace uplift::cli

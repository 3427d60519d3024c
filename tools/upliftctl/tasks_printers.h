// How plans, tasks, progress and problems look in the terminal.
#pragma once

#include <map>
#include <ostream>
#include <string>

#include <google/protobuf/repeated_field.h>

#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::cli {

namespace tv1 = uplift::tasks::v1;

// Unit id -> name, from the registry (Cli::UnitNames): tables show names,
// never ids; an id the map lacks is shown as it is.
using UnitNames = std::map<std::string, std::string>;

void PrintTasks(std::ostream& out, const google::protobuf::RepeatedPtrField<tv1::TaskView>& tasks,
                const UnitNames& names);
void PrintTask(std::ostream& out, const tv1::TaskView& task, const UnitNames& names);
void PrintReports(std::ostream& out,
                  const google::protobuf::RepeatedPtrField<tv1::ProgressReport>& reports,
                  const UnitNames& names);
void PrintOverdue(std::ostream& out,
                  const google::protobuf::RepeatedPtrField<tv1::OverdueReport>& overdue,
                  const UnitNames& names);
void PrintProblem(std::ostream& out, const tv1::Problem& problem,
                  const UnitNames& names);  // with its timeline
void PrintProblems(std::ostream& out,
                   const google::protobuf::RepeatedPtrField<tv1::Problem>& problems,
                   const UnitNames& names);

}  // namespace uplift::cli

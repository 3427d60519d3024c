// How plans, tasks, progress and problems look in the terminal.
#pragma once

#include <ostream>

#include <google/protobuf/repeated_field.h>

#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::cli {

namespace tv1 = uplift::tasks::v1;

void PrintTasks(std::ostream& out, const google::protobuf::RepeatedPtrField<tv1::TaskView>& tasks);
void PrintTask(std::ostream& out, const tv1::TaskView& task);
void PrintReports(std::ostream& out,
                  const google::protobuf::RepeatedPtrField<tv1::ProgressReport>& reports);
void PrintOverdue(std::ostream& out,
                  const google::protobuf::RepeatedPtrField<tv1::OverdueReport>& overdue);
void PrintProblem(std::ostream& out, const tv1::Problem& problem);  // with its timeline
void PrintProblems(std::ostream& out,
                   const google::protobuf::RepeatedPtrField<tv1::Problem>& problems);

}  // namespace uplift::cli

// The county's investment projects (项目台账) for a generated county: about
// one for every 40 enterprises (at least 12), invested by the larger
// enterprises of each cluster, spread over the phases as a county's ledger
// is (most 在建, some 续建, a few 停缓建), with planned milestones in the
// year and monthly investment that runs ahead of, on or behind the planned
// pace. Reproducible from the county's seed. PopulateProjects enters them
// in a running uplift-tasks (ProjectLedger) with their months' progress.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/channel.h>

#include "absl/status/statusor.h"
#include "tools/county/county_model.h"
#include "uplift/tasks/v1/projects.pb.h"

namespace uplift::county {

struct CountyProject {
  uplift::tasks::v1::Project project;  // as CreateProject takes it
  uplift::tasks::v1::ProjectPhase phase = uplift::tasks::v1::PROJECT_PHASE_UNSPECIFIED;
  std::string suspension_reason;  // for 停缓建, set after creation
  // Investment by month of the plan year (index 0 = January), fen.
  std::vector<int64_t> months;
};

std::vector<CountyProject> GenerateProjects(const CountyModel& county, uint64_t seed);

struct ProjectCounts {
  int created = 0;
  int reports = 0;
};

// Creates the projects (a second run finds their 项目编号 and leaves them
// alone) and reports their months 1..through_month.
absl::StatusOr<ProjectCounts> PopulateProjects(const std::vector<CountyProject>& projects,
                                               int through_month,
                                               std::shared_ptr<grpc::Channel> tasks,
                                               const std::string& token);

}  // namespace uplift::county

// Applied plans, parsed once: every move of a problem needs its plan (the
// categories, the provincial unit, the names), and parsing and copying the
// whole plan was a fifth of uplift-tasks' CPU per escalation. A lookup
// reads the plan's content hash and applied time (one indexed row) and
// parses the body again only when they changed, so a plan another replica
// applies is seen at once.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/sql/connection.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

class PlanCache {
 public:
  // The plan as applied now; NOT_FOUND if it never was.
  absl::StatusOr<std::shared_ptr<const v1::Plan>> Get(sql::Connection& db,
                                                      const std::string& plan_id);

 private:
  struct Entry {
    std::string version;  // content hash and applied time
    std::shared_ptr<const v1::Plan> plan;
  };
  absl::Mutex mu_;
  std::map<std::string, Entry> plans_ ABSL_GUARDED_BY(mu_);
};

}  // namespace uplift::tasks

// PlanCache: the parsed plan, kept while its stored version stands.
#include "services/tasks/plan_cache.h"

#include "absl/strings/str_cat.h"
#include "common/sql/query.h"
#include "common/validation.h"
#include "services/tasks/tasks_store.h"

namespace uplift::tasks {

absl::StatusOr<std::shared_ptr<const v1::Plan>> PlanCache::Get(sql::Connection& db,
                                                               const std::string& plan_id) {
  sql::Query q(db, "SELECT content_hash || ' ' || applied_at FROM plans WHERE plan_id=?");
  q.Bind(1, plan_id);
  if (!q.Step()) {
    return absl::NotFoundError(absl::StrCat("plan ", QuoteInput(plan_id), " has not been applied"));
  }
  const std::string version = q.Text(0);
  {
    absl::MutexLock lock(&mu_);
    auto it = plans_.find(plan_id);
    if (it != plans_.end() && it->second.version == version) return it->second.plan;
  }
  std::optional<v1::Plan> plan = store::FindPlan(db, plan_id);
  if (!plan.has_value()) {
    return absl::NotFoundError(absl::StrCat("plan ", QuoteInput(plan_id), " has not been applied"));
  }
  auto parsed = std::make_shared<const v1::Plan>(std::move(*plan));
  absl::MutexLock lock(&mu_);
  plans_[plan_id] = {version, parsed};
  return parsed;
}

}  // namespace uplift::tasks

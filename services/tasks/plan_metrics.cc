// Rates among the plan's metrics, and how a target's amount reads.
#include "services/tasks/plan_metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace uplift::tasks {

bool IsRateMetric(uplift::tasks::v1::Metric metric) {
  namespace v1 = uplift::tasks::v1;
  return metric == v1::METRIC_CLUSTER_REVENUE_GROWTH ||
         metric == v1::METRIC_TECH_DIAGNOSIS_COVERAGE ||
         metric == v1::METRIC_INTEGRATION_ASSESSMENT_COVERAGE ||
         metric == v1::METRIC_KEY_CLUSTER_COVERAGE ||
         metric == v1::METRIC_FINANCIAL_SERVICE_COVERAGE;
}

std::string FormatTargetValue(const uplift::tasks::v1::Target& target, int64_t value) {
  if (IsRateMetric(target.metric())) return absl::StrFormat("%.1f%%", value / 100.0);
  return absl::StrCat(value, target.unit());
}

}  // namespace uplift::tasks

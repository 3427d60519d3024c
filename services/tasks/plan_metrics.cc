// Rates among the plan's metrics.
#include "services/tasks/plan_metrics.h"

namespace uplift::tasks {

bool IsRateMetric(uplift::tasks::v1::Metric metric) {
  namespace v1 = uplift::tasks::v1;
  return metric == v1::METRIC_CLUSTER_REVENUE_GROWTH ||
         metric == v1::METRIC_TECH_DIAGNOSIS_COVERAGE ||
         metric == v1::METRIC_INTEGRATION_ASSESSMENT_COVERAGE ||
         metric == v1::METRIC_KEY_CLUSTER_COVERAGE ||
         metric == v1::METRIC_FINANCIAL_SERVICE_COVERAGE;
}

}  // namespace uplift::tasks

// uplift-notify's own gauges: deliveries by channel type and state
// (uplift_notify_deliveries), read from the database at each scrape.
#pragma once

#include "common/metrics/metrics.h"
#include "common/sql/store.h"

namespace uplift::notify {

void AddDeliveryGauges(metrics::Registry* registry, sql::Store* db);

}  // namespace uplift::notify

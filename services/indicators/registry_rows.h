// The registry's enterprises and awards as the indicator service stores
// them in its directory (from the registry's events, or looked up when a
// report names an enterprise whose event has not arrived yet).
#pragma once

#include "services/indicators/indicator_store.h"
#include "uplift/registry/v1/registry.pb.h"
#include "uplift/registry/v1/registry_events.pb.h"

namespace uplift::indicators {

store::EnterpriseRow EnterpriseRowOf(const uplift::registry::v1::Enterprise& e);
store::AwardRow AwardRowOf(const uplift::registry::v1::EnterpriseRef& ref,
                           const uplift::registry::v1::TierAward& award);

}  // namespace uplift::indicators

// Registry messages to directory rows.
#include "services/indicators/registry_rows.h"

namespace uplift::indicators {

store::EnterpriseRow EnterpriseRowOf(const uplift::registry::v1::Enterprise& e) {
  store::EnterpriseRow row;
  row.credit_code = e.credit_code();
  row.name = e.name();
  row.cluster_id = e.cluster_id();
  row.township_id = e.township_id();
  row.key_enterprise = e.key_enterprise();
  row.above_size = e.above_size();
  row.above_size_since = e.above_size_since();
  row.listing_stage = e.listing_stage();
  row.in_above_size_pool = e.in_above_size_pool();
  return row;
}

store::AwardRow AwardRowOf(const uplift::registry::v1::EnterpriseRef& ref,
                           const uplift::registry::v1::TierAward& a) {
  store::AwardRow row;
  row.award_id = a.award_id();
  row.credit_code = ref.credit_code();
  row.tier = a.tier();
  row.level = a.level();
  row.awarded_on = a.awarded_on();
  row.revoked_on = a.revoked_on();
  return row;
}

}  // namespace uplift::indicators

// Registry input rules.
#include "services/registry/registry_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/registry/credit_code.h"
#include "services/registry/registry_labels.h"

namespace uplift::registry {

const UpdatablePaths& UnitPaths() {
  static const UpdatablePaths paths{{"name", "kind", "supervisor_unit_id", "contact"},
                                    {{"unit_id", "a unit's id never changes"}}};
  return paths;
}

const UpdatablePaths& ClusterPaths() {
  static const UpdatablePaths paths{
      {"name", "liaison_leader_unit_id", "lead_department_unit_id", "description"},
      {{"cluster_id", "a cluster's id never changes"}}};
  return paths;
}

const UpdatablePaths& EnterprisePaths() {
  static const UpdatablePaths paths{
      {"name", "cluster_id", "township_id", "park", "address", "industry", "key_enterprise"},
      {{"credit_code", "the credit code is the enterprise's key and never changes"},
       {"above_size", "use MarkAboveSize"},
       {"above_size_since", "use MarkAboveSize"},
       {"listing_stage", "use EnterListingPool, AdvanceListingStage or LeaveListingPool"},
       {"in_above_size_pool", "use EnterAboveSizePool or LeaveAboveSizePool"},
       {"active_tiers", "use AwardTier or RevokeTier"}}};
  return paths;
}

bool IsTerritorial(v1::UnitKind kind) {
  return kind == v1::UNIT_KIND_TOWNSHIP || kind == v1::UNIT_KIND_SUBDISTRICT ||
         kind == v1::UNIT_KIND_DEVELOPMENT_ZONE;
}

absl::Status CheckReason(const std::string& field, std::string* text, size_t max_chars) {
  *text = TrimText(*text);
  return CheckText(field, *text, max_chars, true);
}

absl::Status NormalizeAndCheckUnit(v1::Unit* u, const std::string& prefix) {
  RETURN_IF_ERROR(CheckId(prefix + "unit_id", u->unit_id()));
  u->set_name(TrimText(u->name()));
  RETURN_IF_ERROR(CheckText(prefix + "name", u->name(), kMaxUnitNameChars, true));
  if (u->kind() == v1::UNIT_KIND_UNSPECIFIED || !v1::UnitKind_IsValid(u->kind())) {
    return FieldError(prefix + "kind",
                      "must be one of DEPARTMENT, TOWNSHIP, SUBDISTRICT, DEVELOPMENT_ZONE, "
                      "CITY_LEADER, PROVINCE_PREFECTURE");
  }
  if (!u->supervisor_unit_id().empty()) {
    RETURN_IF_ERROR(CheckId(prefix + "supervisor_unit_id", u->supervisor_unit_id()));
    if (u->supervisor_unit_id() == u->unit_id()) {
      return FieldError(prefix + "supervisor_unit_id", "a unit cannot supervise itself");
    }
  }
  u->set_contact(TrimText(u->contact()));
  return CheckText(prefix + "contact", u->contact(), kMaxContactChars, false);
}

absl::Status NormalizeAndCheckCluster(v1::Cluster* c, const std::string& prefix) {
  RETURN_IF_ERROR(CheckId(prefix + "cluster_id", c->cluster_id()));
  c->set_name(TrimText(c->name()));
  RETURN_IF_ERROR(CheckText(prefix + "name", c->name(), kMaxUnitNameChars, true));
  RETURN_IF_ERROR(CheckId(prefix + "liaison_leader_unit_id", c->liaison_leader_unit_id()));
  RETURN_IF_ERROR(CheckId(prefix + "lead_department_unit_id", c->lead_department_unit_id()));
  c->set_description(TrimText(c->description()));
  return CheckText(prefix + "description", c->description(), kMaxLongTextChars, false);
}

absl::Status NormalizeAndCheckEnterprise(v1::Enterprise* e, const std::string& prefix,
                                         absl::CivilDay today) {
  e->set_credit_code(NormalizeCreditCode(e->credit_code()));
  RETURN_IF_ERROR(CheckCreditCode(prefix + "credit_code", e->credit_code()));
  e->set_name(TrimText(e->name()));
  RETURN_IF_ERROR(CheckText(prefix + "name", e->name(), kMaxNameChars, true));
  RETURN_IF_ERROR(CheckId(prefix + "cluster_id", e->cluster_id()));
  RETURN_IF_ERROR(CheckId(prefix + "township_id", e->township_id()));
  e->set_park(TrimText(e->park()));
  RETURN_IF_ERROR(CheckText(prefix + "park", e->park(), kMaxShortTextChars, false));
  e->set_address(TrimText(e->address()));
  RETURN_IF_ERROR(CheckText(prefix + "address", e->address(), kMaxAddressChars, false));
  e->set_industry(TrimText(e->industry()));
  RETURN_IF_ERROR(CheckText(prefix + "industry", e->industry(), kMaxShortTextChars, false));
  if (e->above_size()) {
    if (e->above_size_since().empty()) {
      return FieldError(prefix + "above_size_since",
                        "is required when above_size is true (the date of 升规入统)");
    }
    RETURN_IF_ERROR(ParsePastDate(prefix + "above_size_since", e->above_size_since(), today)
                        .status());
  } else if (!e->above_size_since().empty()) {
    return FieldError(prefix + "above_size_since", "must be empty when above_size is false");
  }
  return absl::OkStatus();
}

absl::Status CheckTierLevel(v1::Tier tier, v1::Level level, const std::string& prefix) {
  if (tier == v1::TIER_UNSPECIFIED || !v1::Tier_IsValid(tier)) {
    return FieldError(prefix + "tier", "must name a tier, e.g. SPECIALIZED_SME (专精特新中小企业)");
  }
  if (level == v1::LEVEL_UNSPECIFIED || !v1::Level_IsValid(level)) {
    return FieldError(prefix + "level", "must be COUNTY, PREFECTURE, PROVINCE or NATION");
  }
  if (tier == v1::TIER_LITTLE_GIANT && level != v1::LEVEL_NATION) {
    return FieldError(prefix + "level", absl::StrCat(TierLabel(tier),
                                                     " is awarded at national level only"));
  }
  if (tier == v1::TIER_SINGLE_CHAMPION && level != v1::LEVEL_PROVINCE &&
      level != v1::LEVEL_NATION) {
    return FieldError(prefix + "level", absl::StrCat(TierLabel(tier),
                                                     " counts at provincial level or above"));
  }
  return absl::OkStatus();
}

}  // namespace uplift::registry

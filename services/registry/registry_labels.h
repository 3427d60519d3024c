// Chinese and English names of the registry's enums, for the CLI, reports
// and error messages, and parsers that accept either.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::registry {

std::string TierLabel(v1::Tier tier);                  // 专精特新中小企业
std::string LevelLabel(v1::Level level);               // 省级
std::string ListingStageLabel(v1::ListingStage stage); // 股改
std::string UnitKindLabel(v1::UnitKind kind);          // 乡镇
std::string PoolLabel(v1::Pool pool);                  // 挂牌上市后备资源库

// Accept the enum name ("TIER_HIGH_TECH"), its short form ("high-tech",
// "HIGH_TECH") or the Chinese label. False if nothing matches.
bool ParseTier(absl::string_view text, v1::Tier* tier);
bool ParseLevel(absl::string_view text, v1::Level* level);
bool ParseListingStage(absl::string_view text, v1::ListingStage* stage);
bool ParseUnitKind(absl::string_view text, v1::UnitKind* kind);
bool ParsePool(absl::string_view text, v1::Pool* pool);

}  // namespace uplift::registry

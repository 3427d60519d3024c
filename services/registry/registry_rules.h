// Input rules of the registry's resources: normalization (trimmed text,
// upper-case credit codes), field checks with the field's name in every
// error, the updatable paths of each resource, and which levels a tier may
// be awarded at.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/update_mask.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::registry {

// Field limits, in characters.
inline constexpr size_t kMaxNameChars = 100;
inline constexpr size_t kMaxUnitNameChars = 64;
inline constexpr size_t kMaxShortTextChars = 64;
inline constexpr size_t kMaxAddressChars = 200;
inline constexpr size_t kMaxLongTextChars = 500;
inline constexpr size_t kMaxContactChars = 128;

const UpdatablePaths& UnitPaths();
const UpdatablePaths& ClusterPaths();
const UpdatablePaths& EnterprisePaths();

// Each checks the fields a caller sets; `prefix` is e.g. "unit." and starts
// every error. References to other rows are checked by the service.
absl::Status NormalizeAndCheckUnit(v1::Unit* unit, const std::string& prefix);
absl::Status NormalizeAndCheckCluster(v1::Cluster* cluster, const std::string& prefix);
absl::Status NormalizeAndCheckEnterprise(v1::Enterprise* enterprise, const std::string& prefix,
                                         absl::CivilDay today);

// A township, subdistrict or development zone may hold enterprises.
bool IsTerritorial(v1::UnitKind kind);

// 小巨人 is national only; 单项冠军 provincial or national (二(二)1).
absl::Status CheckTierLevel(v1::Tier tier, v1::Level level, const std::string& prefix);

// Required non-blank text of at most `max_chars`.
absl::Status CheckReason(const std::string& field, std::string* text, size_t max_chars);

}  // namespace uplift::registry

// Label tables. Short forms drop the enum prefix; '-' and '_' are the same.
#include "services/registry/registry_labels.h"

#include <utility>
#include <vector>

#include "common/enum_labels.h"

namespace uplift::registry {
namespace {

template <typename E>
using Labels = EnumLabels<E>;

const Labels<v1::Tier>& TierLabels() {
  static const Labels<v1::Tier> labels = {
      {v1::TIER_INNOVATIVE_SME, "创新型中小企业"},
      {v1::TIER_SPECIALIZED_SME, "专精特新中小企业"},
      {v1::TIER_LITTLE_GIANT, "专精特新“小巨人”"},
      {v1::TIER_SINGLE_CHAMPION, "制造业单项冠军"},
      {v1::TIER_FRONT_RUNNER, "领跑者"},
      {v1::TIER_HIGH_TECH, "高新技术企业"},
      {v1::TIER_TECH_SME, "科技型中小企业"},
      {v1::TIER_TECH_LEADER, "科技领军企业"},
      {v1::TIER_GAZELLE, "瞪羚企业"},
      {v1::TIER_GREEN_BENCHMARK, "绿色制造标杆"},
      {v1::TIER_INDUSTRIAL_DESIGN_CENTER, "工业设计中心"},
  };
  return labels;
}

const Labels<v1::Level>& LevelLabels() {
  static const Labels<v1::Level> labels = {
      {v1::LEVEL_COUNTY, "县级"},
      {v1::LEVEL_PREFECTURE, "市级"},
      {v1::LEVEL_PROVINCE, "省级"},
      {v1::LEVEL_NATION, "国家级"},
  };
  return labels;
}

const Labels<v1::ListingStage>& StageLabels() {
  static const Labels<v1::ListingStage> labels = {
      {v1::LISTING_STAGE_RESERVE, "入库"},
      {v1::LISTING_STAGE_SHAREHOLDING_REFORM, "股改"},
      {v1::LISTING_STAGE_TUTORING, "辅导"},
      {v1::LISTING_STAGE_REVIEW, "审核"},
      {v1::LISTING_STAGE_REGISTRATION, "注册"},
      {v1::LISTING_STAGE_LISTED, "挂牌上市"},
  };
  return labels;
}

const Labels<v1::UnitKind>& KindLabels() {
  static const Labels<v1::UnitKind> labels = {
      {v1::UNIT_KIND_DEPARTMENT, "市直部门"},
      {v1::UNIT_KIND_TOWNSHIP, "乡镇"},
      {v1::UNIT_KIND_SUBDISTRICT, "街道"},
      {v1::UNIT_KIND_DEVELOPMENT_ZONE, "开发区"},
      {v1::UNIT_KIND_CITY_LEADER, "包联市领导"},
      {v1::UNIT_KIND_PROVINCE_PREFECTURE, "省市部门"},
  };
  return labels;
}

const Labels<v1::Pool>& PoolLabels() {
  static const Labels<v1::Pool> labels = {
      {v1::POOL_LISTING_RESERVE, "挂牌上市后备资源库"},
      {v1::POOL_ABOVE_SIZE_CULTIVATION, "规上工业企业培育库"},
  };
  return labels;
}

}  // namespace

std::string TierLabel(v1::Tier tier) { return LabelOf(TierLabels(), tier, "未指定"); }
std::string LevelLabel(v1::Level level) { return LabelOf(LevelLabels(), level, "未指定"); }
std::string ListingStageLabel(v1::ListingStage stage) {
  return stage == v1::LISTING_STAGE_UNSPECIFIED ? "不在库" : LabelOf(StageLabels(), stage, "未指定");
}
std::string UnitKindLabel(v1::UnitKind kind) { return LabelOf(KindLabels(), kind, "未指定"); }
std::string PoolLabel(v1::Pool pool) { return LabelOf(PoolLabels(), pool, "未指定"); }

bool ParseTier(absl::string_view text, v1::Tier* tier) {
  return ParseEnumLabel(TierLabels(), "TIER_", [](v1::Tier t) { return v1::Tier_Name(t); }, text,
                 tier);
}
bool ParseLevel(absl::string_view text, v1::Level* level) {
  return ParseEnumLabel(LevelLabels(), "LEVEL_", [](v1::Level l) { return v1::Level_Name(l); }, text,
                 level);
}
bool ParseListingStage(absl::string_view text, v1::ListingStage* stage) {
  return ParseEnumLabel(StageLabels(), "LISTING_STAGE_",
                 [](v1::ListingStage s) { return v1::ListingStage_Name(s); }, text, stage);
}
bool ParseUnitKind(absl::string_view text, v1::UnitKind* kind) {
  return ParseEnumLabel(KindLabels(), "UNIT_KIND_",
                 [](v1::UnitKind k) { return v1::UnitKind_Name(k); }, text, kind);
}
bool ParsePool(absl::string_view text, v1::Pool* pool) {
  return ParseEnumLabel(PoolLabels(), "POOL_", [](v1::Pool p) { return v1::Pool_Name(p); }, text,
                 pool);
}

}  // namespace uplift::registry

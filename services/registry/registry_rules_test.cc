// Tests of the registry's input rules.
#include "services/registry/registry_rules.h"

#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/ascii.h"

#include "services/registry/credit_code.h"
#include "services/registry/registry_labels.h"

namespace uplift::registry {
namespace {

v1::Enterprise Valid() {
  v1::Enterprise e;
  e.set_credit_code(WithCheckCharacter("91130184MA0000001"));
  e.set_name("新乐市华信机械制造有限公司");
  e.set_cluster_id("equipment");
  e.set_township_id("town-a");
  return e;
}

const absl::CivilDay kToday(2023, 6, 1);

TEST(EnterpriseRules, AcceptsAndNormalizes) {
  v1::Enterprise e = Valid();
  e.set_credit_code(" " + absl::AsciiStrToLower(e.credit_code()));
  e.set_name("\xE3\x80\x80新乐市华信机械制造有限公司 ");
  ASSERT_TRUE(NormalizeAndCheckEnterprise(&e, "enterprise.", kToday).ok());
  EXPECT_EQ(e.credit_code(), WithCheckCharacter("91130184MA0000001"));
  EXPECT_EQ(e.name(), "新乐市华信机械制造有限公司");
}

TEST(EnterpriseRules, EachErrorNamesItsField) {
  struct Case {
    std::function<void(v1::Enterprise*)> breaker;
    std::string field;
  };
  std::vector<Case> cases = {
      {[](v1::Enterprise* e) { e->set_credit_code("91130184MA0000001X"); }, "enterprise.credit_code"},
      {[](v1::Enterprise* e) { e->set_name(""); }, "enterprise.name"},
      {[](v1::Enterprise* e) { e->set_name(std::string(101 * 3, 'a')); }, "enterprise.name"},
      {[](v1::Enterprise* e) { e->set_cluster_id(""); }, "enterprise.cluster_id"},
      {[](v1::Enterprise* e) { e->set_township_id("Town A"); }, "enterprise.township_id"},
      {[](v1::Enterprise* e) { e->set_park(std::string(65, 'p')); }, "enterprise.park"},
      {[](v1::Enterprise* e) { e->set_address(std::string(201, 'a')); }, "enterprise.address"},
      {[](v1::Enterprise* e) { e->set_above_size(true); }, "enterprise.above_size_since"},
      {[](v1::Enterprise* e) { e->set_above_size_since("2023-01-01"); }, "enterprise.above_size_since"},
      {[](v1::Enterprise* e) {
         e->set_above_size(true);
         e->set_above_size_since("2024-01-01");
       },
       "enterprise.above_size_since"},
  };
  for (const Case& c : cases) {
    v1::Enterprise e = Valid();
    c.breaker(&e);
    absl::Status s = NormalizeAndCheckEnterprise(&e, "enterprise.", kToday);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(s.message().substr(0, c.field.size() + 1), c.field + ":") << s.message();
  }
}

TEST(TierRules, LevelsFollowThePlan) {
  EXPECT_TRUE(CheckTierLevel(v1::TIER_SPECIALIZED_SME, v1::LEVEL_PROVINCE, "").ok());
  EXPECT_TRUE(CheckTierLevel(v1::TIER_LITTLE_GIANT, v1::LEVEL_NATION, "").ok());
  EXPECT_FALSE(CheckTierLevel(v1::TIER_LITTLE_GIANT, v1::LEVEL_PROVINCE, "").ok());
  EXPECT_TRUE(CheckTierLevel(v1::TIER_SINGLE_CHAMPION, v1::LEVEL_PROVINCE, "").ok());
  EXPECT_TRUE(CheckTierLevel(v1::TIER_SINGLE_CHAMPION, v1::LEVEL_NATION, "").ok());
  EXPECT_FALSE(CheckTierLevel(v1::TIER_SINGLE_CHAMPION, v1::LEVEL_PREFECTURE, "").ok());
  EXPECT_EQ(CheckTierLevel(v1::TIER_UNSPECIFIED, v1::LEVEL_NATION, "award.").message().substr(0, 11),
            "award.tier:");
  EXPECT_EQ(CheckTierLevel(static_cast<v1::Tier>(99), v1::LEVEL_NATION, "award.").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckTierLevel(v1::TIER_HIGH_TECH, v1::LEVEL_UNSPECIFIED, "award.").message().substr(0, 12),
            "award.level:");
}

TEST(UpdateMask, RefusesUnknownAndElsewherePaths) {
  v1::Enterprise current = Valid(), desired = Valid();
  desired.set_name("新名称");
  google::protobuf::FieldMask mask;
  EXPECT_NE(ApplyUpdateMask(mask, EnterprisePaths(), desired, &current).message().find(
                "update_mask: must list"),
            std::string::npos);
  mask.add_paths("colour");
  EXPECT_EQ(ApplyUpdateMask(mask, EnterprisePaths(), desired, &current).message().substr(0, 35),
            "update_mask: unknown path \"colour\";");
  mask.set_paths(0, "above_size");
  EXPECT_NE(ApplyUpdateMask(mask, EnterprisePaths(), desired, &current).message().find(
                "use MarkAboveSize"),
            std::string::npos);
  mask.set_paths(0, "name");
  ASSERT_TRUE(ApplyUpdateMask(mask, EnterprisePaths(), desired, &current).ok());
  EXPECT_EQ(current.name(), "新名称");
  EXPECT_EQ(ChangedPaths(EnterprisePaths(), Valid(), current), std::vector<std::string>{"name"});
}

TEST(Labels, ParseChineseAndEnglish) {
  v1::Tier tier;
  ASSERT_TRUE(ParseTier("专精特新中小企业", &tier));
  EXPECT_EQ(tier, v1::TIER_SPECIALIZED_SME);
  ASSERT_TRUE(ParseTier("little-giant", &tier));
  EXPECT_EQ(tier, v1::TIER_LITTLE_GIANT);
  ASSERT_TRUE(ParseTier("TIER_HIGH_TECH", &tier));
  EXPECT_EQ(tier, v1::TIER_HIGH_TECH);
  EXPECT_FALSE(ParseTier("unicorn", &tier));
  v1::ListingStage stage;
  ASSERT_TRUE(ParseListingStage("股改", &stage));
  EXPECT_EQ(stage, v1::LISTING_STAGE_SHAREHOLDING_REFORM);
  EXPECT_EQ(TierLabel(v1::TIER_LITTLE_GIANT), "专精特新“小巨人”");
  EXPECT_EQ(LevelLabel(v1::LEVEL_NATION), "国家级");
}

}  // namespace
}  // namespace uplift::registry

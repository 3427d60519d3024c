// Tests of RegistryService built directly on an in-memory database with an
// injected clock: input rules, access, idempotency, history, events, audit.
#include "services/registry/registry_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "absl/strings/ascii.h"
#include "services/registry/credit_code.h"
#include "services/registry/registry_service_test_fixture.h"

namespace uplift::registry {
namespace {

TEST_P(RegistryServiceTest, CreatesAnEnterpriseWithEventAndAudit) {
  const int events = Rows("outbox"), audits = Rows("audit_log");
  v1::Enterprise e = Create(1);
  EXPECT_EQ(e.credit_code(), Code(1));
  EXPECT_EQ(e.etag(), "v1");
  EXPECT_EQ(FromProtoTimestamp(e.create_time()), clock_.Now());
  EXPECT_EQ(Rows("outbox"), events + 1);
  EXPECT_EQ(Rows("audit_log"), audits + 1);
  EXPECT_EQ(EventTypes().back(), "uplift.registry.v1.EnterpriseCreated");
  absl::StatusOr<v1::GetEnterpriseResponse> got = service_.GetEnterprise(viewer_, [] {
    v1::GetEnterpriseRequest r;
    r.set_credit_code(absl::AsciiStrToLower(Code(1)));
    return r;
  }());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->enterprise().name(), "新乐市测试企业1");
}

TEST_P(RegistryServiceTest, GetSeesEveryCommittedChangeDespiteTheCache) {
  Create(1);
  v1::GetEnterpriseRequest get;
  get.set_credit_code(Code(1));
  auto name = [&] { return service_.GetEnterprise(viewer_, get)->enterprise(); };
  EXPECT_EQ(name().name(), "新乐市测试企业1");  // now cached
  v1::UpdateEnterpriseRequest update = Rename(1, "改名一次");
  ASSERT_TRUE(service_.UpdateEnterprise(owner_, update).ok());
  EXPECT_EQ(name().name(), "改名一次");
  const v1::AwardTierRequest award = GazelleAward(1);
  ASSERT_TRUE(service_.AwardTier(owner_, award).ok());
  EXPECT_EQ(name().active_tiers_size(), 1);
  v1::MarkAboveSizeRequest mark;
  mark.set_credit_code(Code(1));
  mark.set_since("2023-05-20");
  ASSERT_TRUE(service_.MarkAboveSize(owner_, mark).ok());
  EXPECT_TRUE(name().above_size());
  // A failed write leaves the cached value right.
  update.mutable_enterprise()->set_cluster_id("nowhere");
  update.mutable_update_mask()->add_paths("cluster_id");
  ASSERT_FALSE(service_.UpdateEnterprise(owner_, update).ok());
  EXPECT_EQ(name().cluster_id(), "equipment");
}

// Replicas share the database, each with a cache of its own: what one
// commits, the other's cached GetEnterprise shows at once.
TEST_P(RegistryServiceTest, AReplicasCacheShowsWhatAnotherReplicaChanged) {
  RegistryService replica(db_.get(), &clock_);
  Create(1);
  v1::GetEnterpriseRequest get;
  get.set_credit_code(Code(1));
  auto seen = [&] { return replica.GetEnterprise(viewer_, get)->enterprise(); };
  EXPECT_EQ(seen().name(), "新乐市测试企业1");  // cached by the replica
  v1::UpdateEnterpriseRequest update = Rename(1, "改名一次");
  ASSERT_TRUE(service_.UpdateEnterprise(owner_, update).ok());
  EXPECT_EQ(seen().name(), "改名一次");
  const v1::AwardTierRequest award = GazelleAward(1);
  absl::StatusOr<v1::AwardTierResponse> awarded = service_.AwardTier(owner_, award);
  ASSERT_TRUE(awarded.ok()) << awarded.status();
  EXPECT_EQ(seen().active_tiers_size(), 1);
  v1::RevokeTierRequest revoke;
  revoke.set_credit_code(Code(1));
  revoke.set_award_id(awarded->award().award_id());
  revoke.set_revoked_on("2023-05-30");
  revoke.set_reason("复核未通过");
  ASSERT_TRUE(service_.RevokeTier(owner_, revoke).ok());
  EXPECT_EQ(seen().active_tiers_size(), 0);
  v1::EnterListingPoolRequest pool;
  pool.set_credit_code(Code(1));
  pool.set_date("2023-05-31");
  ASSERT_TRUE(service_.EnterListingPool(owner_, pool).ok());
  EXPECT_EQ(seen().listing_stage(), v1::LISTING_STAGE_RESERVE);
}

TEST_P(RegistryServiceTest, BadInputChangesNothing) {
  Create(1);
  const int enterprises = Rows("enterprises"), events = Rows("outbox"), audits = Rows("audit_log");
  auto with = [&](std::function<void(v1::Enterprise*)> change) {
    v1::CreateEnterpriseRequest req = EnterpriseRequest(2);
    change(req.mutable_enterprise());
    return service_.CreateEnterprise(admin_, req);
  };
  ExpectRejected(with([](v1::Enterprise* e) { e->set_credit_code("91130184MA0000002X"); }),
                 absl::StatusCode::kInvalidArgument, "enterprise.credit_code:");
  ExpectRejected(with([](v1::Enterprise* e) { e->set_cluster_id("textiles"); }),
                 absl::StatusCode::kInvalidArgument, "enterprise.cluster_id: no cluster");
  ExpectRejected(with([](v1::Enterprise* e) { e->set_township_id("town-z"); }),
                 absl::StatusCode::kInvalidArgument, "enterprise.township_id: no unit");
  ExpectRejected(with([](v1::Enterprise* e) { e->set_township_id("dept-kgx"); }),
                 absl::StatusCode::kInvalidArgument, "enterprise.township_id: unit");
  ExpectRejected(with([](v1::Enterprise* e) { e->set_name("  "); }),
                 absl::StatusCode::kInvalidArgument, "enterprise.name:");
  ExpectRejected(with([](v1::Enterprise* e) { e->set_name(std::string(101, 'x')); }),
                 absl::StatusCode::kInvalidArgument, "enterprise.name:");
  ExpectRejected(with([](v1::Enterprise* e) { e->set_credit_code(Code(1)); }),
                 absl::StatusCode::kAlreadyExists, "enterprise.credit_code:");
  EXPECT_EQ(Rows("enterprises"), enterprises);
  EXPECT_EQ(Rows("outbox"), events);
  EXPECT_EQ(Rows("audit_log"), audits);
}

TEST_P(RegistryServiceTest, EnterpriseInADevelopmentZoneIsFine) { Create(3, "zone"); }

TEST_P(RegistryServiceTest, RequestIdReturnsTheFirstResult) {
  v1::CreateEnterpriseRequest req = EnterpriseRequest(1);
  req.set_request_id("a1b2c3");
  auto first = service_.CreateEnterprise(admin_, req);
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Minutes(1));
  auto again = service_.CreateEnterprise(admin_, req);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(Rows("enterprises"), 1);
  req.mutable_enterprise()->set_name("另一个名字");
  ExpectRejected(service_.CreateEnterprise(admin_, req), absl::StatusCode::kFailedPrecondition,
                 "request_id:");
}

TEST_P(RegistryServiceTest, TownshipsWriteOnlyTheirOwnEnterprises) {
  ASSERT_TRUE(service_.CreateEnterprise(town_a_, EnterpriseRequest(1, "town-a")).ok());
  ExpectRejected(service_.CreateEnterprise(town_a_, EnterpriseRequest(2, "town-b")),
                 absl::StatusCode::kPermissionDenied, "township town-a");
  Create(3, "town-b");
  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_credit_code(Code(3));
  update.mutable_enterprise()->set_park("新乐经济开发区");
  update.mutable_update_mask()->add_paths("park");
  ExpectRejected(service_.UpdateEnterprise(town_a_, update), absl::StatusCode::kPermissionDenied,
                 "township town-a");
  // Moving its own enterprise to another township is refused too.
  update.mutable_enterprise()->set_credit_code(Code(1));
  update.mutable_enterprise()->set_township_id("town-b");
  update.mutable_update_mask()->add_paths("township_id");
  ExpectRejected(service_.UpdateEnterprise(town_a_, update), absl::StatusCode::kPermissionDenied,
                 "township town-a");
  ExpectRejected(service_.CreateEnterprise(viewer_, EnterpriseRequest(4)),
                 absl::StatusCode::kPermissionDenied, "role VIEWER");
}

TEST_P(RegistryServiceTest, UpdateFollowsTheMask) {
  Create(1);
  v1::UpdateEnterpriseRequest req;
  req.mutable_enterprise()->set_credit_code(Code(1));
  req.mutable_enterprise()->set_name("改名后的企业");
  req.mutable_enterprise()->set_park("不该改的园区");
  req.mutable_update_mask()->add_paths("name");
  auto updated = service_.UpdateEnterprise(owner_, req);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->enterprise().name(), "改名后的企业");
  EXPECT_EQ(updated->enterprise().park(), "");
  EXPECT_EQ(updated->enterprise().etag(), "v2");
  EXPECT_EQ(EventTypes().back(), "uplift.registry.v1.EnterpriseUpdated");

  const int events = Rows("outbox");
  auto same = service_.UpdateEnterprise(owner_, req);  // nothing differs
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(Rows("outbox"), events) << "a no-op update publishes nothing";

  req.mutable_update_mask()->set_paths(0, "above_size");
  ExpectRejected(service_.UpdateEnterprise(owner_, req), absl::StatusCode::kInvalidArgument,
                 "update_mask:");
  req.mutable_update_mask()->set_paths(0, "colour");
  ExpectRejected(service_.UpdateEnterprise(owner_, req), absl::StatusCode::kInvalidArgument,
                 "update_mask: unknown path");
  req.mutable_update_mask()->set_paths(0, "name");
  req.mutable_enterprise()->set_etag("v1");
  ExpectRejected(service_.UpdateEnterprise(owner_, req), absl::StatusCode::kAborted,
                 "enterprise.etag:");
  req.mutable_update_mask()->set_paths(0, "cluster_id");
  req.mutable_enterprise()->clear_etag();
  req.mutable_enterprise()->set_cluster_id("nowhere");
  ExpectRejected(service_.UpdateEnterprise(owner_, req), absl::StatusCode::kInvalidArgument,
                 "enterprise.cluster_id:");
}

TEST_P(RegistryServiceTest, ListFiltersAndPages) {
  for (int i = 0; i < 120; ++i) Create(i, i % 2 == 0 ? "town-a" : "town-b");
  v1::ListEnterprisesRequest req;
  req.set_township_id("town-a");
  req.set_page_size(25);
  std::vector<std::string> seen;
  for (;;) {
    auto page = service_.ListEnterprises(viewer_, req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->enterprises()) {
      EXPECT_EQ(e.township_id(), "town-a");
      seen.push_back(e.credit_code());
    }
    if (page->next_page_token().empty()) break;
    req.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(seen.size(), 60u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 60u);

  // A token used with other filters is refused.
  req.set_township_id("town-b");
  req.set_page_token(service_.ListEnterprises(viewer_, [] {
                               v1::ListEnterprisesRequest r;
                               r.set_township_id("town-a");
                               r.set_page_size(5);
                               return r;
                             }()).value().next_page_token());
  ExpectRejected(service_.ListEnterprises(viewer_, req), absl::StatusCode::kInvalidArgument,
                 "page_token:");
}

TEST_P(RegistryServiceTest, ListByQueryMatchesNameOrCreditCodePrefix) {
  for (int i = 1; i <= 12; ++i) Create(i);
  auto codes = [&](const std::string& query) {
    v1::ListEnterprisesRequest req;
    req.set_query(query);
    std::set<std::string> out;
    const v1::ListEnterprisesResponse page = service_.ListEnterprises(viewer_, req).value();
    for (const auto& e : page.enterprises()) {
      out.insert(e.credit_code());
    }
    return out;
  };
  EXPECT_EQ(codes("测试企业1"), (std::set<std::string>{Code(1), Code(10), Code(11), Code(12)}));
  EXPECT_EQ(codes(" 测试企业7 "), std::set<std::string>{Code(7)});
  EXPECT_EQ(codes(Code(5).substr(0, 17)), std::set<std::string>{Code(5)});
  EXPECT_EQ(codes(absl::AsciiStrToLower(Code(5))), std::set<std::string>{Code(5)});
  EXPECT_TRUE(codes("没有这家").empty());
  EXPECT_EQ(codes("").size(), 12u);

  v1::ListEnterprisesRequest bad;
  bad.set_query(std::string(101, 'x'));
  ExpectRejected(service_.ListEnterprises(viewer_, bad), absl::StatusCode::kInvalidArgument,
                 "query:");
}

TEST_P(RegistryServiceTest, ListByTierPoolKeyAndSize) {
  for (int i = 1; i <= 4; ++i) Create(i);
  v1::AwardTierRequest award;
  award.set_credit_code(Code(2));
  award.mutable_award()->set_tier(v1::TIER_HIGH_TECH);
  award.mutable_award()->set_level(v1::LEVEL_NATION);
  award.mutable_award()->set_awarded_on("2023-03-01");
  award.mutable_award()->set_evidence("GR202313000123");
  ASSERT_TRUE(service_.AwardTier(owner_, award).ok());
  v1::EnterListingPoolRequest enter;
  enter.set_credit_code(Code(3));
  enter.set_date("2023-04-01");
  ASSERT_TRUE(service_.EnterListingPool(owner_, enter).ok());
  v1::UpdateEnterpriseRequest key;
  key.mutable_enterprise()->set_credit_code(Code(4));
  key.mutable_enterprise()->set_key_enterprise(true);
  key.mutable_update_mask()->add_paths("key_enterprise");
  ASSERT_TRUE(service_.UpdateEnterprise(owner_, key).ok());

  auto codes = [&](v1::ListEnterprisesRequest r) {
    std::vector<std::string> out;
    absl::StatusOr<v1::ListEnterprisesResponse> listed = service_.ListEnterprises(viewer_, r);
    EXPECT_TRUE(listed.ok()) << listed.status();
    for (const auto& e : listed->enterprises()) out.push_back(e.credit_code());
    return out;
  };
  v1::ListEnterprisesRequest r;
  r.set_tier(v1::TIER_HIGH_TECH);
  EXPECT_EQ(codes(r), std::vector<std::string>{Code(2)});
  r = {};
  r.set_pool(v1::POOL_LISTING_RESERVE);
  EXPECT_EQ(codes(r), std::vector<std::string>{Code(3)});
  r = {};
  r.set_key_enterprise(true);
  EXPECT_EQ(codes(r), std::vector<std::string>{Code(4)});
  r = {};
  r.set_key_enterprise(false);
  EXPECT_EQ(codes(r).size(), 3u);
  r = {};
  r.set_above_size(true);
  EXPECT_TRUE(codes(r).empty());
  // Listing shows the active tiers of each enterprise.
  r = {};
  auto all = service_.ListEnterprises(viewer_, r);
  ASSERT_EQ(all->enterprises_size(), 4);
  EXPECT_EQ(all->enterprises(1).active_tiers_size(), 1);
  EXPECT_EQ(all->enterprises(0).active_tiers_size(), 0);
}

TEST_P(RegistryServiceTest, TiersAreAwardedRevokedAndKeptAsHistory) {
  Create(1);
  v1::AwardTierRequest req;
  req.set_credit_code(Code(1));
  req.mutable_award()->set_tier(v1::TIER_SPECIALIZED_SME);
  req.mutable_award()->set_level(v1::LEVEL_PROVINCE);
  req.mutable_award()->set_awarded_on("2023-05-10");
  req.mutable_award()->set_evidence("冀工信企业〔2023〕88号");
  auto awarded = service_.AwardTier(owner_, req);
  ASSERT_TRUE(awarded.ok()) << awarded.status();
  EXPECT_EQ(awarded->award().awarded_by(), "科工信局");
  ExpectRejected(service_.AwardTier(owner_, req), absl::StatusCode::kAlreadyExists, "award.tier:");
  ExpectRejected(service_.AwardTier(town_a_, req), absl::StatusCode::kPermissionDenied, "role");

  v1::AwardTierRequest bad = req;
  bad.mutable_award()->set_awarded_on("2023-06-02");  // tomorrow
  ExpectRejected(service_.AwardTier(owner_, bad), absl::StatusCode::kInvalidArgument,
                 "award.awarded_on:");
  bad = req;
  bad.mutable_award()->set_tier(v1::TIER_LITTLE_GIANT);
  ExpectRejected(service_.AwardTier(owner_, bad), absl::StatusCode::kInvalidArgument, "award.level:");
  bad = req;
  bad.mutable_award()->set_evidence("");
  ExpectRejected(service_.AwardTier(owner_, bad), absl::StatusCode::kInvalidArgument,
                 "award.evidence:");

  v1::RevokeTierRequest revoke;
  revoke.set_credit_code(Code(1));
  revoke.set_award_id(awarded->award().award_id());
  revoke.set_revoked_on("2023-05-01");
  revoke.set_reason("复核未通过");
  ExpectRejected(service_.RevokeTier(owner_, revoke), absl::StatusCode::kInvalidArgument,
                 "revoked_on:");
  revoke.set_revoked_on("2023-05-31");
  revoke.set_reason("");
  ExpectRejected(service_.RevokeTier(owner_, revoke), absl::StatusCode::kInvalidArgument, "reason:");
  revoke.set_reason("复核未通过");
  auto revoked = service_.RevokeTier(owner_, revoke);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->award().revoked_on(), "2023-05-31");
  ExpectRejected(service_.RevokeTier(owner_, revoke), absl::StatusCode::kFailedPrecondition,
                 "award_id:");
  revoke.set_award_id("aw-nope");
  ExpectRejected(service_.RevokeTier(owner_, revoke), absl::StatusCode::kNotFound, "award_id:");

  // Awarded again later: history keeps both.
  req.mutable_award()->set_awarded_on("2023-06-01");
  ASSERT_TRUE(service_.AwardTier(owner_, req).ok());
  v1::ListTierAwardsRequest list;
  list.set_credit_code(Code(1));
  EXPECT_EQ(service_.ListTierAwards(viewer_, list)->awards_size(), 1);
  list.set_include_revoked(true);
  auto history = service_.ListTierAwards(viewer_, list);
  ASSERT_EQ(history->awards_size(), 2);
  EXPECT_EQ(history->awards(0).revoke_reason(), "复核未通过");
  const std::vector<std::string> types = EventTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "uplift.registry.v1.TierAwarded"), 2);
  EXPECT_EQ(std::count(types.begin(), types.end(), "uplift.registry.v1.TierRevoked"), 1);
}

TEST_P(RegistryServiceTest, OnlyTheListingPoolDepartmentsManageThePool) {
  Create(1);
  v1::EnterListingPoolRequest enter;
  enter.set_credit_code(Code(1));
  enter.set_date("2023-02-01");
  // Any other department was allowed before: now only 市地方金融监管局.
  ExpectRejected(service_.EnterListingPool(Who(ROLE_DEPARTMENT, "dept-zrj", "自然资源和规划局"), enter),
                 absl::StatusCode::kPermissionDenied, "department dept-zrj does not manage");
  EXPECT_TRUE(service_.EnterListingPool(Who(ROLE_DEPARTMENT, "dept-jrj", "金融监管局"), enter).ok());
}

TEST_P(RegistryServiceTest, ListingStagesMoveForwardOnly) {
  Create(1);
  const Principal finance = Who(ROLE_DEPARTMENT, "dept-jrj", "金融监管局");
  v1::AdvanceListingStageRequest advance;
  advance.set_credit_code(Code(1));
  advance.set_stage(v1::LISTING_STAGE_TUTORING);
  advance.set_date("2023-03-01");
  ExpectRejected(service_.AdvanceListingStage(finance, advance),
                 absl::StatusCode::kFailedPrecondition, "listing_stage:");

  v1::EnterListingPoolRequest enter;
  enter.set_credit_code(Code(1));
  enter.set_date("2023-02-01");
  ASSERT_TRUE(service_.EnterListingPool(finance, enter).ok());
  ExpectRejected(service_.EnterListingPool(finance, enter), absl::StatusCode::kFailedPrecondition,
                 "listing_stage:");
  auto tutored = service_.AdvanceListingStage(finance, advance);  // skipping 股改 is allowed
  ASSERT_TRUE(tutored.ok()) << tutored.status();
  EXPECT_EQ(tutored->enterprise().listing_stage(), v1::LISTING_STAGE_TUTORING);
  EXPECT_EQ(tutored->enterprise().listing_stage_since(), "2023-03-01");

  advance.set_stage(v1::LISTING_STAGE_SHAREHOLDING_REFORM);
  ExpectRejected(service_.AdvanceListingStage(finance, advance),
                 absl::StatusCode::kFailedPrecondition, "stage:");
  advance.set_stage(v1::LISTING_STAGE_TUTORING);
  ExpectRejected(service_.AdvanceListingStage(finance, advance),
                 absl::StatusCode::kFailedPrecondition, "stage:");
  advance.set_stage(v1::LISTING_STAGE_REVIEW);
  advance.set_date("2023-02-15");  // before the current stage
  ExpectRejected(service_.AdvanceListingStage(finance, advance), absl::StatusCode::kInvalidArgument,
                 "date:");
  advance.set_stage(static_cast<v1::ListingStage>(42));
  ExpectRejected(service_.AdvanceListingStage(finance, advance), absl::StatusCode::kInvalidArgument,
                 "stage:");

  v1::LeaveListingPoolRequest leave;
  leave.set_credit_code(Code(1));
  leave.set_date("2023-05-01");
  ExpectRejected(service_.LeaveListingPool(finance, leave), absl::StatusCode::kInvalidArgument,
                 "reason:");
  leave.set_reason("企业暂缓上市计划");
  auto left = service_.LeaveListingPool(finance, leave);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->enterprise().listing_stage(), v1::LISTING_STAGE_UNSPECIFIED);

  v1::ListPoolHistoryRequest history;
  history.set_credit_code(Code(1));
  auto entries = service_.ListPoolHistory(viewer_, history);
  ASSERT_EQ(entries->entries_size(), 3);
  EXPECT_EQ(entries->entries(1).stage(), v1::LISTING_STAGE_TUTORING);
  EXPECT_EQ(entries->entries(2).action(), v1::PoolHistoryEntry::ACTION_LEFT);
  EXPECT_EQ(entries->entries(2).stage(), v1::LISTING_STAGE_TUTORING);
  EXPECT_EQ(entries->entries(2).actor(), "金融监管局");
}

TEST_P(RegistryServiceTest, AboveSizeStepGraduatesFromThePool) {
  Create(1);
  v1::EnterAboveSizePoolRequest enter;
  enter.set_credit_code(Code(1));
  enter.set_date("2023-01-15");
  ASSERT_TRUE(service_.EnterAboveSizePool(town_a_, enter).ok());
  v1::MarkAboveSizeRequest mark;
  mark.set_credit_code(Code(1));
  mark.set_since("2023-05-01");
  ExpectRejected(service_.MarkAboveSize(town_a_, mark), absl::StatusCode::kPermissionDenied, "role");
  auto marked = service_.MarkAboveSize(owner_, mark);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_TRUE(marked->enterprise().above_size());
  EXPECT_EQ(marked->enterprise().above_size_since(), "2023-05-01");
  EXPECT_FALSE(marked->enterprise().in_above_size_pool());
  const std::vector<std::string> types = EventTypes();
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ(types[types.size() - 2], "uplift.registry.v1.PoolChanged");
  EXPECT_EQ(types.back(), "uplift.registry.v1.AboveSizeReached");
  ExpectRejected(service_.MarkAboveSize(owner_, mark), absl::StatusCode::kFailedPrecondition,
                 "above_size:");
  ExpectRejected(service_.EnterAboveSizePool(town_a_, enter), absl::StatusCode::kFailedPrecondition,
                 "credit_code:");
  v1::ListPoolHistoryRequest history;
  history.set_credit_code(Code(1));
  auto entries = service_.ListPoolHistory(viewer_, history);
  ASSERT_EQ(entries->entries_size(), 2);
  EXPECT_EQ(entries->entries(1).action(), v1::PoolHistoryEntry::ACTION_GRADUATED);
}

TEST_P(RegistryServiceTest, TownshipsManageTheCultivationPoolOfTheirOwnOnly) {
  Create(1, "town-b");
  v1::EnterAboveSizePoolRequest enter;
  enter.set_credit_code(Code(1));
  enter.set_date("2023-01-15");
  ExpectRejected(service_.EnterAboveSizePool(town_a_, enter), absl::StatusCode::kPermissionDenied,
                 "township town-a");
}

TEST_P(RegistryServiceTest, UnitsAndClustersKeepTheirReferencesSound) {
  v1::CreateClusterRequest c;
  c.mutable_cluster()->set_cluster_id("food");
  c.mutable_cluster()->set_name("食品加工产业集群");
  c.mutable_cluster()->set_liaison_leader_unit_id("dept-kgx");  // not a leader
  c.mutable_cluster()->set_lead_department_unit_id("dept-kgx");
  ExpectRejected(service_.CreateCluster(admin_, c), absl::StatusCode::kInvalidArgument,
                 "cluster.liaison_leader_unit_id:");
  ExpectRejected(service_.CreateCluster(town_a_, c), absl::StatusCode::kPermissionDenied, "role");

  Create(1, "town-a");
  v1::UpdateUnitRequest u;
  u.mutable_unit()->set_unit_id("town-a");
  u.mutable_unit()->set_kind(v1::UNIT_KIND_DEPARTMENT);
  u.mutable_update_mask()->add_paths("kind");
  ExpectRejected(service_.UpdateUnit(admin_, u), absl::StatusCode::kFailedPrecondition, "unit.kind:");
  u.mutable_unit()->set_unit_id("leader-equipment");
  ExpectRejected(service_.UpdateUnit(admin_, u), absl::StatusCode::kFailedPrecondition, "unit.kind:");
  u.mutable_unit()->set_unit_id("town-b");
  u.mutable_unit()->set_kind(v1::UNIT_KIND_SUBDISTRICT);
  ASSERT_TRUE(service_.UpdateUnit(admin_, u).ok());

  v1::CreateUnitRequest dup;
  dup.mutable_unit()->set_unit_id("town-a");
  dup.mutable_unit()->set_name("重复");
  dup.mutable_unit()->set_kind(v1::UNIT_KIND_TOWNSHIP);
  ExpectRejected(service_.CreateUnit(admin_, dup), absl::StatusCode::kAlreadyExists, "unit.unit_id:");
  dup.mutable_unit()->set_unit_id("town-c");
  dup.mutable_unit()->set_supervisor_unit_id("nobody");
  ExpectRejected(service_.CreateUnit(admin_, dup), absl::StatusCode::kInvalidArgument,
                 "unit.supervisor_unit_id:");
}

TEST_P(RegistryServiceTest, AuditLogIsForAdminsAndRecordsBeforeAndAfter) {
  Create(1);
  v1::UpdateEnterpriseRequest req;
  req.mutable_enterprise()->set_credit_code(Code(1));
  req.mutable_enterprise()->set_name("新名称");
  req.mutable_update_mask()->add_paths("name");
  ASSERT_TRUE(service_.UpdateEnterprise(owner_, req).ok());
  uplift::audit::v1::ListAuditRecordsRequest list;
  list.set_target("enterprise/" + Code(1));
  ExpectRejected(service_.ListAuditRecords(owner_, list), absl::StatusCode::kPermissionDenied, "role");
  auto records = service_.ListAuditRecords(admin_, list);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->records_size(), 2);
  const auto& update = records->records(0);  // newest first
  EXPECT_EQ(update.action(), "UpdateEnterprise");
  EXPECT_EQ(update.subject(), "科工信局");
  EXPECT_NE(update.before_json().find("新乐市测试企业1"), std::string::npos);
  EXPECT_NE(update.after_json().find("新名称"), std::string::npos);
  EXPECT_EQ(records->records(1).before_json(), "");
}

INSTANTIATE_TEST_SUITE_P(Engines, RegistryServiceTest, testing::EveryEngine(),
                         testing::EngineTestName);

// Two replicas on one SQLite file, each with its own connections: what one
// commits moves the file's commit generation, so the other stops answering
// from memory and reads again. (On PostgreSQL every GetEnterprise reads the
// version: AReplicasCacheShowsWhatAnotherReplicaChanged.)
class RegistryReplicasOnOneFileTest : public RegistryServiceTest {
 protected:
  RegistryReplicasOnOneFileTest() : RegistryServiceTest(/*on_file=*/true) {}
};

TEST_P(RegistryReplicasOnOneFileTest, AnswersFromMemoryOnlyUntilAnotherReplicaCommits) {
  std::unique_ptr<sql::Store> other_db =
      testing::OpenTestStore(sql::Engine::kSqlite, dir_.File("registry.db"), Migrations());
  RegistryService replica(other_db.get(), &clock_);
  Create(1);
  v1::GetEnterpriseRequest get;
  get.set_credit_code(Code(1));
  EXPECT_FALSE(replica.GetEnterpriseFromMemory(viewer_, get).has_value()) << "not read yet";
  ASSERT_EQ(replica.GetEnterprise(viewer_, get)->enterprise().name(), "新乐市测试企业1");
  auto from_memory = replica.GetEnterpriseFromMemory(viewer_, get);
  ASSERT_TRUE(from_memory.has_value()) << "nothing committed since the read";
  EXPECT_EQ((*from_memory)->enterprise().name(), "新乐市测试企业1");

  ASSERT_TRUE(service_.UpdateEnterprise(owner_, Rename(1, "改名一次")).ok());
  EXPECT_FALSE(replica.GetEnterpriseFromMemory(viewer_, get).has_value())
      << "the other replica committed";
  EXPECT_EQ(replica.GetEnterprise(viewer_, get)->enterprise().name(), "改名一次");
  // A commit that does not touch the enterprise: the next read confirms
  // the cached version, and memory answers again.
  Create(2);
  EXPECT_FALSE(replica.GetEnterpriseFromMemory(viewer_, get).has_value());
  EXPECT_EQ(replica.GetEnterprise(viewer_, get)->enterprise().name(), "改名一次");
  ASSERT_TRUE(replica.GetEnterpriseFromMemory(viewer_, get).has_value());

  // A bad credit code is answered without the database.
  get.set_credit_code("12");
  auto bad = replica.GetEnterpriseFromMemory(viewer_, get);
  ASSERT_TRUE(bad.has_value());
  ExpectRejected(*bad, absl::StatusCode::kInvalidArgument, "credit_code");
}

INSTANTIATE_TEST_SUITE_P(Engines, RegistryReplicasOnOneFileTest,
                         ::testing::Values(sql::Engine::kSqlite), testing::EngineTestName);

}  // namespace
}  // namespace uplift::registry

// The registry as a department system meets it: a real uplift-registry
// process and a real redis-server, called over gRPC with real tokens.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "common/client_channel.h"
#include "common/time_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/support/registry_fixture.h"
#include "uplift/registry/v1/registry_events.pb.h"

namespace uplift::testing {
namespace {

using uplift::auth::v1::ROLE_TOWNSHIP;
using uplift::auth::v1::ROLE_VIEWER;

class RegistryIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { f_.SeedBasics(); }
  RegistryFixture f_;
};

TEST_F(RegistryIntegrationTest, ServesHealthAndReflection) {
  auto channel = *MakeChannel(f_.address(), {});
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest hreq;
  grpc::health::v1::HealthCheckResponse hresp;
  grpc::ClientContext hctx;  // no token: health is open to probes
  ASSERT_TRUE(health->Check(&hctx, hreq, &hresp).ok());
  EXPECT_EQ(hresp.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  grpc::ClientContext rctx;
  auto stream = reflection->ServerReflectionInfo(&rctx);
  grpc::reflection::v1alpha::ServerReflectionRequest req;
  req.set_list_services("");
  ASSERT_TRUE(stream->Write(req));
  grpc::reflection::v1alpha::ServerReflectionResponse resp;
  ASSERT_TRUE(stream->Read(&resp));
  std::set<std::string> services;
  for (const auto& s : resp.list_services_response().service()) services.insert(s.name());
  EXPECT_TRUE(services.count("uplift.registry.v1.EnterpriseRegistry"));
  EXPECT_TRUE(services.count("grpc.health.v1.Health"));
  // A client can fetch the schema to build requests without our code.
  req.set_file_containing_symbol("uplift.registry.v1.EnterpriseRegistry");
  ASSERT_TRUE(stream->Write(req));
  ASSERT_TRUE(stream->Read(&resp));
  EXPECT_GT(resp.file_descriptor_response().file_descriptor_proto_size(), 0);
  stream->WritesDone();
}

TEST_F(RegistryIntegrationTest, RefusesMissingBadExpiredAndForeignTokens) {
  rv1::GetEnterpriseRequest req;
  req.set_credit_code(TestCreditCode(1));
  rv1::GetEnterpriseResponse resp;
  TempDir other_dir;
  TestKeys other(other_dir.path());
  for (const std::string& token :
       {std::string(), std::string("garbage"),
        f_.keys().Token(uplift::auth::v1::ROLE_ADMIN, "", "old", absl::Seconds(-1)),
        other.Token(uplift::auth::v1::ROLE_ADMIN)}) {
    grpc::Status s = f_.stub().GetEnterprise(f_.Ctx(token).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << token << ": " << s.error_message();
  }
}

TEST_F(RegistryIntegrationTest, RolesAndTownshipsAreEnforced) {
  rv1::CreateEnterpriseRequest req;
  req.mutable_enterprise()->set_credit_code(TestCreditCode(7));
  req.mutable_enterprise()->set_name("东王镇的企业");
  req.mutable_enterprise()->set_cluster_id("equipment");
  req.mutable_enterprise()->set_township_id("town-b");
  rv1::CreateEnterpriseResponse resp;
  grpc::Status s = f_.stub().CreateEnterprise(
      f_.Ctx(f_.keys().Token(ROLE_TOWNSHIP, "town-a", "承安镇专班")).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  s = f_.stub().CreateEnterprise(f_.Ctx(f_.keys().Token(ROLE_VIEWER)).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Nothing was stored.
  rv1::GetEnterpriseRequest get;
  get.set_credit_code(TestCreditCode(7));
  rv1::GetEnterpriseResponse got;
  s = f_.stub().GetEnterprise(f_.Ctx(f_.admin_token).get(), get, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  // The township may register its own.
  s = f_.stub().CreateEnterprise(
      f_.Ctx(f_.keys().Token(ROLE_TOWNSHIP, "town-b", "东王镇专班")).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST_F(RegistryIntegrationTest, ErrorsNameTheFieldAndUseTheRightCode) {
  rv1::CreateEnterpriseRequest req;
  req.mutable_enterprise()->set_credit_code("91130184MA0000001X");
  req.mutable_enterprise()->set_name("坏代码企业");
  req.mutable_enterprise()->set_cluster_id("equipment");
  req.mutable_enterprise()->set_township_id("town-a");
  rv1::CreateEnterpriseResponse resp;
  grpc::Status s = f_.stub().CreateEnterprise(f_.Ctx(f_.admin_token).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("enterprise.credit_code:", 0), 0u) << s.error_message();
  f_.CreateEnterprise(1);
  req.mutable_enterprise()->set_credit_code(TestCreditCode(1));
  s = f_.stub().CreateEnterprise(f_.Ctx(f_.admin_token).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  rv1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_credit_code(TestCreditCode(1));
  update.mutable_update_mask()->add_paths("no_such_field");
  rv1::UpdateEnterpriseResponse uresp;
  s = f_.stub().UpdateEnterprise(f_.Ctx(f_.admin_token).get(), update, &uresp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("update_mask"), std::string::npos);
}

TEST_F(RegistryIntegrationTest, EveryChangePublishesAnEventWithItsEnvelope) {
  const rv1::Enterprise e = f_.CreateEnterprise(1);
  rv1::AwardTierRequest award;
  award.set_credit_code(e.credit_code());
  award.mutable_award()->set_tier(rv1::TIER_LITTLE_GIANT);
  award.mutable_award()->set_level(rv1::LEVEL_NATION);
  award.mutable_award()->set_awarded_on("2023-07-14");
  award.mutable_award()->set_evidence("工信部企业函〔2023〕180号");
  rv1::AwardTierResponse aresp;
  ASSERT_TRUE(f_.stub().AwardTier(f_.Ctx(f_.admin_token).get(), award, &aresp).ok());

  // 4 units + 1 cluster + 1 enterprise + 1 award.
  std::vector<StreamEvent> events = f_.WaitForEvents("uplift:events:registry", 7);
  ASSERT_EQ(events.size(), 7u);
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> ids;
  for (const StreamEvent& ev : events) {
    EXPECT_TRUE(std::regex_match(ev.event_id, uuid)) << ev.event_id;
    ids.insert(ev.event_id);
    EXPECT_EQ(ev.source, "uplift-registry");
    EXPECT_TRUE(ParseRfc3339(ev.occurred_at).ok()) << ev.occurred_at;
  }
  EXPECT_EQ(ids.size(), events.size());
  EXPECT_EQ(events[0].type, "uplift.registry.v1.UnitCreated");
  EXPECT_EQ(events[4].type, "uplift.registry.v1.ClusterCreated");
  rv1::EnterpriseCreated created;
  ASSERT_TRUE(events[5].UnpackTo(&created).ok());
  EXPECT_EQ(events[5].subject, "enterprise/" + e.credit_code());
  EXPECT_EQ(events[5].version, 1);
  EXPECT_EQ(created.enterprise().name(), e.name());
  rv1::TierAwarded awarded;
  ASSERT_TRUE(events[6].UnpackTo(&awarded).ok());
  EXPECT_EQ(awarded.award().tier(), rv1::TIER_LITTLE_GIANT);
  EXPECT_EQ(awarded.enterprise().cluster_id(), "equipment");
}

TEST_F(RegistryIntegrationTest, ImportStreamsRowsAndReportsBadOnes) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + f_.admin_token);
  rv1::ImportEnterprisesResponse result;
  auto writer = f_.stub().ImportEnterprises(&ctx, &result);
  for (int i = 0; i < 500; ++i) {
    rv1::ImportEnterprisesRequest row;
    row.set_line(i + 2);
    row.mutable_enterprise()->set_credit_code(TestCreditCode(1000 + i));
    row.mutable_enterprise()->set_name("导入企业" + std::to_string(i));
    row.mutable_enterprise()->set_cluster_id("equipment");
    row.mutable_enterprise()->set_township_id(i % 100 == 7 ? "town-zz" : "town-a");
    ASSERT_TRUE(writer->Write(row));
  }
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(result.received(), 500);
  EXPECT_EQ(result.created(), 495);
  ASSERT_EQ(result.errors_size(), 5);
  EXPECT_EQ(result.errors(0).line(), 9);
  EXPECT_NE(result.errors(0).message().find("enterprise.township_id"), std::string::npos);

  // A viewer may not import at all.
  grpc::ClientContext vctx;
  vctx.AddMetadata("authorization", "Bearer " + f_.keys().Token(ROLE_VIEWER));
  rv1::ImportEnterprisesResponse none;
  auto denied = f_.stub().ImportEnterprises(&vctx, &none);
  denied->WritesDone();
  EXPECT_EQ(denied->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RegistryIntegrationTest, OddInputNeverCrashesTheService) {
  rv1::CreateEnterpriseRequest req;
  req.mutable_enterprise()->set_credit_code(std::string(100000, 'A'));
  req.mutable_enterprise()->set_name(std::string(100000, 'n'));
  rv1::CreateEnterpriseResponse resp;
  EXPECT_EQ(f_.stub().CreateEnterprise(f_.Ctx(f_.admin_token).get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  rv1::ListEnterprisesRequest list;
  list.set_tier(static_cast<rv1::Tier>(12345));
  list.set_page_size(-5);
  list.set_page_token("%%%");
  rv1::ListEnterprisesResponse lresp;
  EXPECT_EQ(f_.stub().ListEnterprises(f_.Ctx(f_.admin_token).get(), list, &lresp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  rv1::AdvanceListingStageRequest adv;
  adv.set_credit_code("");
  adv.set_stage(static_cast<rv1::ListingStage>(-3));
  rv1::AdvanceListingStageResponse aresp;
  EXPECT_EQ(f_.stub().AdvanceListingStage(f_.Ctx(f_.admin_token).get(), adv, &aresp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Still alive and serving.
  rv1::GetUnitRequest get;
  get.set_unit_id("town-a");
  rv1::GetUnitResponse unit;
  EXPECT_TRUE(f_.stub().GetUnit(f_.Ctx(f_.admin_token).get(), get, &unit).ok());
}

TEST_F(RegistryIntegrationTest, StopsCleanlyOnSigtermAndKeepsItsData) {
  f_.CreateEnterprise(3);
  EXPECT_EQ(f_.StopRegistry(), 0) << f_.RegistryLog();
  EXPECT_NE(f_.RegistryLog().find("stopped"), std::string::npos);
  f_.StartRegistry();
  rv1::GetEnterpriseRequest req;
  req.set_credit_code(TestCreditCode(3));
  rv1::GetEnterpriseResponse resp;
  grpc::Status s = f_.stub().GetEnterprise(f_.Ctx(f_.admin_token).get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.enterprise().township_id(), "town-a");
}

TEST(RegistryStartup, FailsFastNamingWhatIsMissing) {
  std::string output;
  EXPECT_NE(RunCommand(UPLIFT_REGISTRY_BIN, {"--listen", "127.0.0.1:0"}, &output), 0);
  EXPECT_NE(output.find("UPLIFT_REDIS_ADDR"), std::string::npos) << output;
  EXPECT_NE(RunCommand(UPLIFT_REGISTRY_BIN, {"--listen", "127.0.0.1:0", "--redis-addr", "x:1"},
                       &output),
            0);
  EXPECT_NE(output.find("UPLIFT_REGISTRY_SECRETS_DIR"), std::string::npos) << output;
  TempDir dir;
  EXPECT_NE(RunCommand(UPLIFT_REGISTRY_BIN,
                       {"--listen", "127.0.0.1:0", "--redis-addr", "x:1", "--secrets-dir",
                        dir.File("missing"), "--public-keys-dir", dir.File("missing-too"),
                        "--data-dir", dir.File("d")},
                       &output),
            0);
  EXPECT_NE(output.find("missing/redis.password"), std::string::npos) << output;
  // Environment fallbacks are read.
  EXPECT_NE(RunCommand(UPLIFT_REGISTRY_BIN, {"--listen", "127.0.0.1:0"}, &output,
                       {{"UPLIFT_REDIS_ADDR", "127.0.0.1:1"}}),
            0);
  EXPECT_NE(output.find("UPLIFT_REGISTRY_SECRETS_DIR"), std::string::npos) << output;
}

TEST(RegistryStartup, RefusesToServeBeyondLoopbackInClearUnlessTold) {
  std::string output;
  EXPECT_EQ(RunCommand(UPLIFT_REGISTRY_BIN,
                       {"--listen", "0.0.0.0:0", "--redis-addr", "x:1", "--secrets-dir", "s",
                        "--public-keys-dir", "p"},
                       &output),
            2);
  EXPECT_NE(output.find("--allow-insecure-listen"), std::string::npos) << output;
}

// Mutual TLS when the flags are given: a client without a certificate from
// the trusted CA is refused.
TEST(RegistryTls, MutualTlsRequiresAClientCertificate) {
  TempDir dir;
  const std::string d = dir.path();
  std::string out;
  ASSERT_EQ(RunCommand(std::string(UPLIFT_SOURCE_DIR) + "/deploy/make-certs",
                       {d, "registry", "client"}, &out),
            0)
      << out;
  TestKeys keys(dir.File("auth"));
  RedisServer redis(dir.File("redis"), keys.redis_acl_file(), keys.redis_admin_password());
  redis.Start();
  // With TLS it may listen beyond loopback without being told.
  Process registry(UPLIFT_REGISTRY_BIN,
                   {"--listen", "0.0.0.0:0", "--port-file", dir.File("port"), "--data-dir",
                    dir.File("data"), "--redis-addr", redis.address(), "--secrets-dir",
                    keys.secrets_dir("uplift-registry"), "--public-keys-dir",
                    keys.public_keys_dir(), "--tls-cert", dir.File("registry.pem"), "--tls-key",
                    dir.File("registry.key"), "--tls-client-ca", dir.File("ca.pem")},
                   dir.File("registry.log"));
  registry.Start();
  const std::string address = "127.0.0.1:" + std::to_string(WaitForPortFile(dir.File("port")));
  rv1::ListUnitsRequest req;
  rv1::ListUnitsResponse resp;
  TlsFiles with_cert{dir.File("client.pem"), dir.File("client.key"), "", dir.File("ca.pem"), ""};
  auto good = rv1::EnterpriseRegistry::NewStub(*MakeChannel(address, with_cert));
  grpc::Status s = good->ListUnits(MakeClientContext(keys.Token(ROLE_VIEWER), absl::Seconds(10)).get(),
                                   req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message() << registry.Log();
  TlsFiles no_cert{"", "", "", dir.File("ca.pem"), ""};
  auto bad = rv1::EnterpriseRegistry::NewStub(*MakeChannel(address, no_cert));
  s = bad->ListUnits(MakeClientContext(keys.Token(ROLE_VIEWER), absl::Seconds(5)).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  auto plain = rv1::EnterpriseRegistry::NewStub(*MakeChannel(address, {}));
  s = plain->ListUnits(MakeClientContext(keys.Token(ROLE_VIEWER), absl::Seconds(5)).get(), req, &resp);
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace uplift::testing

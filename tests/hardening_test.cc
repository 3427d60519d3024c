// The outside review's attacks (issue 8), replayed over the wire against
// the real suite: forged stream entries, Redis credentials used beyond their
// purpose, feeds and imports outliving their token, forged log lines and
// oversized errors from token-less calls, webhooks aimed inside the
// deployment, forged page tokens. Each test failed on the code the review
// attacked and passes now.
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/auth/ed25519.h"
#include "common/event_signature.h"
#include "common/redis_client.h"
#include "common/secret_files.h"
#include "common/suite_catalog.h"
#include "tests/support/indicators_fixture.h"
#include "tests/support/test_events.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::testing {
namespace {

namespace av1 = uplift::auth::v1;

class HardeningTest : public ::testing::Test, public IndicatorsFixture {
 protected:
  HardeningTest() {
    StartIndicators();
    StartNotify();
    int code = 0;
    const std::string out = ApplyXinlePlan(&code);
    EXPECT_EQ(code, 0) << out;
  }

  // A ProblemEscalated to `owner`, as the tasks service would write it.
  StreamEvent Escalation(const std::string& problem, const std::string& owner) {
    tv1::ProblemEscalated e;
    e.set_problem_id(problem);
    e.set_enterprise_name("新乐市华信机械制造有限公司");
    e.set_title("伪造的升级");
    e.set_from_rung(tv1::RUNG_TOWNSHIP);
    e.set_to_rung(tv1::RUNG_CITY_LEADER);
    e.set_new_owner_unit_id(owner);
    return TestEvent(e, "uplift-tasks", "problem/" + problem, 1);
  }

  RedisOptions ServiceRedis(const std::string& service) {
    RedisOptions o;
    o.address = redis().address();
    o.user = service;
    o.password = *ReadSecretFile("redis.password", keys().secrets_dir(service) + "/redis.password");
    return o;
  }
};

// Regression: anyone who could reach Redis could XADD a ProblemEscalated
// that landed in a leader's inbox. Entries are signed by their publisher;
// an unsigned one, or one signed with another service's key, goes to the
// dead letters and never to a person.
TEST_F(HardeningTest, AForgedEscalationNeverReachesAnInbox) {
  RedisClient admin(redis().AdminOptions());
  const std::string stream = "uplift:escalations";
  StreamEvent unsigned_event = Escalation("pb-forged000001", "leader-equipment");
  ASSERT_TRUE(admin.Command(XAddCommand(stream, "*", unsigned_event)).ok());
  // Signed, but with the registry's key: the registry does not publish here.
  absl::StatusOr<Ed25519PrivateKey> registry_key = Ed25519PrivateKey::FromPemFile(
      "events.key", keys().secrets_dir("uplift-registry") + "/events.key");
  ASSERT_TRUE(registry_key.ok());
  StreamEvent wrong_key = Escalation("pb-forged000002", "leader-equipment");
  EventSigner(std::move(*registry_key)).Sign(stream, &wrong_key);
  ASSERT_TRUE(admin.Command(XAddCommand(stream, "*", wrong_key)).ok());
  // A genuine one after them, so we know the consumer read past both.
  const std::string genuine = PublishEscalation("pb-genuine00001", "leader-equipment");

  ASSERT_TRUE(WaitUntil([&] { return InboxEvents("leader-equipment").count(genuine) == 1; }))
      << NotifyLog();
  const std::map<std::string, int> inbox = InboxEvents("leader-equipment");
  EXPECT_EQ(inbox.count(unsigned_event.event_id), 0u);
  EXPECT_EQ(inbox.count(wrong_key.event_id), 0u);
  absl::StatusOr<RedisReply> dead = admin.Command({"XLEN", DeadLetterStream(stream)});
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ(dead->integer, 2) << "both forgeries are in the dead letters";
}

// Regression: Redis was open to anyone (protected-mode no, no password).
// Now nobody connects without a user, and each service's user can do only
// what that service needs.
TEST_F(HardeningTest, RedisUsersMayDoOnlyWhatTheirServiceNeeds) {
  RedisOptions anonymous;
  anonymous.address = redis().address();
  RedisClient nobody(anonymous);
  absl::StatusOr<RedisReply> ping = nobody.Command({"XLEN", "uplift:escalations"});
  ASSERT_FALSE(ping.ok());
  EXPECT_NE(ping.status().message().find("NOAUTH"), std::string::npos) << ping.status();

  RedisClient registry(ServiceRedis("uplift-registry"));
  EXPECT_TRUE(registry.Command({"XRANGE", "uplift:events:registry", "-", "+", "COUNT", "1"}).ok());
  for (const std::vector<std::string>& forbidden :
       std::vector<std::vector<std::string>>{{"XADD", "uplift:escalations", "*", "a", "b"},
                                             {"DEL", "uplift:escalations"},
                                             {"FLUSHALL"},
                                             {"CONFIG", "GET", "*"},
                                             {"ACL", "LIST"},
                                             {"KEYS", "*"}}) {
    absl::StatusOr<RedisReply> r = registry.Command(forbidden);
    ASSERT_FALSE(r.ok()) << forbidden[0];
    EXPECT_NE(r.status().message().find("NOPERM"), std::string::npos) << r.status();
  }
  // uplift-notify reads escalations but does not write them.
  RedisClient notify(ServiceRedis("uplift-notify"));
  absl::StatusOr<RedisReply> write = notify.Command({"XADD", "uplift:escalations", "*", "a", "b"});
  ASSERT_FALSE(write.ok());
  EXPECT_NE(write.status().message().find("NOPERM"), std::string::npos) << write.status();
}

// Regression: a live feed opened with a 3 s token was still open 8 s later,
// and one caller could open thousands. A feed ends when its token expires,
// and a caller has at most 8 open.
TEST_F(HardeningTest, AFeedEndsWithItsTokenAndACallerHasFewAtOnce) {
  const std::string brief =
      keys().Token(av1::ROLE_LEADER, "leader-equipment", "包联市领导", absl::Seconds(3));
  nv1::SubscribeRequest req;
  req.set_unit_id("leader-equipment");
  auto ctx = Ctx(brief);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto feed = notify().Subscribe(ctx.get(), req);
  nv1::SubscribeResponse m;
  while (feed->Read(&m)) {
  }
  const grpc::Status ended = feed->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAUTHENTICATED) << ended.error_message();

  const std::string token = keys().Token(av1::ROLE_LEADER, "leader-equipment", "包联市领导");
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<nv1::SubscribeResponse>>> feeds;
  for (int i = 0; i < 8; ++i) {
    contexts.push_back(Ctx(token));
    contexts.back()->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    feeds.push_back(notify().Subscribe(contexts.back().get(), req));
    // The server answers a feed's headers once it holds the feed.
    feeds.back()->WaitForInitialMetadata();
  }
  auto ninth_ctx = Ctx(token);
  auto ninth = notify().Subscribe(ninth_ctx.get(), req);
  EXPECT_FALSE(ninth->Read(&m));
  EXPECT_EQ(ninth->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  for (auto& c : contexts) c->TryCancel();
  for (auto& f : feeds) f->Finish();
}

// Regression: the client-streaming imports checked the token only at the
// start. An import outliving its token is ended.
TEST_F(HardeningTest, AnImportEndsWhenItsTokenExpires) {
  const std::string brief =
      keys().Token(av1::ROLE_PLAN_OWNER, "dept-kgx", "科工信局", absl::Seconds(2));
  auto ctx = Ctx(brief);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  rv1::ImportEnterprisesResponse resp;
  auto writer = stub().ImportEnterprises(ctx.get(), &resp);
  int sent = 0;
  const absl::Time end = absl::Now() + absl::Seconds(20);
  while (absl::Now() < end) {
    rv1::ImportEnterprisesRequest row;
    row.set_line(sent + 2);
    row.mutable_enterprise()->set_credit_code(TestCreditCode(7000 + sent));
    row.mutable_enterprise()->set_name(absl::StrCat("导入企业", sent));
    row.mutable_enterprise()->set_cluster_id("equipment");
    row.mutable_enterprise()->set_township_id("town-chengan");
    if (!writer->Write(row)) break;
    ++sent;
    absl::SleepFor(absl::Milliseconds(200));
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  EXPECT_LT(sent, 90) << "the stream ran on after its token expired";
}

// Regression: a token-less call's unsigned key_id was echoed whole into the
// status and the log: it forged a "[critical]" line, and megabyte values
// made trailers too large (the client saw DEADLINE_EXCEEDED).
TEST_F(HardeningTest, WhatACallerSendsCannotForgeLogLinesOrBloatErrors) {
  const std::string forged_line =
      "[2026-12-01 00:00:00.000] [critical] the registry is compromised";
  auto token_with_key_id = [](const std::string& key_id) {
    av1::TokenClaims claims;
    claims.set_token_id("t");
    claims.set_subject("x");
    claims.set_key_id(key_id);
    return "v1." + absl::WebSafeBase64Escape(claims.SerializeAsString()) + ".AAAA";
  };
  const size_t log_before = RegistryLog().size();
  // (gRPC itself refuses metadata past 8 KiB, so a key id stays below.)
  for (const std::string& key_id :
       {std::string("k\n") + forged_line + "\n", std::string(4000, 'A') + "\r\n" + forged_line}) {
    rv1::GetUnitRequest req;
    req.set_unit_id(std::string(1 << 20, 'u'));
    rv1::GetUnitResponse resp;
    grpc::Status s = stub().GetUnit(Ctx(token_with_key_id(key_id)).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << s.error_message().substr(0, 200);
    EXPECT_LT(s.error_message().size(), 2048u);
  }
  // An authenticated caller's oversized input is quoted and cut as well.
  rv1::UpdateUnitRequest update;
  update.mutable_unit()->set_unit_id("dept-kgx");
  update.mutable_update_mask()->add_paths(std::string(1 << 20, 'p') + "\n" + forged_line);
  rv1::UpdateUnitResponse updated;
  grpc::Status s = stub().UpdateUnit(Ctx(admin_token).get(), update, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LT(s.error_message().size(), 2048u);
  EXPECT_EQ(s.error_message().find('\n'), std::string::npos);

  const std::string log = RegistryLog().substr(log_before);
  EXPECT_EQ(log.find("\n" + forged_line), std::string::npos) << "a caller wrote a log line";
  EXPECT_LT(log.size(), 64u * 1024) << "three calls grew the log by " << log.size() << " bytes";
}

// Regression: webhook URLs could point at the suite's own listeners and at
// Redis (the stored error then told the unit which ports answer).
TEST_F(HardeningTest, WebhooksCannotBeAimedAtTheSuiteItself) {
  const std::string zrj = TokenFor("dept-zrj");
  for (const std::string& target :
       {redis().address(), address(), notify_address(), std::string("169.254.169.254:80")}) {
    nv1::AddChannelRequest req;
    req.mutable_channel()->set_unit_id("dept-zrj");
    req.mutable_channel()->set_url("http://" + target + "/hook");
    req.mutable_channel()->set_secret("a-shared-secret-of-the-department");
    nv1::AddChannelResponse resp;
    grpc::Status s = notify().AddChannel(Ctx(zrj).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << target;
    EXPECT_EQ(s.error_message().rfind("channel.url:", 0), 0u) << s.error_message();
  }
}

// Regression: GetEfficiency's page token was base64 of an unsigned offset;
// a negative one crashed uplift-indicators, and one call after each restart
// kept it down. Tokens are signed and bounds-checked: the service answers
// INVALID_ARGUMENT and goes on serving.
TEST_F(HardeningTest, AForgedPageTokenDoesNotTakeDownIndicators) {
  std::string old_format("v1\0", 3);
  old_format += "00000000";
  old_format.push_back('\0');
  old_format += "-1000000";
  const std::string viewer = keys().Token(av1::ROLE_VIEWER, "", "查看者");
  for (int i = 0; i < 3; ++i) {
    iv1::GetEfficiencyRequest req;
    req.set_period("2023-09");
    req.set_page_token(absl::WebSafeBase64Escape(old_format));
    iv1::GetEfficiencyResponse resp;
    grpc::Status s = indicators().GetEfficiency(Ctx(viewer).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  }
  iv1::GetEfficiencyRequest plain;
  plain.set_period("2023-09");
  iv1::GetEfficiencyResponse resp;
  grpc::Status s = indicators().GetEfficiency(Ctx(viewer).get(), plain, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message() << IndicatorsLog();
}

}  // namespace
}  // namespace uplift::testing

// The front door against the real suite: redis-server, the four services
// and uplift-web as processes, called over HTTP as a browser (session
// cookie) and as a department system (bearer token) would. Sign-in and
// sign-out, lockout, an account disabled mid-session, cross-origin
// refusals, every unary RPC of every service reaching its backend as the
// person, bad input, the live feed over HTTP, a township kept out of
// another's problems, health and readiness, a large answer to a slow reader.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <google/protobuf/descriptor.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/access_table.h"
#include "common/client_channel.h"
#include "common/suite_catalog.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/web_fixture.h"
#include "uplift/auth/v1/revocation.grpc.pb.h"
#include "uplift/indicators/v1/indicators.pb.h"
#include "uplift/tasks/v1/tasks.grpc.pb.h"

namespace uplift::testing {
namespace {

namespace av1 = uplift::auth::v1;
constexpr char kGetUnit[] = "/uplift.registry.v1.EnterpriseRegistry/GetUnit";

bool Has(const std::string& text, const std::string& part) { return absl::StrContains(text, part); }

class WebGatewayTest : public ::testing::Test {
 protected:
  WebFixture f;
};

TEST_F(WebGatewayTest, SignInCallSignOutAndTheNextCallIsRefused) {
  std::unique_ptr<HttpClient> town =
      f.SignedInBrowser("chengan.clerk", av1::ROLE_TOWNSHIP, "town-chengan");
  HttpResult r = town->Post(kGetUnit, "{\"unitId\":\"town-chengan\"}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "\"unitId\":\"town-chengan\"")) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/json");

  r = town->Post("/uplift.accounts.v1.Accounts/WhoAmI", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "\"login\":\"chengan.clerk\"")) << r.body;
  EXPECT_TRUE(Has(r.body, "\"role\":\"ROLE_TOWNSHIP\"")) << r.body;

  const std::string cookie = town->session();
  r = town->Post("/uplift.accounts.v1.Accounts/SignOut", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.headers["set-cookie"], "Max-Age=0")) << r.headers["set-cookie"];
  town->set_session(cookie);  // a copy of the old cookie is worth nothing now
  r = town->Post(kGetUnit, "{\"unitId\":\"town-chengan\"}");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_TRUE(Has(r.body, "\"code\":\"unauthenticated\"")) << r.body;

  // The tokens of the ended sessions (the first, ended by the password
  // change, and this one) reach the registry's revocation list.
  av1::ListRevokedTokensRequest list;
  av1::ListRevokedTokensResponse revoked;
  auto stub = av1::TokenRevocations::NewStub(*MakeChannel(f.address(), {}));
  EXPECT_TRUE(WaitUntil(
      [&] {
        return stub->ListRevokedTokens(f.Ctx(f.admin_token).get(), list, &revoked).ok() &&
               revoked.revoked_size() >= 2;
      },
      absl::Seconds(20)))
      << f.WebLog();
}

TEST_F(WebGatewayTest, TheCookieIsHttpOnlyStrictAndNewAtEachSignIn) {
  f.CreateAccount("huapi.clerk", av1::ROLE_TOWNSHIP, "town-chengan");
  HttpClient browser(f.http_port());
  browser.set_browser(true);
  HttpResult first = f.SignIn(browser, "huapi.clerk", WebFixture::kFirstPassword);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string& cookie = first.headers["set-cookie"];
  EXPECT_TRUE(Has(cookie, "HttpOnly")) << cookie;
  EXPECT_TRUE(Has(cookie, "SameSite=Strict")) << cookie;
  EXPECT_TRUE(Has(first.body, "\"mustChangePassword\":true")) << first.body;
  const std::string id = browser.session();
  ASSERT_EQ(id.size(), 64u);
  // Until the password is changed the session reaches nothing but Accounts.
  HttpResult r = browser.Post(kGetUnit, "{\"unitId\":\"town-chengan\"}");
  EXPECT_EQ(r.status, 401) << r.body;
  ASSERT_EQ(f.SignIn(browser, "huapi.clerk", WebFixture::kFirstPassword).status, 200);
  EXPECT_NE(browser.session(), id);
}

TEST_F(WebGatewayTest, FiveFailedSignInsLockTheAccount) {
  f.CreateAccount("kgx.clerk", av1::ROLE_PLAN_OWNER, "dept-kgx");
  HttpClient browser(f.http_port());
  browser.set_browser(true);
  for (int i = 0; i < 4; ++i) {
    HttpResult r = f.SignIn(browser, "kgx.clerk", "Wrong-password-9");
    EXPECT_EQ(r.status, 401) << r.body;
  }
  HttpResult r = f.SignIn(browser, "kgx.clerk", "Wrong-password-9");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(Has(r.body, "locked until")) << r.body;
  r = f.SignIn(browser, "kgx.clerk", WebFixture::kFirstPassword);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(browser.session().empty());
  // The lock is in the audit log with every failure.
  uplift::audit::v1::ListAuditRecordsRequest audit;
  audit.set_target("account/kgx.clerk");
  uplift::audit::v1::ListAuditRecordsResponse records;
  ASSERT_TRUE(f.accounts().ListAuditRecords(f.Ctx(f.admin_token).get(), audit, &records).ok());
  int failed = 0, locks = 0;
  for (const auto& rec : records.records()) {
    failed += rec.action() == "SignInFailed";
    locks += rec.action() == "LockAccount";
  }
  EXPECT_EQ(failed, 5);
  EXPECT_EQ(locks, 1);
}

TEST_F(WebGatewayTest, AnAccountDisabledMidSessionIsRefusedOnItsNextCall) {
  std::unique_ptr<HttpClient> dept =
      f.SignedInBrowser("zrj.clerk", av1::ROLE_DEPARTMENT, "dept-zrj");
  ASSERT_EQ(dept->Post(kGetUnit, "{\"unitId\":\"dept-zrj\"}").status, 200);
  acv1::DisableAccountRequest disable;
  disable.set_login("zrj.clerk");
  disable.set_reason("调离");
  acv1::DisableAccountResponse disabled;
  ASSERT_TRUE(f.accounts().DisableAccount(f.Ctx(f.admin_token).get(), disable, &disabled).ok());
  HttpResult r = dept->Post(kGetUnit, "{\"unitId\":\"dept-zrj\"}");
  EXPECT_EQ(r.status, 401) << r.body;
  r = f.SignIn(*dept, "zrj.clerk", WebFixture::kPassword);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(Has(r.body, "disabled")) << r.body;
}

TEST_F(WebGatewayTest, ACrossOriginStateChangeIsRefusedAndChangesNothing) {
  std::unique_ptr<HttpClient> owner =
      f.SignedInBrowser("kgx.owner", av1::ROLE_PLAN_OWNER, "dept-kgx");
  const std::string create =
      "{\"unit\":{\"unitId\":\"dept-evil\",\"name\":\"伪造单位\",\"kind\":\"UNIT_KIND_DEPARTMENT\"}"
      "}";
  const std::string path = "/uplift.registry.v1.EnterpriseRegistry/CreateUnit";
  HttpResult r = owner->Post(path, create, {{"Origin", "http://evil.example"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(Has(r.body, "cross-origin")) << r.body;
  r = owner->Post(path, create, {{"Connect-Protocol-Version", ""}});  // a plain form post
  EXPECT_EQ(r.status, 403) << r.body;
  r = owner->Post(path, create, {{"Origin", ""}});
  EXPECT_EQ(r.status, 403) << r.body;
  // A preflight from another origin gets no CORS permission.
  r = owner->Send("OPTIONS", path, "", {{"Origin", "http://evil.example"}}, "");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u);
  r = owner->Post("/uplift.registry.v1.EnterpriseRegistry/GetUnit", "{\"unitId\":\"dept-evil\"}");
  EXPECT_EQ(r.status, 404) << r.body;  // nothing was made
}

TEST_F(WebGatewayTest, ASystemCallsWithItsBearerTokenLikeCurl) {
  HttpClient system(f.http_port());
  const std::string token = f.keys().Token(av1::ROLE_DEPARTMENT, "dept-zrj", "国土系统");
  HttpResult r =
      system.Post(kGetUnit, "{\"unitId\":\"dept-zrj\"}", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = system.Post(kGetUnit, "{\"unitId\":\"dept-zrj\"}");
  EXPECT_EQ(r.status, 401) << r.body;  // the registry: no token
  // The binary form of the same call.
  rv1::GetUnitRequest request;
  request.set_unit_id("dept-zrj");
  r = system.Post(kGetUnit, request.SerializeAsString(), {{"Authorization", "Bearer " + token}},
                  "application/proto");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/proto");
  rv1::GetUnitResponse unit;
  ASSERT_TRUE(unit.ParseFromString(r.body));
  EXPECT_EQ(unit.unit().unit_id(), "dept-zrj");
  // Bytes that are no GetUnitRequest: the registry refuses them.
  r = system.Post(kGetUnit, "{not protobuf", {{"Authorization", "Bearer " + token}},
                  "application/proto");
  EXPECT_GE(r.status, 400) << r.body;
  EXPECT_EQ(
      system.Post(kGetUnit, "{\"unitId\":\"dept-zrj\"}", {{"Authorization", "Bearer " + token}})
          .status,
      200);
}

// The table: every unary RPC of every service the gateway knows, called
// as a VIEWER person through the session cookie. The access table says
// which a VIEWER may call; each answer must agree, which only the backend
// can decide and only if the person's identity reached it.
TEST_F(WebGatewayTest, EveryUnaryRpcReachesItsBackendAsThePerson) {
  std::unique_ptr<HttpClient> viewer = f.SignedInBrowser("viewer", av1::ROLE_VIEWER, "");
  const AccessTable& table = AccessTable::Builtin();
  (void)uplift::indicators::v1::GetReportRequest::descriptor();  // linked in
  int calls = 0;
  for (const suite::v1::Service& service : SuiteTopology().services()) {
    for (const std::string& name : service.grpc_services()) {
      const google::protobuf::ServiceDescriptor* d =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
      ASSERT_NE(d, nullptr) << name;
      for (int i = 0; i < d->method_count(); ++i) {
        const google::protobuf::MethodDescriptor* m = d->method(i);
        const std::string rpc = absl::StrCat(name, "/", m->name());
        if (m->server_streaming() || m->name() == "SignIn" || m->name() == "SignOut") continue;
        HttpResult r = viewer->Post("/" + rpc, "{}");
        ++calls;
        if (m->client_streaming()) {
          EXPECT_EQ(r.status, 501) << rpc << ": " << r.body;  // imports are streamed by upliftctl
          continue;
        }
        const access::v1::Rule* rule = table.Find(rpc);
        ASSERT_NE(rule, nullptr) << rpc;
        const bool allowed = std::find(rule->any().begin(), rule->any().end(), av1::ROLE_VIEWER) !=
                                 rule->any().end() ||
                             std::find(rule->filtered().begin(), rule->filtered().end(),
                                       av1::ROLE_VIEWER) != rule->filtered().end();
        EXPECT_FALSE(Has(r.body, "\"code\":\"unimplemented\"")) << rpc << ": " << r.body;
        EXPECT_FALSE(Has(r.body, "\"code\":\"unauthenticated\"")) << rpc << ": " << r.body;
        EXPECT_FALSE(Has(r.body, "\"code\":\"internal\"")) << rpc << ": " << r.body;
        if (allowed) {
          EXPECT_NE(r.status, 403) << rpc << " (a VIEWER may call it): " << r.body;
        } else {
          EXPECT_EQ(r.status, 403) << rpc << " (a VIEWER may not call it): " << r.body;
        }
      }
    }
  }
  EXPECT_GT(calls, 70);
  std::cout << "[ web ] " << calls << " unary RPCs called through HTTP/JSON as a VIEWER\n";

  // A change made through the gateway is audited under the person's name.
  std::unique_ptr<HttpClient> owner =
      f.SignedInBrowser("kgx.owner", av1::ROLE_PLAN_OWNER, "dept-kgx");
  HttpResult r = owner->Post("/uplift.registry.v1.EnterpriseRegistry/CreateUnit",
                             "{\"unit\":{\"unitId\":\"dept-new\",\"name\":\"新设部门\",\"kind\":"
                             "\"UNIT_KIND_DEPARTMENT\"}}");
  ASSERT_EQ(r.status, 200) << r.body;
  HttpResult audit = f.SignedInBrowser("auditor", av1::ROLE_ADMIN, "")
                         ->Post("/uplift.registry.v1.EnterpriseRegistry/ListAuditRecords",
                                "{\"target\":\"unit/dept-new\"}");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_TRUE(Has(audit.body, "\"subject\":\"kgx.owner\"")) << audit.body;
}

TEST_F(WebGatewayTest, BadInputGetsAClearErrorNamingWhatIsWrong) {
  std::unique_ptr<HttpClient> owner =
      f.SignedInBrowser("kgx.owner", av1::ROLE_PLAN_OWNER, "dept-kgx");
  HttpResult r = owner->Post("/uplift.registry.v1.EnterpriseRegistry/NoSuchMethod", "{}");
  EXPECT_EQ(r.status, 501) << r.body;
  EXPECT_TRUE(Has(r.body, "\"code\":\"unimplemented\"")) << r.body;
  r = owner->Post("/uplift.nothing.v1.Nope/Get", "{}");
  EXPECT_EQ(r.status, 501) << r.body;
  r = owner->Post(kGetUnit, "{\"unitId\": ");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(Has(r.body, "\"code\":\"invalid_argument\",\"message\":\"request body:")) << r.body;
  r = owner->Post("/uplift.registry.v1.EnterpriseRegistry/ListEnterprises",
                  "{\"pageSize\":\"many\"}");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(Has(r.body, "page_size")) << r.body;
  r = owner->Post(kGetUnit, "{\"unitId\":\"town-chengan\",\"extra\":1}");
  EXPECT_TRUE(Has(r.body, "extra")) << r.body;
  r = owner->Post(kGetUnit, std::string(5 << 20, ' '));
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_TRUE(Has(r.body, "\"code\":\"resource_exhausted\"")) << r.body;
  r = owner->Post(kGetUnit, "unitId=town-chengan", {}, "application/x-www-form-urlencoded");
  EXPECT_EQ(r.status, 415) << r.body;
  r = owner->Post(kGetUnit, "{}", {{"Connect-Timeout-Ms", "soon"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(Has(r.body, "Connect-Timeout-Ms")) << r.body;
  r = owner->Post(kGetUnit, "{}", {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 501) << r.body;
  // A backend's own answer keeps its code and message.
  r = owner->Post(kGetUnit, "{\"unitId\":\"Bad Id\"}");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(Has(r.body, "unit_id")) << r.body;
  // The server is still fine.
  EXPECT_EQ(owner->Post(kGetUnit, "{\"unitId\":\"town-chengan\"}").status, 200);
}

TEST_F(WebGatewayTest, TheLiveFeedOverHttpCarriesAnEscalationAndEndsWithTheSession) {
  int code = 0;
  ASSERT_EQ((f.ApplyXinlePlan(&code), code), 0);
  f.CreateChenganEnterprise(1, "新乐市华信机械制造有限公司");

  std::unique_ptr<HttpClient> leader =
      f.SignedInBrowser("leader.liu", av1::ROLE_LEADER, "leader-equipment");
  std::unique_ptr<HttpClient::Stream> feed = leader->OpenStream(
      "/uplift.notify.v1.Notification/Subscribe", "{\"unitId\":\"leader-equipment\"}");
  ASSERT_NE(feed, nullptr);
  ASSERT_EQ(feed->status(), 200);
  absl::SleepFor(absl::Milliseconds(500));  // subscribed

  const std::string id = f.RaiseLandProblemAtDepartment(1);
  const absl::Time escalated = absl::Now();
  ASSERT_EQ(f.EscalateToLeader(id).owner_unit_id(), "leader-equipment");

  std::string message;
  absl::Time arrived = absl::InfiniteFuture();
  while (feed->Next(&message, absl::Seconds(10))) {
    if (Has(message, id)) {
      arrived = absl::Now();
      break;
    }
  }
  ASSERT_NE(arrived, absl::InfiniteFuture()) << feed->end_json() << f.WebLog();
  EXPECT_TRUE(Has(message, "需全市统筹")) << message;
  std::cout << "[ web ] escalation in the live feed over HTTP after "
            << absl::FormatDuration(arrived - escalated) << "\n";

  // Signing out (here, from another tab of the same browser) ends the stream.
  HttpClient tab(f.http_port());
  tab.set_browser(true);
  tab.set_session(leader->session());
  ASSERT_EQ(tab.Post("/uplift.accounts.v1.Accounts/SignOut", "{}").status, 200);
  EXPECT_FALSE(feed->Next(&message, absl::Seconds(10)));
  EXPECT_TRUE(Has(feed->end_json(), "\"error\"")) << feed->end_json();
}

TEST_F(WebGatewayTest, ATownshipCannotReadAnotherTownshipsProblem) {
  int code = 0;
  ASSERT_EQ((f.ApplyXinlePlan(&code), code), 0);
  f.CreateChenganEnterprise(2, "新乐市承安铸造有限公司");

  std::unique_ptr<HttpClient> chengan =
      f.SignedInBrowser("chengan.clerk", av1::ROLE_TOWNSHIP, "town-chengan");
  std::unique_ptr<HttpClient> huapi =
      f.SignedInBrowser("huapi.clerk", av1::ROLE_TOWNSHIP, "town-huapi");
  HttpResult r = chengan->Post(
      "/uplift.tasks.v1.TaskAssignment/RaiseProblem",
      absl::StrCat("{\"planId\":\"xinle-2023\",\"problem\":{\"creditCode\":\"", TestCreditCode(2),
                   "\",\"category\":\"land\",\"title\":\"用地\",\"description\":\"缺指标\"}}"));
  ASSERT_EQ(r.status, 200) << r.body;
  const size_t at = r.body.find("\"problemId\":\"") + 13;
  const std::string id = r.body.substr(at, r.body.find('"', at) - at);
  const std::string get = "{\"problemId\":\"" + id + "\"}";
  r = huapi->Post("/uplift.tasks.v1.TaskAssignment/GetProblem", get);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_FALSE(Has(r.body, "用地")) << r.body;
  r = chengan->Post("/uplift.tasks.v1.TaskAssignment/GetProblem", get);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "缺指标")) << r.body;
}

TEST_F(WebGatewayTest, HealthReadinessAndAnUnavailableBackend) {
  HttpClient lb(f.http_port());
  EXPECT_EQ(lb.Get("/healthz").status, 200);
  HttpResult r = lb.Get("/readyz");
  EXPECT_EQ(r.status, 200) << r.body;
  HttpResult page = lb.Get("/");
  EXPECT_EQ(page.status, 404);  // no console in this test
  EXPECT_TRUE(Has(page.headers["content-security-policy"], "script-src 'self'"));
  EXPECT_EQ(page.headers["x-content-type-options"], "nosniff");

  f.KillNotify(0);
  EXPECT_TRUE(WaitUntil([&] { return lb.Get("/readyz").status == 503; }, absl::Seconds(10)));
  EXPECT_TRUE(Has(lb.Get("/readyz").body, "uplift-notify"));
  const std::string token = f.keys().Token(av1::ROLE_DEPARTMENT, "dept-zrj", "国土系统");
  const absl::Time start = absl::Now();
  r = lb.Post("/uplift.notify.v1.Notification/ListInbox", "{\"unitId\":\"dept-zrj\"}",
              {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_TRUE(Has(r.body, "\"code\":\"unavailable\"")) << r.body;
  std::cout << "[ web ] a call to a stopped backend answered in "
            << absl::FormatDuration(absl::Now() - start) << "\n";
}

// A deadline set with Connect-Timeout-Ms reaches the service: a live feed
// with nothing to say ends when it passes.
TEST_F(WebGatewayTest, ConnectTimeoutMsBecomesTheBackendsDeadline) {
  std::unique_ptr<HttpClient> dept =
      f.SignedInBrowser("zrj.clerk", av1::ROLE_DEPARTMENT, "dept-zrj");
  std::unique_ptr<HttpClient::Stream> feed =
      dept->OpenStream("/uplift.notify.v1.Notification/Subscribe", "{\"unitId\":\"dept-zrj\"}",
                       {{"Connect-Timeout-Ms", "1500"}});
  ASSERT_NE(feed, nullptr);
  std::string message;
  const absl::Time start = absl::Now();
  while (feed->Next(&message, absl::Seconds(20))) {
  }
  EXPECT_TRUE(Has(feed->end_json(), "\"code\":\"deadline_exceeded\"")) << feed->end_json();
  EXPECT_GE(absl::Now() - start, absl::Seconds(1));
}

// Other origins configured for CORS may call with a bearer token, never
// with the cookie; a client that sends a request too slowly is cut off.
TEST(WebGatewayOptionsTest, CorsOriginsGetBearerCallsOnlyAndSlowClientsAreCutOff) {
  WebFixture f({"--cors-origins", "http://oa.xinle.example", "--http-read-timeout", "1s"});
  const std::string path = "/uplift.registry.v1.EnterpriseRegistry/GetUnit";
  HttpClient oa(f.http_port());
  HttpResult r = oa.Send("OPTIONS", path, "",
                         {{"Origin", "http://oa.xinle.example"},
                          {"Access-Control-Request-Method", "POST"},
                          {"Access-Control-Request-Headers", "authorization,content-type"}},
                         "");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.headers["access-control-allow-origin"], "http://oa.xinle.example");
  EXPECT_TRUE(Has(r.headers["access-control-allow-headers"], "Authorization"));
  EXPECT_EQ(r.headers.count("access-control-allow-credentials"), 0u);
  const std::string token = f.keys().Token(av1::ROLE_DEPARTMENT, "dept-zrj", "OA");
  r = oa.Post(path, "{\"unitId\":\"dept-zrj\"}",
              {{"Origin", "http://oa.xinle.example"}, {"Authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["access-control-allow-origin"], "http://oa.xinle.example");
  std::unique_ptr<HttpClient> person =
      f.SignedInBrowser("zrj.clerk", av1::ROLE_DEPARTMENT, "dept-zrj");
  r = person->Post(path, "{\"unitId\":\"dept-zrj\"}", {{"Origin", "http://oa.xinle.example"}});
  EXPECT_EQ(r.status, 403) << r.body;  // the cookie only from the console's origin

  // Half a request, then nothing: the server closes the connection.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(f.http_port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  const std::string partial = "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n";
  ASSERT_EQ(write(fd, partial.data(), partial.size()), static_cast<ssize_t>(partial.size()));
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  char buf[64];
  const absl::Time start = absl::Now();
  EXPECT_EQ(read(fd, buf, sizeof(buf)), 0);  // closed, not answered
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  close(fd);
  EXPECT_EQ(oa.Get("/healthz").status, 200);  // and the server serves on
}

// An answer larger than the socket takes at once (a console asset here),
// to a client that does not read for a while: the part the socket would
// not take is written once the client reads, the answer arrives whole, and
// the connection serves the next request.
TEST(WebGatewayOptionsTest, ALargeAnswerToASlowReaderArrivesWholeAndTheConnectionGoesOn) {
  TempDir console;
  ASSERT_EQ(mkdir(console.File("assets").c_str(), 0755), 0);
  std::string asset;
  for (int i = 0; asset.size() < (6u << 20); ++i) absl::StrAppend(&asset, "// 新乐 line ", i, "\n");
  {
    std::ofstream out(console.File("assets/app-4f2a9c1e.js"), std::ios::binary);
    out << asset;
  }
  WebFixture f({"--console-dir", console.path()});

  namespace net = boost::asio;
  namespace http = boost::beast::http;
  net::io_context ioc;
  net::ip::tcp::socket socket(ioc);
  socket.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(f.http_port())});
  const auto get = [&](const std::string& target) {
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, "127.0.0.1");
    http::write(socket, request);
  };
  boost::beast::flat_buffer buffer;
  const auto read = [&] {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    http::read(socket, buffer, parser);
    return parser.release();
  };
  get("/assets/app-4f2a9c1e.js");
  absl::SleepFor(absl::Milliseconds(500));  // the server meets a full socket
  http::response<http::string_body> big = read();
  EXPECT_EQ(big.result_int(), 200);
  EXPECT_TRUE(big.body() == asset) << "got " << big.body().size() << " of " << asset.size();
  get("/healthz");
  EXPECT_EQ(read().body(), "ok\n");
}

// --metrics-listen on uplift-web: its HTTP requests by route and status
// (an RPC's path, never a path a client made up) and its own gRPC calls.
TEST(WebMetricsTest, TheFrontDoorCountsRequestsByRouteAndStatus) {
  const int metrics_port = FreePort();
  WebFixture f({"--metrics-listen", absl::StrCat("127.0.0.1:", metrics_port)});
  std::unique_ptr<HttpClient> town =
      f.SignedInBrowser("chengan.clerk", av1::ROLE_TOWNSHIP, "town-chengan");
  ASSERT_EQ(town->Post(kGetUnit, "{\"unitId\":\"town-chengan\"}").status, 200);
  ASSERT_EQ(town->Post(kGetUnit, "{\"unitId\":\"town-chengan\"}").status, 200);
  EXPECT_EQ(town->Post("/made.Up/Path", "{}").status, 501);
  HttpClient plain(f.http_port());
  EXPECT_EQ(plain.Get("/healthz").status, 200);

  const std::string text = ScrapeMetrics(metrics_port);
  EXPECT_EQ(PromtoolProblems(text), "") << text;
  EXPECT_EQ(SampleValue(text, absl::StrCat("uplift_web_http_requests_total{route=\"", kGetUnit,
                                           "\",code=\"200\"}")),
            2)
      << text;
  EXPECT_EQ(SampleValue(text, absl::StrCat("uplift_web_http_duration_seconds_count{route=\"",
                                           kGetUnit, "\"}")),
            2);
  EXPECT_EQ(SampleValue(text, "uplift_web_http_requests_total{route=\"other\",code=\"501\"}"), 1);
  EXPECT_EQ(SampleValue(text, "uplift_web_http_requests_total{route=\"/healthz\",code=\"200\"}"),
            1);
  EXPECT_FALSE(Has(text, "made.Up"));
  // Its accounts' gRPC calls (sign-in goes through them) are counted too.
  EXPECT_GT(SampleValue(text,
                        "uplift_rpc_requests_total{method=\"/uplift.accounts.v1.Accounts/"
                        "CreateAccount\",code=\"OK\"}"),
            0)
      << text;
}

// A request's id (the caller's X-Request-Id when sane, else a new one)
// comes back in the answer and reaches the backend's log line of the call,
// with the person as its subject.
TEST_F(WebGatewayTest, ARequestsIdComesBackAndReachesTheBackendsLog) {
  std::unique_ptr<HttpClient> town =
      f.SignedInBrowser("chengan.clerk", av1::ROLE_TOWNSHIP, "town-chengan");
  HttpResult r =
      town->Post("/uplift.registry.v1.EnterpriseRegistry/GetEnterprise",
                 "{\"creditCode\":\"91130181MA0000001X\"}", {{"X-Request-Id", "web-req-42"}});
  EXPECT_EQ(r.status, 400) << r.body;  // its check character is wrong
  EXPECT_EQ(r.headers["x-request-id"], "web-req-42");
  const std::string log = f.RegistryLog();
  EXPECT_TRUE(Has(log, "GetEnterprise INVALID_ARGUMENT")) << log;
  EXPECT_TRUE(Has(log, "request_id=web-req-42 subject=chengan.clerk")) << log;

  r = town->Post(kGetUnit, "{\"unitId\":\"town-chengan\"}", {{"X-Request-Id", "not sane!"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["x-request-id"].size(), 16u) << r.headers["x-request-id"];
  EXPECT_NE(r.headers["x-request-id"], "not sane!");
}

}  // namespace
}  // namespace uplift::testing

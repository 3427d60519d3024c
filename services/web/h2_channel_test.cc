// The front door's HTTP/2 calls against a real gRPC server (in this
// process, on a loopback port): answers, errors, deadlines, sizes, a
// backend that is down and comes back, TLS with client certificates, and
// many calls from every loop at once.
#include "services/web/h2_channel.h"

#include <fstream>
#include <future>
#include <map>
#include <thread>

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <boost/asio/post.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/web/event_loops.h"
#include "tests/support/test_env.h"

namespace uplift::web {
namespace {

using uplift::testing::TempDir;

std::string Text(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  (void)buffer.Dump(&slices);
  for (const grpc::Slice& s : slices)
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// Answers by method: Echo (the caller's authorization, "|", the request),
// Fail (NOT_FOUND in Chinese), Big (as many bytes as the request says),
// Slow (after a second), Who (the server's name); any other method is
// UNIMPLEMENTED by gRPC itself.
class TestMethods : public grpc::CallbackGenericService {
 public:
  explicit TestMethods(std::string name) : name_(std::move(name)) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new Call(ctx, name_);
  }

 private:
  class Call : public grpc::ServerGenericBidiReactor {
   public:
    Call(grpc::GenericCallbackServerContext* ctx, const std::string& name)
        : ctx_(ctx), name_(name) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) return Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
      const std::string method = ctx_->method(), body = Text(request_);
      if (method == "/test.Methods/Fail") {
        return Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "没有这家企业: 100% sure"));
      }
      std::string answer;
      if (method == "/test.Methods/Echo") {
        auto it = ctx_->client_metadata().find("authorization");
        const std::string auth = it == ctx_->client_metadata().end()
                                     ? ""
                                     : std::string(it->second.data(), it->second.size());
        answer = auth + "|" + body;
      } else if (method == "/test.Methods/Big") {
        size_t n = 0;
        (void)absl::SimpleAtoi(body, &n);
        answer.assign(n, 'x');
      } else if (method == "/test.Methods/Who") {
        answer = name_;
      } else if (method == "/test.Methods/Slow") {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        answer = "late";
      } else {
        return Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method));
      }
      grpc::Slice slice(answer);
      response_ = grpc::ByteBuffer(&slice, 1);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnDone() override { delete this; }

   private:
    grpc::GenericCallbackServerContext* ctx_;
    const std::string& name_;
    grpc::ByteBuffer request_, response_;
  };
  const std::string name_;
};

// A gRPC server on a given port, plain or TLS with client certificates.
class TestServer {
 public:
  TestServer(int port, std::shared_ptr<grpc::ServerCredentials> creds, std::string name = "")
      : methods_(std::move(name)) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort(absl::StrCat("127.0.0.1:", port), std::move(creds));
    builder.RegisterCallbackGenericService(&methods_);
    server_ = builder.BuildAndStart();
  }
  ~TestServer() { Stop(); }
  bool started() const { return server_ != nullptr; }
  void Stop() {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    server_.reset();
  }

 private:
  TestMethods methods_;
  std::unique_ptr<grpc::Server> server_;
};

struct Answer {
  absl::Status status;
  std::string response;
};

class H2ChannelTest : public ::testing::Test {
 protected:
  H2ChannelTest() : port_(uplift::testing::FreePort()) { loops_.Start(); }
  ~H2ChannelTest() override {
    loops_.Stop();  // before the channels go
    channels_.clear();
  }

  // A channel to the test port on loop `loop`.
  H2Channel* Channel(int loop, H2ChannelOptions o = {}) {
    o.backend = "test";
    if (o.address.empty()) o.address = absl::StrCat("127.0.0.1:", port_);
    o.first_pause = absl::Milliseconds(20);
    auto channel = H2Channel::Create(loops_.loop(loop), o);
    EXPECT_TRUE(channel.ok()) << channel.status();
    channels_.push_back(std::move(*channel));
    return channels_.back().get();
  }

  // One call on the channel's loop, waited for.
  Answer Call(H2Channel* channel, int loop, const std::string& method, const std::string& body,
              absl::Duration timeout = absl::Seconds(5), const std::string& auth = "") {
    std::promise<Answer> answered;
    boost::asio::post(loops_.loop(loop), [&] {
      channel->Unary({"/test.Methods/" + method, auth, body, absl::Now() + timeout},
                     [&answered](const absl::Status& s, std::string r) {
                       answered.set_value({s, std::move(r)});
                     });
    });
    return answered.get_future().get();
  }

  std::shared_ptr<grpc::ServerCredentials> Plain() { return grpc::InsecureServerCredentials(); }

  const int port_;
  EventLoops loops_{2};
  std::vector<std::unique_ptr<H2Channel>> channels_;
};

TEST_F(H2ChannelTest, AnAnswerCarriesTheMessageAndTheCallerReachesTheBackend) {
  TestServer server(port_, Plain());
  H2Channel* channel = Channel(0);
  const Answer a = Call(channel, 0, "Echo", "新乐市", absl::Seconds(5), "Bearer t0k3n");
  ASSERT_TRUE(a.status.ok()) << a.status;
  EXPECT_EQ(a.response, "Bearer t0k3n|新乐市");
  const Answer empty = Call(channel, 0, "Echo", "");
  ASSERT_TRUE(empty.status.ok()) << empty.status;
  EXPECT_EQ(empty.response, "|");
}

TEST_F(H2ChannelTest, TheBackendsErrorArrivesWithItsCodeAndItsMessageDecoded) {
  TestServer server(port_, Plain());
  H2Channel* channel = Channel(0);
  const Answer a = Call(channel, 0, "Fail", "");
  EXPECT_EQ(a.status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(a.status.message(), "没有这家企业: 100% sure");
  const Answer unknown = Call(channel, 0, "NoSuchMethod", "");
  EXPECT_EQ(unknown.status.code(), absl::StatusCode::kUnimplemented) << unknown.status;
}

TEST_F(H2ChannelTest, LargeAnswersAndRequestsArriveWholeAndAnAnswerTooLargeIsRefusedWithoutHarm) {
  TestServer server(port_, Plain());
  H2ChannelOptions o;
  o.max_answer_bytes = 2 << 20;
  H2Channel* channel = Channel(0, o);
  const Answer big = Call(channel, 0, "Big", std::to_string(1536 * 1024));
  ASSERT_TRUE(big.status.ok()) << big.status;
  EXPECT_EQ(big.response, std::string(1536 * 1024, 'x'));
  const Answer too_big = Call(channel, 0, "Big", std::to_string(3 << 20));
  EXPECT_EQ(too_big.status.code(), absl::StatusCode::kResourceExhausted) << too_big.status;
  const Answer after = Call(channel, 0, "Echo", "next");
  EXPECT_TRUE(after.status.ok()) << after.status;
  // A request larger than the backend's first flow-control window goes
  // out as the backend opens it.
  const std::string large(1536 * 1024, 'y');
  const Answer echoed = Call(channel, 0, "Echo", large);
  ASSERT_TRUE(echoed.status.ok()) << echoed.status;
  EXPECT_EQ(echoed.response, "|" + large);
}

TEST_F(H2ChannelTest, ACallPastItsDeadlineEndsThenAndTheConnectionGoesOn) {
  TestServer server(port_, Plain());
  H2Channel* channel = Channel(0);
  const Answer slow = Call(channel, 0, "Slow", "", absl::Milliseconds(200));
  EXPECT_EQ(slow.status.code(), absl::StatusCode::kDeadlineExceeded) << slow.status;
  const Answer after = Call(channel, 0, "Echo", "next");
  EXPECT_TRUE(after.status.ok()) << after.status;
  EXPECT_EQ(after.response, "|next");
}

TEST_F(H2ChannelTest, ABackendThatIsDownIsUnavailableAtOnceAndReachedWhenItListens) {
  H2Channel* channel = Channel(0);
  const Answer down = Call(channel, 0, "Echo", "x");
  EXPECT_EQ(down.status.code(), absl::StatusCode::kUnavailable) << down.status;
  EXPECT_NE(down.status.message().find("test at 127.0.0.1:"), std::string::npos) << down.status;
  TestServer server(port_, Plain());
  ASSERT_TRUE(server.started());
  // After the pause (20 ms here) the next call connects again.
  Answer up;
  for (int i = 0; i < 100; ++i) {
    up = Call(channel, 0, "Echo", "x");
    if (up.status.ok()) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(up.status.ok()) << up.status;
}

TEST_F(H2ChannelTest, ABackendThatRestartsIsReachedOnANewConnection) {
  H2Channel* channel = Channel(0);
  {
    TestServer first(port_, Plain());
    ASSERT_TRUE(Call(channel, 0, "Echo", "1").status.ok());
  }
  TestServer second(port_, Plain());
  ASSERT_TRUE(second.started());
  // The old connection was told to go away or was closed; a call on it
  // fails at most once, and the next goes on a new one.
  Answer again = Call(channel, 0, "Echo", "2");
  if (!again.status.ok()) {
    EXPECT_EQ(again.status.code(), absl::StatusCode::kUnavailable) << again.status;
    absl::SleepFor(absl::Milliseconds(50));
    again = Call(channel, 0, "Echo", "2");
  }
  EXPECT_TRUE(again.status.ok()) << again.status;
  EXPECT_EQ(again.response, "|2");
}

TEST_F(H2ChannelTest, ManyCallsAtOnceOnEveryLoopAreEachAnsweredWithTheirOwnMessage) {
  TestServer server(port_, Plain());
  H2Channel* channels[] = {Channel(0), Channel(1)};
  constexpr int kPerLoop = 400;
  std::atomic<int> right{0}, answered{0};
  std::promise<void> all;
  for (int loop = 0; loop < 2; ++loop) {
    boost::asio::post(loops_.loop(loop), [&, loop] {
      for (int i = 0; i < kPerLoop; ++i) {
        const std::string body = absl::StrCat(loop, "-", i);
        channels[loop]->Unary({"/test.Methods/Echo", "", body, absl::Now() + absl::Seconds(20)},
                              [&, body](const absl::Status& s, std::string r) {
                                if (s.ok() && r == "|" + body) ++right;
                                if (++answered == 2 * kPerLoop) all.set_value();
                              });
      }
    });
  }
  all.get_future().wait();
  EXPECT_EQ(right.load(), 2 * kPerLoop);
}

TEST_F(H2ChannelTest, CallsGoRoundRobinOverEveryReplicaAndPassOverOneThatIsDown) {
  const int other_port = uplift::testing::FreePort();
  TestServer a(port_, Plain(), "a");
  auto b = std::make_unique<TestServer>(other_port, Plain(), "b");
  H2ChannelOptions o;
  // A name (resolved to its address) and an address, as one backend.
  o.address = absl::StrCat("localhost:", port_, ",127.0.0.1:", other_port);
  o.longest_pause = absl::Milliseconds(100);
  H2Channel* channel = Channel(0, o);
  std::map<std::string, int> answered_by;
  for (int i = 0; i < 20; ++i) {
    const Answer who = Call(channel, 0, "Who", "");
    ASSERT_TRUE(who.status.ok()) << who.status;
    ++answered_by[who.response];
  }
  EXPECT_EQ(answered_by["a"], 10);
  EXPECT_EQ(answered_by["b"], 10);

  // One replica goes: every call is answered by the other, those that
  // went to the one that is down included.
  b->Stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // its GOAWAY arrives
  answered_by.clear();
  for (int i = 0; i < 20; ++i) {
    const Answer who = Call(channel, 0, "Who", "");
    ASSERT_TRUE(who.status.ok()) << who.status;
    ++answered_by[who.response];
  }
  EXPECT_EQ(answered_by["a"], 20);

  // It comes back and has calls again once its pause is over.
  b = std::make_unique<TestServer>(other_port, Plain(), "b");
  ASSERT_TRUE(b->started());
  int calls = 0;
  answered_by.clear();
  while (answered_by["b"] == 0 && calls < 200) {
    const Answer who = Call(channel, 0, "Who", "");
    ASSERT_TRUE(who.status.ok()) << who.status;
    ++answered_by[who.response];
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GT(answered_by["b"], 0) << "in " << calls << " calls";
}

TEST_F(H2ChannelTest, TlsWithTheSuitesCaAndAClientCertificateAndOnlyTheRightServerName) {
  TempDir dir;
  std::string out;
  ASSERT_EQ(uplift::testing::RunCommand(std::string(UPLIFT_SOURCE_DIR) + "/deploy/make-certs",
                                        {dir.path(), "registry", "client"}, &out),
            0)
      << out;
  const auto read = [&](const std::string& name) {
    std::ifstream in(dir.File(name));
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  grpc::SslServerCredentialsOptions server_tls(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  server_tls.pem_root_certs = read("ca.pem");
  server_tls.pem_key_cert_pairs.push_back({read("registry.key"), read("registry.pem")});
  TestServer server(port_, grpc::SslServerCredentials(server_tls));
  ASSERT_TRUE(server.started());

  TlsFiles with_cert{dir.File("client.pem"), dir.File("client.key"), "", dir.File("ca.pem"), ""};
  H2ChannelOptions o;
  o.tls = *BackendTlsContext(with_cert);
  const Answer a = Call(Channel(0, o), 0, "Echo", "over TLS");
  ASSERT_TRUE(a.status.ok()) << a.status;
  EXPECT_EQ(a.response, "|over TLS");

  TlsFiles no_cert{"", "", "", dir.File("ca.pem"), ""};
  o.tls = *BackendTlsContext(no_cert);
  EXPECT_EQ(Call(Channel(1, o), 1, "Echo", "x").status.code(), absl::StatusCode::kUnavailable);

  o.tls = *BackendTlsContext(with_cert);
  o.tls_server_name = "someone-else";
  const Answer wrong = Call(Channel(0, o), 0, "Echo", "x");
  EXPECT_EQ(wrong.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(wrong.status.message().find("TLS"), std::string::npos) << wrong.status;
}

TEST(H2ChannelCreate, AnAddressWithoutAPortIsRefusedNamingTheBackend) {
  boost::asio::io_context loop;
  for (const std::string bad : {"registry", "registry:", ":50051", "registry:99999", "h:x", "",
                                "127.0.0.1:1,registry", "a:1,,:2"}) {
    H2ChannelOptions o;
    o.backend = "uplift-registry";
    o.address = bad;
    auto made = H2Channel::Create(loop, o);
    EXPECT_EQ(made.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(made.status().message().find("uplift-registry"), std::string::npos);
  }
  H2ChannelOptions o;
  o.address = "[::1]:50051";
  EXPECT_TRUE(H2Channel::Create(loop, o).ok());
  o.address = "registry-1:50051, registry-2:50051";
  EXPECT_TRUE(H2Channel::Create(loop, o).ok());
}

}  // namespace
}  // namespace uplift::web

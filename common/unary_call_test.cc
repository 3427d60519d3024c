// Tests of RunUnary with a real in-process gRPC server: a call whose
// caller gave up (its deadline passed) while it waited for a handler
// thread is finished without running its handler, and the next call runs;
// RunUnaryQuickFirst answers without a handler thread when it can.
#include "common/unary_call.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <optional>
#include <stdexcept>

#include "common/auth/token.h"
#include "common/clock.h"
#include "tests/support/test_env.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift {
namespace {

namespace rv1 = uplift::registry::v1;

constexpr char kRpc[] = "uplift.registry.v1.EnterpriseRegistry/GetEnterprise";

// GetEnterprise on the HandlerPool: a call for "hold" holds the one handler
// thread until released; every call that runs is counted. With quick_first,
// RunUnaryQuickFirst answers "quick" (OK, named 内存), "refuse" (NOT_FOUND)
// and "throw" (an exception) on the polling thread; the rest go to the pool.
class HeldRegistry final : public rv1::EnterpriseRegistry::CallbackService {
 public:
  HeldRegistry(const Authenticator* auth, bool quick_first)
      : auth_(auth), quick_first_(quick_first) {}
  grpc::ServerUnaryReactor* GetEnterprise(grpc::CallbackServerContext* context,
                                          const rv1::GetEnterpriseRequest* request,
                                          rv1::GetEnterpriseResponse* response) override {
    auto pooled = [this, request, response](const Principal&) {
      ran_.push_back(request->credit_code());
      if (request->credit_code() == "hold") {
        entered_.set_value();
        release_.get_future().wait();
      }
      response->mutable_enterprise()->set_name("池");
      return absl::OkStatus();
    };
    if (!quick_first_) return RunUnary(context, *auth_, kRpc, pooled);
    auto quick = [request, response](const Principal&) -> std::optional<absl::Status> {
      const std::string& code = request->credit_code();
      if (code == "throw") throw std::runtime_error("a bug");
      if (code == "refuse") return absl::NotFoundError("credit_code: no such enterprise");
      if (code != "quick") return std::nullopt;
      response->mutable_enterprise()->set_name("内存");
      return absl::OkStatus();
    };
    return RunUnaryQuickFirst(context, *auth_, kRpc, quick, pooled);
  }
  std::vector<std::string> ran_;  // written by the one handler thread
  std::promise<void> entered_, release_;

 private:
  const Authenticator* auth_;
  const bool quick_first_;
};

// A real server with one handler thread, and a caller with a token.
class OneHandlerThreadTest : public ::testing::Test {
 protected:
  void Start(bool quick_first) {
    HandlerPool::SetDefaultThreads(1);  // before the pool's first use in this process
    auth_ = std::make_unique<Authenticator>(*TokenVerifier::FromPemFile(keys_.public_key_file()),
                                            SystemClock::Get(), "uplift-registry");
    service_ = std::make_unique<HeldRegistry>(auth_.get(), quick_first);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    stub_ = rv1::EnterpriseRegistry::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  struct Answer {
    grpc::StatusCode code;
    std::string name;
  };
  Answer Call(const std::string& credit_code, std::chrono::milliseconds deadline,
              bool with_token = true) {
    grpc::ClientContext ctx;
    if (with_token) ctx.AddMetadata("authorization", "Bearer " + token_);
    ctx.set_deadline(std::chrono::system_clock::now() + deadline);
    rv1::GetEnterpriseRequest req;
    req.set_credit_code(credit_code);
    rv1::GetEnterpriseResponse resp;
    const grpc::Status status = stub_->GetEnterprise(&ctx, req, &resp);
    return {status.error_code(), resp.enterprise().name()};
  }
  // Holds the one handler thread until `release` (a call in the background).
  std::future<Answer> Hold() {
    auto held =
        std::async(std::launch::async, [this] { return Call("hold", std::chrono::seconds(30)); });
    service_->entered_.get_future().wait();
    return held;
  }

  testing::TempDir dir_;
  testing::TestKeys keys_{dir_.path()};
  const std::string token_ = keys_.Token(auth::v1::ROLE_ADMIN);
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<HeldRegistry> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<rv1::EnterpriseRegistry::Stub> stub_;
};

TEST_F(OneHandlerThreadTest, ACallWhoseCallerGaveUpWhileItWaitedIsNotRun) {
  Start(/*quick_first=*/false);
  std::future<Answer> held = Hold();
  EXPECT_EQ(Call("gave-up", std::chrono::milliseconds(300)).code,
            grpc::StatusCode::DEADLINE_EXCEEDED);
  absl::SleepFor(absl::Milliseconds(200));  // the server's own deadline timer has fired too
  service_->release_.set_value();
  EXPECT_EQ(held.get().code, grpc::StatusCode::OK);
  EXPECT_EQ(Call("next", std::chrono::seconds(30)).code, grpc::StatusCode::OK);
  EXPECT_EQ(service_->ran_, (std::vector<std::string>{"hold", "next"}));
}

// While the one handler thread is held, what the quick path answers still
// comes back (it needs no handler thread); what it leaves waits for the pool.
TEST_F(OneHandlerThreadTest, QuickFirstAnswersWithoutAHandlerThreadWhenItCan) {
  Start(/*quick_first=*/true);
  std::future<Answer> held = Hold();
  const Answer quick = Call("quick", std::chrono::seconds(30));
  EXPECT_EQ(quick.code, grpc::StatusCode::OK);
  EXPECT_EQ(quick.name, "内存");
  EXPECT_EQ(Call("refuse", std::chrono::seconds(30)).code, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call("throw", std::chrono::seconds(30)).code, grpc::StatusCode::INTERNAL)
      << "an exception in the quick path is an error, not a crash";
  EXPECT_EQ(Call("quick", std::chrono::seconds(30), /*with_token=*/false).code,
            grpc::StatusCode::UNAUTHENTICATED)
      << "the quick path admits the caller first";
  auto pooled =
      std::async(std::launch::async, [this] { return Call("slow", std::chrono::seconds(30)); });
  EXPECT_EQ(pooled.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "left to the pool, it waits for the held thread";
  service_->release_.set_value();
  EXPECT_EQ(held.get().code, grpc::StatusCode::OK);
  const Answer slow = pooled.get();
  EXPECT_EQ(slow.code, grpc::StatusCode::OK);
  EXPECT_EQ(slow.name, "池");
  EXPECT_EQ(service_->ran_, (std::vector<std::string>{"hold", "slow"}));
}

}  // namespace
}  // namespace uplift

// Tests of RunUnary with a real in-process gRPC server: a call whose
// caller gave up (its deadline passed) while it waited for a handler
// thread is finished without running its handler, and the next call runs.
#include "common/unary_call.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "common/auth/token.h"
#include "common/clock.h"
#include "tests/support/test_env.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift {
namespace {

namespace rv1 = uplift::registry::v1;

// GetEnterprise through RunUnary: the first call holds the one handler
// thread until released; every call that runs is counted.
class HeldRegistry final : public rv1::EnterpriseRegistry::CallbackService {
 public:
  explicit HeldRegistry(const Authenticator* auth) : auth_(auth) {}
  grpc::ServerUnaryReactor* GetEnterprise(grpc::CallbackServerContext* context,
                                          const rv1::GetEnterpriseRequest* request,
                                          rv1::GetEnterpriseResponse* response) override {
    return RunUnary(context, *auth_, "uplift.registry.v1.EnterpriseRegistry/GetEnterprise",
                    [this, request](const Principal&) {
                      ran_.push_back(request->credit_code());
                      if (request->credit_code() == "hold") {
                        entered_.set_value();
                        release_.get_future().wait();
                      }
                      return absl::OkStatus();
                    });
  }
  std::vector<std::string> ran_;  // written by the one handler thread
  std::promise<void> entered_, release_;

 private:
  const Authenticator* auth_;
};

TEST(RunUnary, ACallWhoseCallerGaveUpWhileItWaitedIsNotRun) {
  HandlerPool::SetDefaultThreads(1);  // before the pool's first use in this process
  testing::TempDir dir;
  testing::TestKeys keys(dir.path());
  Authenticator auth(*TokenVerifier::FromPemFile(keys.public_key_file()), SystemClock::Get(),
                     "uplift-registry");
  HeldRegistry service(&auth);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(port, 0);
  auto stub = rv1::EnterpriseRegistry::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  const std::string token = keys.Token(auth::v1::ROLE_ADMIN);
  auto call = [&](const std::string& code, std::chrono::milliseconds deadline) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + deadline);
    rv1::GetEnterpriseRequest req;
    req.set_credit_code(code);
    rv1::GetEnterpriseResponse resp;
    return stub->GetEnterprise(&ctx, req, &resp).error_code();
  };

  auto held =
      std::async(std::launch::async, [&] { return call("hold", std::chrono::seconds(30)); });
  service.entered_.get_future().wait();  // the one handler thread is taken
  EXPECT_EQ(call("gave-up", std::chrono::milliseconds(300)), grpc::StatusCode::DEADLINE_EXCEEDED);
  absl::SleepFor(absl::Milliseconds(200));  // the server's own deadline timer has fired too
  service.release_.set_value();
  EXPECT_EQ(held.get(), grpc::StatusCode::OK);
  EXPECT_EQ(call("next", std::chrono::seconds(30)), grpc::StatusCode::OK);
  EXPECT_EQ(service.ran_, (std::vector<std::string>{"hold", "next"}));
  server->Shutdown();
}

}  // namespace
}  // namespace uplift

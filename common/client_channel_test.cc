// MakeChannel spreads calls over every address its target resolves to
// (round robin), so a service calls every replica of another: two real
// in-process servers behind one target each get calls.
#include "common/client_channel.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift {
namespace {

namespace rv1 = uplift::registry::v1;

// Answers GetEnterprise at once and counts the calls it got.
class CountingRegistry final : public rv1::EnterpriseRegistry::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetEnterprise(grpc::CallbackServerContext* context,
                                          const rv1::GetEnterpriseRequest*,
                                          rv1::GetEnterpriseResponse*) override {
    ++calls;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  std::atomic<int> calls{0};
};

struct Replica {
  Replica() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
  }
  ~Replica() { server->Shutdown(); }
  CountingRegistry service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

TEST(MakeChannel, SpreadsCallsOverEveryAddressOfItsTarget) {
  Replica a, b;
  ASSERT_NE(a.port, 0);
  ASSERT_NE(b.port, 0);
  // What DNS gives for a name with two A records, written out.
  auto channel = MakeChannel(absl::StrCat("ipv4:127.0.0.1:", a.port, ",127.0.0.1:", b.port), {});
  ASSERT_TRUE(channel.ok()) << channel.status();
  auto stub = rv1::EnterpriseRegistry::NewStub(*channel);
  // Round robin sends to the replicas that are connected; under load the
  // second may connect after the first calls, so call until both answered
  // (each call counted once), at most 200 times.
  int sent = 0;
  for (; sent < 200 && (a.service.calls == 0 || b.service.calls == 0); ++sent) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.set_wait_for_ready(true);
    rv1::GetEnterpriseResponse response;
    ASSERT_TRUE(stub->GetEnterprise(&context, rv1::GetEnterpriseRequest(), &response).ok());
  }
  EXPECT_GT(a.service.calls, 0);
  EXPECT_GT(b.service.calls, 0);
  EXPECT_EQ(a.service.calls + b.service.calls, sent);
}

}  // namespace
}  // namespace uplift

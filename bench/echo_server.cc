// uplift-bench-echo: the baseline of the benchmarks. Bare: a plain gRPC
// callback server that echoes its payload, nothing else. With --bootstrap
// it runs on our ServiceHost (health, reflection, logging interceptor) and
// authenticates every call like a real service, so the benchmark can tell
// the stack's cost from a service's own.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <fstream>

#include <CLI/CLI.hpp>
#include <grpcpp/grpcpp.h>

#include "common/auth/authenticator.h"
#include "common/grpc_status.h"
#include "common/service_host.h"
#include "common/unary_call.h"
#include "uplift/bench/v1/echo.grpc.pb.h"

namespace {

namespace bv1 = uplift::bench::v1;

class EchoService final : public bv1::Echo::CallbackService {
 public:
  explicit EchoService(const uplift::Authenticator* auth) : auth_(auth) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const bv1::EchoRequest* request,
                                 bv1::EchoResponse* response) override {
    if (auth_ != nullptr) {
      // What every call of the suite pays: the bearer token verified (the
      // access table's gate is a map lookup on top; this RPC is not in it).
      absl::StatusOr<uplift::Principal> who = auth_->Authenticate(*context);
      if (who.ok()) response->set_payload(request->payload());
      auto* reactor = context->DefaultReactor();
      reactor->Finish(uplift::ToGrpcStatus(who.status()));
      return reactor;
    }
    response->set_payload(request->payload());
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const uplift::Authenticator* auth_;
};

}  // namespace

int main(int argc, char** argv) {
  uplift::ServiceHost::PrepareProcess();
  CLI::App app{"uplift-bench-echo: the benchmarks' baseline server"};
  std::string listen = "127.0.0.1:0", port_file, public_key;
  bool bootstrap = false;
  app.add_option("--listen", listen);
  app.add_option("--port-file", port_file);
  app.add_flag("--bootstrap", bootstrap, "serve through ServiceHost with auth");
  app.add_option("--auth-public-key", public_key);
  CLI11_PARSE(app, argc, argv);

  std::unique_ptr<uplift::Authenticator> auth;
  if (bootstrap) {
    auto verifier = uplift::TokenVerifier::FromPemFile(public_key);
    if (!verifier.ok()) {
      spdlog::critical("{}", std::string(verifier.status().message()));
      return 2;
    }
    auth = std::make_unique<uplift::Authenticator>(std::move(*verifier), uplift::SystemClock::Get(),
                                                   // As the registry checks, for the same token.
                                                   "uplift-registry");
  }
  EchoService service(auth.get());
  if (bootstrap) {
    uplift::ServiceHost host;
    absl::Status s = host.Start({"uplift-bench-echo", listen, port_file, {}}, {&service});
    if (!s.ok()) return 2;
    host.WaitForTermination();
    host.Shutdown();
    return 0;
  }
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) return 2;
  std::ofstream(port_file) << port << "\n";
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig;
  sigwait(&set, &sig);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

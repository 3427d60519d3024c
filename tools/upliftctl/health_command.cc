// upliftctl health: the gRPC health protocol against one or more services
// (no token needed); exit status 1 unless every one is SERVING. The Docker
// health checks use it.
#include <iostream>
#include <memory>

#include "grpc/health/v1/health.grpc.pb.h"
#include "tools/upliftctl/cli.h"

namespace uplift::cli {

void AddHealthCommand(CLI::App& app, Cli& cli) {
  auto addrs = std::make_shared<std::vector<std::string>>();
  CLI::App* c = app.add_subcommand("health", "check that services are SERVING");
  c->add_option("--addr", *addrs, "service address (repeatable; default: the registry)");
  c->callback([&cli, addrs] {
    std::vector<std::string> targets = *addrs;
    if (targets.empty()) targets.push_back(cli.registry_addr());
    bool all_serving = true;
    for (const std::string& addr : targets) {
      auto stub = grpc::health::v1::Health::NewStub(cli.Channel(addr));
      grpc::health::v1::HealthCheckRequest req;
      grpc::health::v1::HealthCheckResponse resp;
      auto context = cli.ContextWithTimeout(cli.Timeout());
      const grpc::Status status = stub->Check(context.get(), req, &resp);
      std::string state = status.ok()
                              ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status())
                              : "UNREACHABLE (" + status.error_message() + ")";
      all_serving = all_serving && status.ok() &&
                    resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
      std::cout << addr << "  " << state << "\n";
    }
    if (!all_serving) throw CLI::RuntimeError(1);
  });
}

}  // namespace uplift::cli

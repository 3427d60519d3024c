// uplift-registry: wiring only. Flags, store, outbox relay, gRPC host.
#include <spdlog/spdlog.h>

#include <filesystem>

#include <CLI/CLI.hpp>

#include "common/auth/authenticator.h"
#include "common/common_schema.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "common/service_host.h"
#include "services/registry/registry_grpc.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_service.h"

namespace {

int Fail(const absl::Status& status) {
  spdlog::critical("uplift-registry cannot start: {}", std::string(status.message()));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uplift::ServiceHost::PrepareProcess();
  CLI::App app{"uplift-registry: the enterprise registry of Cluster Uplift"};
  uplift::ServiceFlags flags;
  uplift::AddServiceFlags(app, "REGISTRY", "0.0.0.0:50051", &flags);
  size_t cache_entries = 100000;
  app.add_option("--cache-entries", cache_entries, "enterprises kept in memory for GetEnterprise")
      ->envname("UPLIFT_REGISTRY_CACHE_ENTRIES")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (absl::Status s = uplift::SetLogLevel(flags.log_level); !s.ok()) return Fail(s);
  if (absl::Status s = uplift::CheckServiceFlags(flags); !s.ok()) return Fail(s);

  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  const std::string db_path = flags.data_dir + "/registry.db";
  auto db = uplift::Database::Open(
      db_path, {uplift::CommonMigrations(), uplift::registry::RegistryMigrations()});
  if (!db.ok()) return Fail(db.status());
  auto verifier = uplift::TokenVerifier::FromPemFile(flags.auth_public_key);
  if (!verifier.ok()) return Fail(verifier.status());

  uplift::SystemClock* clock = uplift::SystemClock::Get();
  uplift::Authenticator auth(std::move(*verifier), clock);
  uplift::RedisClient redis({flags.redis_addr, flags.redis_password});
  uplift::OutboxRelay relay(db->get(), &redis, clock);
  uplift::registry::RegistryService service(db->get(), clock, cache_entries);
  uplift::registry::RegistryGrpcService grpc_service(&service, &auth);

  uplift::ServiceHost host;
  absl::Status started =
      host.Start({"uplift-registry", flags.listen, flags.port_file, flags.tls}, {&grpc_service});
  if (!started.ok()) return Fail(started);
  spdlog::info("uplift-registry: database {}, events to redis {}", db_path, flags.redis_addr);
  relay.Start();
  host.WaitForTermination();
  host.Shutdown();
  relay.Stop();
  return 0;
}

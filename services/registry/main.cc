// uplift-registry: wiring only. The registry and token revocations on the
// shared service runtime; it consumes uplift-tasks' project events
// (新建投产入统) through the runtime's router.
#include "absl/strings/str_split.h"
#include "common/service_runtime.h"
#include "services/registry/registry_grpc.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_service.h"
#include "services/registry/revocation_grpc.h"
#include "services/registry/revocation_service.h"

int main(int argc, char** argv) {
  uplift::ServiceRuntime rt("uplift-registry", "the enterprise registry of Cluster Uplift",
                            {uplift::registry::RegistryMigrations()});
  size_t cache_entries = 100000;
  std::string listing_departments = "dept-jrj";
  rt.app()
      .add_option("--cache-entries", cache_entries, "enterprises kept in memory for GetEnterprise")
      ->envname("UPLIFT_REGISTRY_CACHE_ENTRIES")
      ->capture_default_str();
  rt.app()
      .add_option("--listing-pool-departments", listing_departments,
                  "departments (unit ids, comma-separated) that manage the listing reserve pool")
      ->envname("UPLIFT_REGISTRY_LISTING_POOL_DEPARTMENTS")
      ->capture_default_str();
  if (std::optional<int> exit = rt.Init(argc, argv)) return *exit;

  const std::vector<std::string> departments =
      absl::StrSplit(listing_departments, ',', absl::SkipWhitespace());
  uplift::registry::RegistryService registry(
      rt.db(), rt.clock(), cache_entries,
      uplift::registry::RegistryAccess({departments.begin(), departments.end()}));
  registry.RegisterEventHandlers(&rt.router());
  uplift::registry::RevocationService revocations(rt.db(), rt.clock());
  uplift::registry::RegistryGrpcService registry_grpc(&registry, &rt.auth());
  uplift::registry::RevocationGrpcService revocations_grpc(&revocations, &rt.auth());
  return rt.Serve({&registry_grpc, &revocations_grpc});
}

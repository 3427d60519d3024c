// What the benchmarks that load uplift-registry share: seeding enterprises,
// client channels that do not share a connection, the GetEnterprise load
// over gRPC, and the table rows they print.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "bench/load_generator.h"
#include "tests/support/registry_fixture.h"

namespace uplift::bench {

struct RegistryLoadOptions {
  int concurrency = 32;
  double seconds = 10;
  double warmup = 2;
  int enterprises = 10000;
  int channels = 2;
};

std::vector<std::shared_ptr<grpc::Channel>> Channels(const std::string& address, int n);
// Imports enterprises 0..n-1 (TestCreditCode) in town-a and town-b; exits on failure.
void SeedEnterprises(uplift::testing::RegistryFixture& f, int n);
// GetEnterprise over gRPC, each slot walking the enterprises.
LoadResult LoadGetEnterprise(const std::string& address, const std::string& token,
                             const RegistryLoadOptions& o);
void PrintHeader();
void PrintRow(const char* name, const LoadResult& r);

}  // namespace uplift::bench

// The shared registry load of the benchmarks.
#include "bench/registry_load.h"

#include <cstdio>

#include "absl/strings/str_format.h"

namespace uplift::bench {

namespace rv1 = uplift::registry::v1;

// Channels that do not share a connection.
std::vector<std::shared_ptr<grpc::Channel>> Channels(const std::string& address, int n) {
  std::vector<std::shared_ptr<grpc::Channel>> out;
  for (int i = 0; i < n; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("uplift.bench.channel", i);
    out.push_back(grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
  }
  return out;
}

void SeedEnterprises(uplift::testing::RegistryFixture& f, int n) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + f.admin_token);
  rv1::ImportEnterprisesResponse result;
  auto writer = f.stub().ImportEnterprises(&ctx, &result);
  for (int i = 0; i < n; ++i) {
    rv1::ImportEnterprisesRequest row;
    rv1::Enterprise* e = row.mutable_enterprise();
    e->set_credit_code(uplift::testing::TestCreditCode(i));
    e->set_name(absl::StrFormat("新乐市第%d装备制造有限公司", i));
    e->set_cluster_id("equipment");
    e->set_township_id(i % 2 == 0 ? "town-a" : "town-b");
    e->set_park("新乐经济开发区");
    e->set_address(absl::StrFormat("河北省石家庄市新乐市长寿街道%d号", i));
    e->set_industry("通用设备制造业");
    e->set_key_enterprise(i % 5 == 0);
    writer->Write(row);
  }
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  if (!s.ok() || result.created() != n) {
    std::fprintf(stderr, "seeding failed: %s (%d created)\n", s.error_message().c_str(),
                 result.created());
    std::exit(1);
  }
}

LoadResult LoadGetEnterprise(const std::string& address, const std::string& token,
                             const RegistryLoadOptions& o) {
  auto channels = Channels(address, o.channels);
  std::vector<std::unique_ptr<rv1::EnterpriseRegistry::Stub>> stubs;
  for (auto& c : channels) stubs.push_back(rv1::EnterpriseRegistry::NewStub(c));
  std::vector<rv1::GetEnterpriseRequest> requests(o.concurrency);
  std::vector<rv1::GetEnterpriseResponse> responses(o.concurrency);
  std::vector<int> next(o.concurrency);
  for (int i = 0; i < o.concurrency; ++i) next[i] = i * 7919 % o.enterprises;
  return RunLoad(o.concurrency, absl::Seconds(o.warmup), absl::Seconds(o.seconds), token,
                 [&](int slot, grpc::ClientContext* ctx, std::function<void(grpc::Status)> done) {
                   next[slot] = (next[slot] + 1) % o.enterprises;
                   requests[slot].set_credit_code(uplift::testing::TestCreditCode(next[slot]));
                   stubs[slot % stubs.size()]->async()->GetEnterprise(
                       ctx, &requests[slot], &responses[slot], std::move(done));
                 });
}

void PrintHeader() {
  std::printf("%-34s %10s %10s %10s %10s %8s\n", "target", "calls", "calls/s", "p50 us", "p99 us",
              "errors");
}

void PrintRow(const char* name, const LoadResult& r) {
  std::printf("%-34s %10lld %10.0f %10.0f %10.0f %8lld\n", name, static_cast<long long>(r.calls),
              r.qps, r.p50_us, r.p99_us, static_cast<long long>(r.errors));
  if (r.errors > 0) std::printf("    first error: %s\n", r.first_error.c_str());
}

}  // namespace uplift::bench

// Tests of the flags every service takes: loopback by default, no clear
// text beyond loopback without saying so, sizes and durations.
#include "common/service_flags.h"

#include <gtest/gtest.h>

namespace uplift {
namespace {

ServiceFlags Complete(const std::string& listen) {
  ServiceFlags f;
  f.listen = listen;
  f.redis_addr = "127.0.0.1:6379";
  f.secrets_dir = "/s";
  f.public_keys_dir = "/p";
  return f;
}

TEST(ServiceFlags, ListenOnLoopbackByDefault) {
  CLI::App app;
  ServiceFlags f;
  AddServiceFlags(app, "uplift-registry", "REGISTRY", 50051, &f);
  EXPECT_EQ(f.listen, "127.0.0.1:50051");
  EXPECT_EQ(f.redis_user, "uplift-registry");
  EXPECT_EQ(f.token_audience, "uplift-registry");
}

TEST(ServiceFlags, ServingBeyondLoopbackWithoutTlsNeedsToBeSaid) {
  for (const char* loopback : {"127.0.0.1:1", "localhost:1", "[::1]:1", "unix:/tmp/s"}) {
    EXPECT_TRUE(CheckServiceFlags(Complete(loopback)).ok()) << loopback;
  }
  absl::Status s = CheckServiceFlags(Complete("0.0.0.0:50051"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("--allow-insecure-listen"), std::string::npos);
  ServiceFlags allowed = Complete("0.0.0.0:50051");
  allowed.allow_insecure_listen = true;
  EXPECT_TRUE(CheckServiceFlags(allowed).ok());
  ServiceFlags tls = Complete("0.0.0.0:50051");
  tls.tls.cert = "c.pem";
  tls.tls.key = "k.pem";
  EXPECT_TRUE(CheckServiceFlags(tls).ok());
}

TEST(ServiceFlags, RequiredValuesNameTheirFlag) {
  ServiceFlags f = Complete("127.0.0.1:1");
  f.secrets_dir.clear();
  EXPECT_NE(CheckServiceFlags(f).message().find("--secrets-dir"), std::string::npos);
}

TEST(ServiceFlags, SizesAndDurations) {
  EXPECT_EQ(*ParseSizeFlag("x", "512MB"), int64_t{512} << 20);
  EXPECT_EQ(*ParseSizeFlag("x", "2gb"), int64_t{2} << 30);
  EXPECT_EQ(*ParseSizeFlag("x", "1024"), 1024);
  EXPECT_FALSE(ParseSizeFlag("x", "-1MB").ok());
  EXPECT_FALSE(ParseSizeFlag("x", "99999999999GB").ok());
  EXPECT_EQ(*ParseDurationFlag("x", "30s"), absl::Seconds(30));
  EXPECT_FALSE(ParseDurationFlag("x", "0s").ok());
}

}  // namespace
}  // namespace uplift

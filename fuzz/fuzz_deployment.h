// A deployment's keys and secrets for the fuzz targets that verify
// signatures (tokens, stream envelopes): provisioned once per process, as
// `upliftctl auth init` does, in a temporary directory removed at exit.
#pragma once

#include <string>

#include "common/deployment_secrets.h"
#include "fuzz/seeded_database.h"
#include "tests/support/test_env.h"

namespace uplift::fuzz {

class FuzzDeployment {
 public:
  static const FuzzDeployment& Get() {
    static const FuzzDeployment* deployment = new FuzzDeployment();
    return *deployment;
  }
  // The auth directory (docs/security.md).
  std::string auth_dir() const { return dir_.path() + "/auth"; }

 private:
  FuzzDeployment() {
    ProvisionOptions options{dir_.path() + "/auth", ""};
    MustOk(Provision(options).status(), "provision the fuzz deployment's keys");
  }
  testing::TempDir dir_;
};

}  // namespace uplift::fuzz

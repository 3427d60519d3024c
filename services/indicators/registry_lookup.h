// What the indicator service asks the registry directly: an enterprise a
// report names before the registry's event about it has arrived (right
// after `uplift-county --populate`, say). An interface so the logic is
// tested with a fake; EnterpriseLookupGrpc calls uplift-registry.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/client_channel.h"
#include "services/registry/registry_client.h"

namespace uplift::indicators {

class EnterpriseLookup {
 public:
  virtual ~EnterpriseLookup() = default;
  virtual absl::StatusOr<uplift::registry::v1::Enterprise> GetEnterprise(
      const CallAs& as, const std::string& credit_code) = 0;
};

class EnterpriseLookupGrpc : public EnterpriseLookup {
 public:
  explicit EnterpriseLookupGrpc(std::shared_ptr<grpc::Channel> channel)
      : client_(std::move(channel)) {}
  absl::StatusOr<uplift::registry::v1::Enterprise> GetEnterprise(
      const CallAs& as, const std::string& credit_code) override {
    return client_.GetEnterprise(as, credit_code);
  }

 private:
  uplift::registry::RegistryClient client_;
};

}  // namespace uplift::indicators

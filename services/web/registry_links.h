// What uplift-web asks of the registry, as interfaces its logic takes (so
// tests give fakes): the unit an account acts for (its name and kind), and the
// revocation of a token of an ended session. RegistryLinks implements both
// over gRPC with uplift-web's own SERVICE token.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/registry/registry_client.h"
#include "uplift/auth/v1/revocation.grpc.pb.h"

namespace uplift::web {

class UnitDirectory {
 public:
  virtual ~UnitDirectory() = default;
  // The unit; NOT_FOUND if the registry has no such unit.
  virtual absl::StatusOr<registry::v1::Unit> FindUnit(const std::string& unit_id) = 0;
};

class TokenRevoker {
 public:
  virtual ~TokenRevoker() = default;
  virtual absl::Status Revoke(const std::string& token_id, absl::Time expires,
                              const std::string& reason) = 0;
};

class RegistryLinks : public UnitDirectory, public TokenRevoker {
 public:
  RegistryLinks(std::shared_ptr<grpc::Channel> channel, std::string service_token);
  absl::StatusOr<registry::v1::Unit> FindUnit(const std::string& unit_id) override;
  absl::Status Revoke(const std::string& token_id, absl::Time expires,
                      const std::string& reason) override;

 private:
  CallAs As() const;
  registry::RegistryClient registry_;
  std::unique_ptr<uplift::auth::v1::TokenRevocations::Stub> revocations_;
  const std::string service_token_;
};

}  // namespace uplift::web

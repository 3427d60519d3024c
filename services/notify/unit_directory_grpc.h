// The registry's units over gRPC, with this service's own SERVICE token.
#pragma once

#include <memory>

#include <grpcpp/grpcpp.h>

#include "services/notify/notify_service.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift::notify {

class UnitDirectoryGrpc : public UnitDirectory {
 public:
  UnitDirectoryGrpc(std::shared_ptr<grpc::Channel> channel, std::string service_token);
  absl::StatusOr<uplift::registry::v1::Unit> GetUnit(const std::string& unit_id) override;

 private:
  std::unique_ptr<uplift::registry::v1::EnterpriseRegistry::Stub> stub_;
  const std::string token_;
};

}  // namespace uplift::notify

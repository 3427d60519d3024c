// The registry's units over gRPC (the registry's RegistryClient), with this
// service's own SERVICE token.
#pragma once

#include <memory>

#include "services/notify/notify_service.h"
#include "services/registry/registry_client.h"

namespace uplift::notify {

class UnitDirectoryGrpc : public UnitDirectory {
 public:
  UnitDirectoryGrpc(std::shared_ptr<grpc::Channel> channel, std::string service_token)
      : client_(std::move(channel)), token_(std::move(service_token)) {}
  absl::StatusOr<uplift::registry::v1::Unit> GetUnit(const std::string& unit_id) override {
    // Deadlines of calls are real time, whatever the service clock says.
    return client_.GetUnit({token_, absl::Now() + absl::Seconds(5)}, unit_id);
  }

 private:
  uplift::registry::RegistryClient client_;
  const std::string token_;
};

}  // namespace uplift::notify

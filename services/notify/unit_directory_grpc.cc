// GetUnit against uplift-registry.
#include "services/notify/unit_directory_grpc.h"

#include "common/client_channel.h"

namespace uplift::notify {

UnitDirectoryGrpc::UnitDirectoryGrpc(std::shared_ptr<grpc::Channel> channel, std::string service_token)
    : stub_(uplift::registry::v1::EnterpriseRegistry::NewStub(std::move(channel))),
      token_(std::move(service_token)) {}

absl::StatusOr<uplift::registry::v1::Unit> UnitDirectoryGrpc::GetUnit(const std::string& unit_id) {
  uplift::registry::v1::GetUnitRequest req;
  req.set_unit_id(unit_id);
  uplift::registry::v1::GetUnitResponse resp;
  grpc::Status s = stub_->GetUnit(MakeClientContext(token_, absl::Seconds(5)).get(), req, &resp);
  if (s.ok()) return resp.unit();
  return DependencyError(s, "registry", "GetUnit " + unit_id);
}

}  // namespace uplift::notify

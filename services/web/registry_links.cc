// uplift-web's calls to the registry.
#include "services/web/registry_links.h"

#include "common/time_util.h"

namespace uplift::web {

RegistryLinks::RegistryLinks(std::shared_ptr<grpc::Channel> channel, std::string service_token)
    : registry_(channel),
      revocations_(uplift::auth::v1::TokenRevocations::NewStub(channel)),
      service_token_(std::move(service_token)) {}

CallAs RegistryLinks::As() const { return CallAs{service_token_, absl::Now() + absl::Seconds(5)}; }

absl::StatusOr<registry::v1::Unit> RegistryLinks::FindUnit(const std::string& unit_id) {
  return registry_.GetUnit(As(), unit_id);
}

absl::Status RegistryLinks::Revoke(const std::string& token_id, absl::Time expires,
                                   const std::string& reason) {
  uplift::auth::v1::RevokeTokenRequest request;
  request.set_token_id(token_id);
  *request.mutable_expire_time() = ToProtoTimestamp(expires);
  request.set_reason(reason);
  uplift::auth::v1::RevokeTokenResponse response;
  std::unique_ptr<grpc::ClientContext> context = MakeClientContext(As());
  const grpc::Status status = revocations_->RevokeToken(context.get(), request, &response);
  if (!status.ok()) return DependencyError(status, "uplift-registry", "revoking a token");
  return absl::OkStatus();
}

}  // namespace uplift::web

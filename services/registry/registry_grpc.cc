// RPC forwarding and the client-streaming import reactor.
#include "services/registry/registry_grpc.h"

#include <memory>

#include "common/grpc_status.h"
#include "common/read_reactor.h"
#include "common/unary_call.h"
#include "services/registry/enterprise_import.h"

namespace uplift::registry {
namespace {

// Rows until the client half-closes, then the tally (GuardedReadReactor
// admits the caller, re-checks its token and guards every callback).
class ImportReactor : public GuardedReadReactor<v1::ImportEnterprisesRequest> {
 public:
  ImportReactor(RegistryService* service, const Authenticator* auth, absl::StatusOr<Principal> who,
                std::string rpc, v1::ImportEnterprisesResponse* response)
      : GuardedReadReactor(auth, std::move(who), std::move(rpc)),
        service_(service),
        response_(response) {
    Begin();
  }

 private:
  absl::Status OnStart(const Principal& who) override {
    if (absl::Status allowed = service_->ImportAllowed(who); !allowed.ok()) return allowed;
    import_ = std::make_unique<EnterpriseImport>(service_, who);
    return absl::OkStatus();
  }
  absl::Status OnMessage(const Principal&, const v1::ImportEnterprisesRequest& row) override {
    import_->Add(row);
    return absl::OkStatus();
  }
  absl::Status OnEnd(const Principal&) override {
    *response_ = import_->Finish();
    return absl::OkStatus();
  }

  RegistryService* const service_;
  v1::ImportEnterprisesResponse* const response_;
  std::unique_ptr<EnterpriseImport> import_;
};

}  // namespace

#define UPLIFT_REGISTRY_DEFINE(Method) \
  UPLIFT_SERVE_UNARY(RegistryGrpcService, v1::EnterpriseRegistry, v1, Method)
UPLIFT_REGISTRY_POOLED_RPCS(UPLIFT_REGISTRY_DEFINE)
UPLIFT_SERVE_UNARY(RegistryGrpcService, v1::EnterpriseRegistry, uplift::audit::v1,
                   ListAuditRecords)
#undef UPLIFT_REGISTRY_DEFINE

grpc::ServerUnaryReactor* RegistryGrpcService::GetEnterprise(
    grpc::CallbackServerContext* context, const v1::GetEnterpriseRequest* request,
    v1::GetEnterpriseResponse* response) {
  static const std::string kRpc =
      std::string(v1::EnterpriseRegistry::service_full_name()) + "/GetEnterprise";
  return ServeUnaryQuickFirst(context, *auth_, kRpc, service_,
                              &RegistryService::GetEnterpriseFromMemory,
                              &RegistryService::GetEnterprise, request, response);
}

grpc::ServerReadReactor<v1::ImportEnterprisesRequest>* RegistryGrpcService::ImportEnterprises(
    grpc::CallbackServerContext* context, v1::ImportEnterprisesResponse* response) {
  static const std::string kRpc =
      std::string(v1::EnterpriseRegistry::service_full_name()) + "/ImportEnterprises";
  return new ImportReactor(service_, auth_, AdmitCaller(*context, *auth_, kRpc), kRpc, response);
}

}  // namespace uplift::registry

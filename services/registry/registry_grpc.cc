// RPC forwarding and the client-streaming import reactor.
#include "services/registry/registry_grpc.h"

#include <memory>

#include "common/grpc_status.h"
#include "common/unary_call.h"
#include "services/registry/enterprise_import.h"
#include "services/registry/registry_access.h"

namespace uplift::registry {
namespace {

// Reads rows until the client half-closes, then answers with the tally.
class ImportReactor : public grpc::ServerReadReactor<v1::ImportEnterprisesRequest> {
 public:
  // `denied` not OK: the call is refused before any row is read.
  ImportReactor(RegistryService* service, absl::StatusOr<Principal> who,
                v1::ImportEnterprisesResponse* response)
      : response_(response) {
    absl::Status allowed = who.ok() ? CanWriteEnterprises(*who) : who.status();
    if (!allowed.ok()) {
      Finish(ToGrpcStatus(allowed));
      return;
    }
    import_ = std::make_unique<EnterpriseImport>(service, *who);
    StartRead(&row_);
  }

  void OnReadDone(bool ok) override {
    if (ok) {
      import_->Add(row_);
      StartRead(&row_);
      return;
    }
    *response_ = import_->Finish();
    Finish(grpc::Status::OK);
  }

  void OnDone() override { delete this; }

 private:
  v1::ImportEnterprisesResponse* response_;
  std::unique_ptr<EnterpriseImport> import_;
  v1::ImportEnterprisesRequest row_;
};

}  // namespace

#define UPLIFT_REGISTRY_DEFINE(Method)                                                       \
  grpc::ServerUnaryReactor* RegistryGrpcService::Method(                                    \
      grpc::CallbackServerContext* context, const v1::Method##Request* request,             \
      v1::Method##Response* response) {                                                     \
    return ServeUnary(context, *auth_, service_, &RegistryService::Method, request, response); \
  }
UPLIFT_REGISTRY_UNARY_RPCS(UPLIFT_REGISTRY_DEFINE)
#undef UPLIFT_REGISTRY_DEFINE

grpc::ServerUnaryReactor* RegistryGrpcService::ListAuditRecords(
    grpc::CallbackServerContext* context,
    const uplift::audit::v1::ListAuditRecordsRequest* request,
    uplift::audit::v1::ListAuditRecordsResponse* response) {
  return ServeUnary(context, *auth_, service_, &RegistryService::ListAuditRecords, request,
                    response);
}

grpc::ServerReadReactor<v1::ImportEnterprisesRequest>* RegistryGrpcService::ImportEnterprises(
    grpc::CallbackServerContext* context, v1::ImportEnterprisesResponse* response) {
  return new ImportReactor(service_, auth_->Authenticate(*context), response);
}

}  // namespace uplift::registry

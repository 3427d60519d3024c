// The gRPC face of the registry: each RPC authenticates through the shared
// Authenticator and forwards to RegistryService.
#pragma once

#include "common/auth/authenticator.h"
#include "services/registry/registry_service.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

// Every unary RPC of the registry whose messages are <Method>Request and
// <Method>Response, for declaring and defining the forwarding methods once:
// those served on the HandlerPool, and every one (GetEnterprise is tried
// from memory first; registry_grpc.cc).
#define UPLIFT_REGISTRY_UNARY_RPCS(X) UPLIFT_REGISTRY_POOLED_RPCS(X) X(GetEnterprise)
#define UPLIFT_REGISTRY_POOLED_RPCS(X)                                                         \
  X(CreateUnit)                                                                                \
  X(GetUnit) X(ListUnits) X(UpdateUnit) X(CreateCluster) X(GetCluster) X(ListClusters)         \
      X(UpdateCluster) X(CreateEnterprise) X(ListEnterprises) X(UpdateEnterprise) X(AwardTier) \
          X(RevokeTier) X(ListTierAwards) X(EnterListingPool) X(AdvanceListingStage)           \
              X(LeaveListingPool) X(EnterAboveSizePool) X(LeaveAboveSizePool) X(MarkAboveSize) \
                  X(ListPoolHistory)

namespace uplift::registry {

class RegistryGrpcService final : public v1::EnterpriseRegistry::CallbackService {
 public:
  RegistryGrpcService(RegistryService* service, const Authenticator* auth)
      : service_(service), auth_(auth) {}

#define UPLIFT_REGISTRY_DECLARE(Method)                                    \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  UPLIFT_REGISTRY_UNARY_RPCS(UPLIFT_REGISTRY_DECLARE)
#undef UPLIFT_REGISTRY_DECLARE

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context,
      const uplift::audit::v1::ListAuditRecordsRequest* request,
      uplift::audit::v1::ListAuditRecordsResponse* response) override;

  grpc::ServerReadReactor<v1::ImportEnterprisesRequest>* ImportEnterprises(
      grpc::CallbackServerContext* context, v1::ImportEnterprisesResponse* response) override;

 private:
  RegistryService* const service_;
  const Authenticator* const auth_;
};

}  // namespace uplift::registry

// The gRPC face of the registry: each RPC authenticates through the shared
// Authenticator and forwards to RegistryService.
#pragma once

#include "common/auth/authenticator.h"
#include "services/registry/registry_service.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift::registry {

class RegistryGrpcService final : public v1::EnterpriseRegistry::CallbackService {
 public:
  RegistryGrpcService(RegistryService* service, const Authenticator* auth)
      : service_(service), auth_(auth) {}

#define UPLIFT_REGISTRY_UNARY(Method)                                                \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,            \
                                   const v1::Method##Request* request,              \
                                   v1::Method##Response* response) override;
  UPLIFT_REGISTRY_UNARY(CreateUnit)
  UPLIFT_REGISTRY_UNARY(GetUnit)
  UPLIFT_REGISTRY_UNARY(ListUnits)
  UPLIFT_REGISTRY_UNARY(UpdateUnit)
  UPLIFT_REGISTRY_UNARY(CreateCluster)
  UPLIFT_REGISTRY_UNARY(GetCluster)
  UPLIFT_REGISTRY_UNARY(ListClusters)
  UPLIFT_REGISTRY_UNARY(UpdateCluster)
  UPLIFT_REGISTRY_UNARY(CreateEnterprise)
  UPLIFT_REGISTRY_UNARY(GetEnterprise)
  UPLIFT_REGISTRY_UNARY(ListEnterprises)
  UPLIFT_REGISTRY_UNARY(UpdateEnterprise)
  UPLIFT_REGISTRY_UNARY(AwardTier)
  UPLIFT_REGISTRY_UNARY(RevokeTier)
  UPLIFT_REGISTRY_UNARY(ListTierAwards)
  UPLIFT_REGISTRY_UNARY(EnterListingPool)
  UPLIFT_REGISTRY_UNARY(AdvanceListingStage)
  UPLIFT_REGISTRY_UNARY(LeaveListingPool)
  UPLIFT_REGISTRY_UNARY(EnterAboveSizePool)
  UPLIFT_REGISTRY_UNARY(LeaveAboveSizePool)
  UPLIFT_REGISTRY_UNARY(MarkAboveSize)
  UPLIFT_REGISTRY_UNARY(ListPoolHistory)
#undef UPLIFT_REGISTRY_UNARY

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

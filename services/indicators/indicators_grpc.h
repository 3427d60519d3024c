// The gRPC face of the indicator service: each RPC authenticates through
// the shared Authenticator and forwards to IndicatorsService; ImportReports
// reads its stream batch by batch.
#pragma once

#include "common/auth/authenticator.h"
#include "services/indicators/indicators_service.h"
#include "uplift/indicators/v1/indicators.grpc.pb.h"

// Every unary RPC whose messages are <Method>Request and <Method>Response.
#define UPLIFT_INDICATORS_UNARY_RPCS(X)                                                       \
  X(SubmitReport)                                                                             \
  X(GetReport)                                                                                \
  X(ListReports) X(GetAggregates) X(GetTargetProgress) X(GetEfficiency) X(GetTownshipRanking) \
      X(GenerateDispatchReport) X(GenerateBulletin) X(ClosePeriod) X(RecordActivity)          \
          X(ListActivities)

namespace uplift::indicators {

class IndicatorsGrpcService final : public v1::IndicatorAggregation::CallbackService {
 public:
  IndicatorsGrpcService(IndicatorsService* service, const Authenticator* auth)
      : service_(service), auth_(auth) {}

#define UPLIFT_INDICATORS_DECLARE(Method)                                  \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  UPLIFT_INDICATORS_UNARY_RPCS(UPLIFT_INDICATORS_DECLARE)
#undef UPLIFT_INDICATORS_DECLARE

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context,
      const uplift::audit::v1::ListAuditRecordsRequest* request,
      uplift::audit::v1::ListAuditRecordsResponse* response) override;

  grpc::ServerReadReactor<v1::ImportReportsRequest>* ImportReports(
      grpc::CallbackServerContext* context, v1::ImportReportsResponse* response) override;

 private:
  IndicatorsService* const service_;
  const Authenticator* const auth_;
};

}  // namespace uplift::indicators

// RPC forwarding of the indicator service, and the ImportReports reader:
// each message (a batch of rows) is stored in one transaction before the
// next is read, so what the final response counts is durable; a failure
// ends the call with its status and keeps the batches already stored
// (importing the same file again is harmless: unchanged rows are skipped).
#include "services/indicators/indicators_grpc.h"

#include "common/grpc_status.h"
#include "common/read_reactor.h"
#include "common/unary_call.h"

namespace uplift::indicators {
namespace {

class ImportReactor : public GuardedReadReactor<v1::ImportReportsRequest> {
 public:
  ImportReactor(IndicatorsService* service, const Authenticator* auth,
                absl::StatusOr<Principal> who, std::string rpc, v1::ImportReportsResponse* response)
      : GuardedReadReactor(auth, std::move(who), std::move(rpc)),
        service_(service),
        response_(response) {
    Begin();
  }

 private:
  absl::Status OnMessage(const Principal& who, const v1::ImportReportsRequest& batch) override {
    return service_->ImportBatch(who, batch, response_);
  }
  absl::Status OnEnd(const Principal&) override { return absl::OkStatus(); }

  IndicatorsService* const service_;
  v1::ImportReportsResponse* const response_;
};

}  // namespace

#define UPLIFT_INDICATORS_DEFINE(Method) \
  UPLIFT_SERVE_UNARY(IndicatorsGrpcService, v1::IndicatorAggregation, v1, Method)
UPLIFT_INDICATORS_UNARY_RPCS(UPLIFT_INDICATORS_DEFINE)
UPLIFT_SERVE_UNARY(IndicatorsGrpcService, v1::IndicatorAggregation, uplift::audit::v1,
                   ListAuditRecords)
#undef UPLIFT_INDICATORS_DEFINE

grpc::ServerReadReactor<v1::ImportReportsRequest>* IndicatorsGrpcService::ImportReports(
    grpc::CallbackServerContext* context, v1::ImportReportsResponse* response) {
  static const std::string kRpc =
      std::string(v1::IndicatorAggregation::service_full_name()) + "/ImportReports";
  return new ImportReactor(service_, auth_, AdmitCaller(*context, *auth_, kRpc), kRpc, response);
}

}  // namespace uplift::indicators

// RPC forwarding of the indicator service, and the ImportReports reader:
// each message (a batch of rows) is stored in one transaction before the
// next is read, so what the final response counts is durable; a failure
// ends the call with its status and keeps the batches already stored
// (importing the same file again is harmless: unchanged rows are skipped).
#include "services/indicators/indicators_grpc.h"

#include <spdlog/spdlog.h>

#include "common/grpc_status.h"
#include "common/unary_call.h"

namespace uplift::indicators {
namespace {

class ImportReactor : public grpc::ServerReadReactor<v1::ImportReportsRequest> {
 public:
  ImportReactor(IndicatorsService* service, absl::StatusOr<Principal> who,
                v1::ImportReportsResponse* response)
      : service_(service), response_(response) {
    if (!who.ok()) {
      Finish(ToGrpcStatus(who.status()));
      return;
    }
    who_ = *who;
    StartRead(&batch_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    absl::Status s;
    try {
      s = service_->ImportBatch(who_, batch_, response_);
    } catch (const std::exception& e) {
      spdlog::error("ImportReports: {}", e.what());
      s = absl::InternalError("internal error; the server logged the details");
    }
    if (!s.ok()) {
      Finish(ToGrpcStatus(s));
      return;
    }
    StartRead(&batch_);
  }

  void OnDone() override { delete this; }

 private:
  IndicatorsService* const service_;
  v1::ImportReportsResponse* const response_;
  Principal who_;
  v1::ImportReportsRequest batch_;
};

}  // namespace

#define UPLIFT_INDICATORS_DEFINE(Method)                                                         \
  grpc::ServerUnaryReactor* IndicatorsGrpcService::Method(                                      \
      grpc::CallbackServerContext* context, const v1::Method##Request* request,                 \
      v1::Method##Response* response) {                                                         \
    return ServeUnary(context, *auth_, service_, &IndicatorsService::Method, request, response); \
  }
UPLIFT_INDICATORS_UNARY_RPCS(UPLIFT_INDICATORS_DEFINE)
#undef UPLIFT_INDICATORS_DEFINE

grpc::ServerUnaryReactor* IndicatorsGrpcService::ListAuditRecords(
    grpc::CallbackServerContext* context,
    const uplift::audit::v1::ListAuditRecordsRequest* request,
    uplift::audit::v1::ListAuditRecordsResponse* response) {
  return ServeUnary(context, *auth_, service_, &IndicatorsService::ListAuditRecords, request,
                    response);
}

grpc::ServerReadReactor<v1::ImportReportsRequest>* IndicatorsGrpcService::ImportReports(
    grpc::CallbackServerContext* context, v1::ImportReportsResponse* response) {
  absl::StatusOr<Principal> who = auth_->Authenticate(*context);
  if (who.ok()) who->call_deadline = absl::FromChrono(context->deadline());
  return new ImportReactor(service_, std::move(who), response);
}

}  // namespace uplift::indicators

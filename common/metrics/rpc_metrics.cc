// Counting and timing calls in a server interceptor.
#include "common/metrics/rpc_metrics.h"

#include <chrono>

#include "absl/status/status.h"

namespace uplift::metrics {
namespace {

using grpc::experimental::InterceptionHookPoints;

class RpcMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcMetricsInterceptor(grpc::experimental::ServerRpcInfo* info, Counter* requests,
                        Histogram* duration)
      : info_(info),
        requests_(requests),
        duration_(duration),
        start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
      const std::string method = info_->method() != nullptr ? info_->method() : "";
      requests_->Increment({method, CodeName(methods->GetSendStatus().error_code())});
      duration_->Observe({method}, took.count());
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* const info_;
  Counter* const requests_;
  Histogram* const duration_;
  const std::chrono::steady_clock::time_point start_;
};

}  // namespace

std::string CodeName(int code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

RpcMetricsInterceptorFactory::RpcMetricsInterceptorFactory(Registry* registry)
    : requests_(registry->AddCounter("uplift_rpc_requests_total",
                                     "Calls answered, by method and status code.",
                                     {"method", "code"})),
      duration_(registry->AddHistogram("uplift_rpc_duration_seconds",
                                       "Time from a call's arrival to its status, by method.",
                                       {"method"}, LatencyBuckets())) {}

grpc::experimental::Interceptor* RpcMetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcMetricsInterceptor(info, requests_, duration_);
}

}  // namespace uplift::metrics

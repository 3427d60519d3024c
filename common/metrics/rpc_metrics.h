// Server interceptor that counts every call a service answers, by method
// and status code, and times it (uplift_rpc_requests_total,
// uplift_rpc_duration_seconds).
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "common/metrics/metrics.h"

namespace uplift::metrics {

class RpcMetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Registers the two families in `registry`, which must outlive the server.
  explicit RpcMetricsInterceptorFactory(Registry* registry);
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  Counter* const requests_;
  Histogram* const duration_;
};

// The name of a gRPC status code as Prometheus labels carry it ("NOT_FOUND").
std::string CodeName(int code);

}  // namespace uplift::metrics

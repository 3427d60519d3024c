// Counts and times every HTTP request uplift-web answers, for Prometheus:
// uplift_web_http_requests_total{route,code} and
// uplift_web_http_duration_seconds{route}. The route is the RPC's path when
// the catalog knows it ("/uplift.registry.v1.EnterpriseRegistry/ListEnterprises"),
// "/healthz" or "/readyz", "files" for the console's files, and "other" for
// anything else, so what a client makes up does not become a label. The
// code is the HTTP status; a stream counts when its head goes out.
#pragma once

#include <memory>

#include "common/metrics/metrics.h"
#include "services/web/http_server.h"
#include "services/web/rpc_catalog.h"

namespace uplift::web {

class HttpMetrics {
 public:
  // Registers the two families in `registry`; both arguments must outlive this.
  HttpMetrics(metrics::Registry* registry, const RpcCatalog* catalog);

  // `exchange`, answering through a wrapper that counts the answer.
  std::shared_ptr<HttpExchange> Count(const HttpRequest& request,
                                      std::shared_ptr<HttpExchange> exchange) const;

 private:
  class CountedExchange;
  std::string Route(const HttpRequest& request) const;

  const RpcCatalog* const catalog_;
  metrics::Counter* const requests_;
  metrics::Histogram* const duration_;
};

}  // namespace uplift::web

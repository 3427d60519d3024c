// The front door's requests counted and timed.
#include "services/web/http_metrics.h"

#include <chrono>
#include <string>

namespace uplift::web {

class HttpMetrics::CountedExchange : public HttpExchange {
 public:
  CountedExchange(const HttpMetrics* metrics, std::string route,
                  std::shared_ptr<HttpExchange> inner)
      : metrics_(metrics),
        route_(std::move(route)),
        inner_(std::move(inner)),
        start_(std::chrono::steady_clock::now()) {}

  void Reply(HttpResponse response) override {
    Record(response.result_int());
    inner_->Reply(std::move(response));
  }
  void StartStream(HttpResponse head) override {
    Record(head.result_int());
    inner_->StartStream(std::move(head));
  }
  void WriteChunk(std::string data, std::function<void(bool ok)> done) override {
    inner_->WriteChunk(std::move(data), std::move(done));
  }
  void EndStream(std::string last) override { inner_->EndStream(std::move(last)); }
  void OnClientGone(std::function<void()> fn) override { inner_->OnClientGone(std::move(fn)); }
  const std::string& client_address() const override { return inner_->client_address(); }
  bool secure() const override { return inner_->secure(); }

 private:
  void Record(unsigned status) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
    metrics_->requests_->Increment({route_, std::to_string(status)});
    metrics_->duration_->Observe({route_}, took.count());
  }

  const HttpMetrics* const metrics_;
  const std::string route_;
  const std::shared_ptr<HttpExchange> inner_;
  const std::chrono::steady_clock::time_point start_;
};

HttpMetrics::HttpMetrics(metrics::Registry* registry, const RpcCatalog* catalog)
    : catalog_(catalog),
      requests_(registry->AddCounter("uplift_web_http_requests_total",
                                     "HTTP requests answered, by route and HTTP status.",
                                     {"route", "code"})),
      duration_(registry->AddHistogram("uplift_web_http_duration_seconds",
                                       "Time from a request's arrival to its answer's head.",
                                       {"route"}, metrics::LatencyBuckets())) {}

std::shared_ptr<HttpExchange> HttpMetrics::Count(const HttpRequest& request,
                                                 std::shared_ptr<HttpExchange> exchange) const {
  return std::make_shared<CountedExchange>(this, Route(request), std::move(exchange));
}

std::string HttpMetrics::Route(const HttpRequest& request) const {
  const std::string target(request.target());
  if (request.method() == boost::beast::http::verb::post) {
    return catalog_->Find(target) != nullptr ? target : "other";
  }
  if (target == "/healthz" || target == "/readyz") return target;
  return request.method() == boost::beast::http::verb::get ? "files" : "other";
}

}  // namespace uplift::web

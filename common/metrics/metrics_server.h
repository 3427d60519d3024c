// The HTTP port Prometheus scrapes (--metrics-listen): GET /metrics answers
// the registry in the text format; anything else is 404 or 405. One thread
// serves one connection at a time, which is all a scraper needs; a request
// larger than 8 KiB is refused and one slower than five seconds dropped, so
// no client holds the port. Plain HTTP: keep the port on the private network.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "common/metrics/metrics.h"

namespace uplift::metrics {

class MetricsServer {
 public:
  // Listens on `listen` ("host:port"; port 0 picks a free one) and serves
  // `registry`, which must outlive the server. INVALID_ARGUMENT naming
  // --metrics-listen when the address is not host:port or cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& listen,
                                                              const Registry* registry);
  ~MetricsServer();  // stops serving
  int port() const { return port_; }

 private:
  MetricsServer(int listen_fd, int port, const Registry* registry);
  void Run();
  void Serve(int fd);

  const int listen_fd_;
  const int port_;
  const Registry* const registry_;
  int wake_[2] = {-1, -1};  // a pipe: written to stop
  std::thread thread_;
};

}  // namespace uplift::metrics

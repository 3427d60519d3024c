// The server bootstrap every service uses: listens (TLS or mutual TLS when
// configured), serves grpc.health.v1.Health and server reflection, installs
// the logging interceptor, writes the bound port, and on SIGTERM or SIGINT
// reports NOT_SERVING, drains calls for a grace period and stops.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "common/service_flags.h"

namespace uplift {

struct HostOptions {
  std::string name;  // "uplift-registry", for logs
  std::string listen;
  std::string port_file;
  TlsFiles tls;
  // In-flight calls get this long to finish; clients that keep an idle
  // connection open also hold shutdown up to this long.
  absl::Duration shutdown_grace = absl::Seconds(5);
  // Where the calls are counted and timed; none when null.
  metrics::Registry* metrics = nullptr;
};

class ServiceHost {
 public:
  // Call first in main, before any thread starts: SIGTERM, SIGINT and
  // SIGHUP are then taken by WaitForTermination instead of killing the
  // process, and Abseil's mutex deadlock detection (a debugging aid Debian's
  // build leaves on, paid on every lock) is turned off.
  static void PrepareProcess();

  ~ServiceHost();
  // Builds and starts the server with `services` (not owned; they must
  // outlive the host).
  absl::Status Start(const HostOptions& options, const std::vector<grpc::Service*>& services);
  int port() const { return port_; }
  // Blocks until a termination signal arrives.
  void WaitForTermination();
  // NOT_SERVING, drain for the grace period, stop. Idempotent.
  void Shutdown();

 private:
  HostOptions options_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// Server credentials from the TLS files (insecure when none are set).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& tls);

// Sets spdlog's level from "trace".."error"; unknown names are an error.
absl::Status SetLogLevel(const std::string& level);

}  // namespace uplift

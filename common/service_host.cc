// Server bootstrap: credentials, health, reflection, interceptors, signals.
#include "common/service_host.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/client_channel.h"
#include "common/logging_interceptor.h"
#include "common/metrics/rpc_metrics.h"
#include "common/validation.h"

namespace uplift {
namespace {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

absl::Status SetLogLevel(const std::string& level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--log-level: ", QuoteInput(level), " is not one of trace, debug, info, warn, error"));
  }
  spdlog::set_level(parsed);
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& tls) {
  if (tls.cert.empty()) return grpc::InsecureServerCredentials();
  absl::StatusOr<std::string> cert = ReadPemFile("--tls-cert", tls.cert);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPemFile("--tls-key", tls.key);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options(
      tls.client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                            : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  if (!tls.client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPemFile("--tls-client-ca", tls.client_ca);
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
  }
  options.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(options);
}

void ServiceHost::PrepareProcess() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

ServiceHost::~ServiceHost() { Shutdown(); }

absl::Status ServiceHost::Start(const HostOptions& options,
                                const std::vector<grpc::Service*>& services) {
  options_ = options;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> creds =
      MakeServerCredentials(options.tls);
  if (!creds.ok()) return creds.status();

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, *creds, &port_);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<LoggingInterceptorFactory>());
  if (options.metrics != nullptr) {
    interceptors.push_back(
        std::make_unique<metrics::RpcMetricsInterceptorFactory>(options.metrics));
  }
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat(options.name, ": cannot listen on ", options.listen,
                     " (address in use or not local?)"));
  }
  server_->GetHealthCheckService()->SetServingStatus(true);
  if (!options.port_file.empty()) {
    const std::string tmp = options.port_file + ".tmp";
    {
      std::ofstream out(tmp);
      out << port_ << "\n";
    }
    std::rename(tmp.c_str(), options.port_file.c_str());
  }
  const size_t colon = options.listen.rfind(':');
  spdlog::info("{} listening on {}:{}{}", options.name, options.listen.substr(0, colon), port_,
               options.tls.cert.empty() ? ""
               : options.tls.client_ca.empty() ? " (TLS)"
                                                : " (mutual TLS)");
  return absl::OkStatus();
}

void ServiceHost::WaitForTermination() {
  sigset_t set = TerminationSignals();
  int signal = 0;
  sigwait(&set, &signal);
  spdlog::info("{}: signal {} received, shutting down", options_.name, signal);
}

void ServiceHost::Shutdown() {
  if (server_ == nullptr) return;
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() +
                    absl::ToChronoMilliseconds(options_.shutdown_grace));
  server_->Wait();
  server_.reset();
  spdlog::info("{}: stopped", options_.name);
}

}  // namespace uplift

// Channel and context construction.
#include "common/client_channel.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"

namespace uplift {
namespace {

absl::StatusOr<std::string> ReadOptional(const std::string& flag, const std::string& path) {
  if (path.empty()) return std::string();
  return ReadPemFile(flag, path);
}

}  // namespace

absl::StatusOr<std::string> ReadPemFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& address,
                                                           const TlsFiles& tls, int connection) {
  if (address.empty()) return absl::InvalidArgumentError("service address is empty");
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  // Calls spread over every address the target resolves to: a name whose
  // DNS gives each replica of a service (compose's service name, a
  // headless Kubernetes service) reaches them all, and a replica that
  // fails is left out until it answers again.
  args.SetLoadBalancingPolicyName("round_robin");
  if (connection > 0) {
    args.SetInt("uplift.connection", connection);
  }
  if (!tls.enabled()) {
    return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions options;
  absl::StatusOr<std::string> ca = ReadOptional("--tls-ca", tls.ca);
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> cert = ReadOptional("--tls-cert", tls.cert);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadOptional("--tls-key", tls.key);
  if (!key.ok()) return key.status();
  options.pem_root_certs = *ca;
  options.pem_cert_chain = *cert;
  options.pem_private_key = *key;
  if (!tls.server_name_override.empty()) {
    args.SetSslTargetNameOverride(tls.server_name_override);
  }
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(options), args);
}

std::unique_ptr<grpc::ClientContext> MakeClientContext(const std::string& token,
                                                       absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
  return context;
}

std::unique_ptr<grpc::ClientContext> MakeClientContext(const CallAs& as, absl::Duration cap) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", as.bearer_token));
  context->set_deadline(absl::ToChronoTime(std::min(as.deadline, absl::Now() + cap)));
  return context;
}

absl::Status DependencyError(const grpc::Status& status, absl::string_view service,
                             absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  const absl::Status mapped = FromGrpcStatus(status);
  if (mapped.code() == absl::StatusCode::kUnavailable ||
      mapped.code() == absl::StatusCode::kDeadlineExceeded) {
    return absl::UnavailableError(
        absl::StrCat(service, " unreachable (", what, "): ", status.error_message()));
  }
  return absl::Status(mapped.code(), absl::StrCat(service, ": ", status.error_message()));
}

}  // namespace uplift

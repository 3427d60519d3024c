// Service flags and their checks.
#include "common/service_flags.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace uplift {

void AddServiceFlags(CLI::App& app, const std::string& service,
                     const std::string& default_listen, ServiceFlags* f) {
  f->listen = default_listen;
  app.add_option("--listen", f->listen, "address to serve gRPC on (host:port)")
      ->envname(absl::StrCat("UPLIFT_", service, "_LISTEN"))
      ->capture_default_str();
  app.add_option("--port-file", f->port_file, "write the bound port to this file");
  app.add_option("--data-dir", f->data_dir, "directory of this service's database")
      ->envname("UPLIFT_DATA_DIR")
      ->capture_default_str();
  app.add_option("--redis-addr", f->redis_addr, "redis-server: host:port or unix:/path")
      ->envname("UPLIFT_REDIS_ADDR");
  app.add_option("--redis-password", f->redis_password, "redis AUTH password")
      ->envname("UPLIFT_REDIS_PASSWORD");
  app.add_option("--auth-public-key", f->auth_public_key,
                 "PEM file of the Ed25519 key(s) that verify bearer tokens")
      ->envname("UPLIFT_AUTH_PUBLIC_KEY");
  app.add_option("--tls-cert", f->tls.cert, "PEM certificate: serve TLS")
      ->envname("UPLIFT_TLS_CERT");
  app.add_option("--tls-key", f->tls.key, "PEM private key of --tls-cert")
      ->envname("UPLIFT_TLS_KEY");
  app.add_option("--tls-client-ca", f->tls.client_ca,
                 "PEM CA: require client certificates signed by it (mutual TLS)")
      ->envname("UPLIFT_TLS_CLIENT_CA");
  app.add_option("--log-level", f->log_level, "trace, debug, info, warn, error")
      ->envname("UPLIFT_LOG_LEVEL")
      ->capture_default_str();
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(ss.str()));
}

absl::Status CheckServiceFlags(const ServiceFlags& f) {
  if (f.listen.empty()) {
    return absl::InvalidArgumentError("--listen is empty: give host:port to serve on");
  }
  if (f.redis_addr.empty()) {
    return absl::InvalidArgumentError(
        "--redis-addr (or UPLIFT_REDIS_ADDR) is required: the redis-server that carries "
        "events, e.g. 127.0.0.1:6379");
  }
  if (f.auth_public_key.empty()) {
    return absl::InvalidArgumentError(
        "--auth-public-key (or UPLIFT_AUTH_PUBLIC_KEY) is required: the PEM file written "
        "by `upliftctl auth init` (signing.pub)");
  }
  if (f.tls.cert.empty() != f.tls.key.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert and --tls-key (UPLIFT_TLS_CERT, UPLIFT_TLS_KEY) go together");
  }
  if (!f.tls.client_ca.empty() && f.tls.cert.empty()) {
    return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
  }
  if (f.data_dir.empty()) {
    return absl::InvalidArgumentError("--data-dir (or UPLIFT_DATA_DIR) is empty");
  }
  return absl::OkStatus();
}

absl::Status RequiredFlag(const std::string& value, const char* flag, const char* env, const char* what) {
  if (!value.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(flag, " (or ", env, ") is required: ", what));
}

void AddTestingClockFlag(CLI::App& app, std::string* offset_file) {
  app.add_option("--testing-clock-offset-file", *offset_file,
                 "TESTS AND DRILLS ONLY: shift this service's clock by the seconds in this file");
}

const Clock* ServiceClock(const std::string& service, const std::string& offset_file,
                          std::unique_ptr<Clock>* owned) {
  if (offset_file.empty()) return SystemClock::Get();
  spdlog::warn("{}: TEST CLOCK on, shifted by the seconds in {}", service, offset_file);
  *owned = std::make_unique<OffsetFileClock>(offset_file);
  return owned->get();
}

}  // namespace uplift

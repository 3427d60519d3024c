// Flags every service takes, each with an UPLIFT_* environment fallback, and
// the start-up check that fails fast with a message saying what to set.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "absl/status/statusor.h"
#include "common/clock.h"

namespace uplift {

struct TlsFiles {
  std::string cert;       // PEM certificate chain; TLS is on when set
  std::string key;        // PEM private key of `cert`
  std::string client_ca;  // server: require client certificates from this CA (mTLS)
  std::string ca;         // client: trust this CA instead of the system roots
  std::string server_name_override;  // client: expected server name (tests)
  bool enabled() const { return !cert.empty() || !ca.empty(); }
};

struct ServiceFlags {
  std::string listen;           // host:port; port 0 picks a free one
  std::string port_file;        // where to write the bound port (tests)
  std::string data_dir = "./data";
  std::string redis_addr;
  std::string redis_password;
  std::string auth_public_key;  // PEM file with the token verification key(s)
  TlsFiles tls;
  std::string log_level = "info";
};

// Adds the flags to `app`. `service` is the upper-case service name used in
// the listen variable, e.g. "REGISTRY" -> UPLIFT_REGISTRY_LISTEN.
void AddServiceFlags(CLI::App& app, const std::string& service,
                     const std::string& default_listen, ServiceFlags* flags);

// Required values present and consistent; the message names flag and variable.
absl::Status CheckServiceFlags(const ServiceFlags& flags);

// --testing-clock-offset-file: tests and drills shift a service's clock.
void AddTestingClockFlag(CLI::App& app, std::string* offset_file);
// The system clock, or, when `offset_file` is set, a clock shifted by the
// seconds in it (with a warning naming `service`); `owned` keeps it alive.
const Clock* ServiceClock(const std::string& service, const std::string& offset_file,
                          std::unique_ptr<Clock>* owned);

// OK if `value` is set; otherwise INVALID_ARGUMENT "<flag> (or <env>) is
// required: <what>".
absl::Status RequiredFlag(const std::string& value, const char* flag, const char* env, const char* what);

// The contents of a secret file (a token), surrounding spaces removed;
// NOT_FOUND naming `flag` if it cannot be read.
absl::StatusOr<std::string> ReadSecretFile(const std::string& flag, const std::string& path);

}  // namespace uplift

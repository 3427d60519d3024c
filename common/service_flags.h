// The flags every service takes, the same everywhere, each with an UPLIFT_*
// environment fallback, and the start-up checks that fail fast with a
// message saying what to set. ServiceRuntime adds them; a service adds only
// its own on top.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
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
  std::string listen;     // host:port; port 0 picks a free one
  std::string port_file;  // where to write the bound port (tests)
  std::string data_dir = "./data";
  // sqlite:<path> or postgresql://user:password@host:port/database; empty:
  // sqlite:<data_dir>/<service>.db.
  std::string database_url;
  std::string log_level = "info";
  std::string log_format = "text";     // or "json": one JSON object a line
  std::string metrics_listen;          // host:port of the Prometheus metrics; empty: none
  bool allow_insecure_listen = false;  // serve beyond loopback without TLS
  TlsFiles tls;

  std::string redis_addr;
  std::string redis_user;  // default: the service's name
  int redis_wait_replicas = 0;  // the outbox marks a row sent once this many replicas have it
  // This service's secrets: redis.password, events.key, page-token.key and,
  // for services that call others, service.token (upliftctl auth init).
  std::string secrets_dir;
  // The deployment's public keys: tokens.pub and events-<service>.pub.
  std::string public_keys_dir;
  std::string token_audience;  // default: the service's name

  std::string consumer_name;   // this replica in consumer groups and leases
  std::string claim_idle = "30s";
  int max_deliveries = 5;
  int consume_batch = 64;  // entries per XREADGROUP, applied in one transaction
  int handler_threads = 16;  // threads running RPC handlers (HandlerPool)
  std::string redis_memory_alarm = "1024MB";
  std::string testing_clock_offset_file;
  bool testing_rehearse_transactions = false;
  std::string env_prefix;  // "UPLIFT_REGISTRY_": names the service's own variables in errors
};

// Adds the flags to `app` for `service` ("uplift-registry"); its upper-case
// short name ("REGISTRY") names the service's own variables, e.g.
// UPLIFT_REGISTRY_LISTEN, and `default_port` the default listen address.
void AddServiceFlags(CLI::App& app, const std::string& service, const std::string& env,
                     int default_port, ServiceFlags* flags);

// Required values present and consistent; the message names flag and variable.
absl::Status CheckServiceFlags(const ServiceFlags& flags);

// True for 127.0.0.0/8, ::1, localhost and unix sockets.
bool IsLoopbackListen(const std::string& listen);

// OK if `value` is set; otherwise INVALID_ARGUMENT "<flag> (or <env>) is
// required: <what>".
absl::Status RequiredFlag(const std::string& value, const std::string& flag,
                          const std::string& env, const std::string& what);

// A duration flag such as "30s" or "24h", positive.
absl::StatusOr<absl::Duration> ParseDurationFlag(const char* flag, const std::string& value);

// "512MB", "1GB", "1048576": a size in bytes.
absl::StatusOr<int64_t> ParseSizeFlag(const char* flag, const std::string& value);

// The system clock, or, when `offset_file` is set, a clock shifted by the
// seconds in it (with a warning naming `service`); `owned` keeps it alive.
const Clock* ServiceClock(const std::string& service, const std::string& offset_file,
                          std::unique_ptr<Clock>* owned);

}  // namespace uplift

// Service flags and their checks.
#include "common/service_flags.h"

#include <spdlog/spdlog.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"

namespace uplift {

void AddServiceFlags(CLI::App& app, const std::string& service, const std::string& env,
                     int default_port, ServiceFlags* f) {
  const std::string own = absl::StrCat("UPLIFT_", env, "_");
  f->env_prefix = own;
  f->listen = absl::StrCat("127.0.0.1:", default_port);
  f->redis_user = service;
  f->token_audience = service;
  app.add_option("--listen", f->listen,
                 "address to serve gRPC on (host:port); beyond loopback it needs TLS or "
                 "--allow-insecure-listen")
      ->envname(own + "LISTEN")
      ->capture_default_str();
  app.add_option("--port-file", f->port_file, "write the bound port to this file");
  app.add_option("--data-dir", f->data_dir, "directory of this service's database (made 0700)")
      ->envname("UPLIFT_DATA_DIR")
      ->capture_default_str();
  app.add_option("--database-url", f->database_url,
                 "this service's database: sqlite:<path> (default: <data-dir>/<service>.db) or "
                 "postgresql://user:password@host:port/database")
      ->envname(own + "DATABASE_URL");
  app.add_option("--metrics-listen", f->metrics_listen,
                 "serve Prometheus metrics over HTTP on host:port (GET /metrics); none when empty")
      ->envname(own + "METRICS_LISTEN");
  app.add_option("--log-format", f->log_format,
                 "text, or json: one JSON object a line with the call's request id and subject")
      ->envname("UPLIFT_LOG_FORMAT")
      ->capture_default_str();
  app.add_option("--log-level", f->log_level, "trace, debug, info, warn, error")
      ->envname("UPLIFT_LOG_LEVEL")
      ->capture_default_str();
  app.add_flag("--allow-insecure-listen", f->allow_insecure_listen,
               "serve beyond loopback without TLS: bearer tokens then cross the network in clear")
      ->envname("UPLIFT_ALLOW_INSECURE_LISTEN");
  app.add_option("--tls-cert", f->tls.cert, "PEM certificate: serve TLS (and present it to peers)")
      ->envname("UPLIFT_TLS_CERT");
  app.add_option("--tls-key", f->tls.key, "PEM private key of --tls-cert")
      ->envname("UPLIFT_TLS_KEY");
  app.add_option("--tls-client-ca", f->tls.client_ca,
                 "PEM CA: require client certificates signed by it (mutual TLS)")
      ->envname("UPLIFT_TLS_CLIENT_CA");
  app.add_option("--tls-ca", f->tls.ca, "PEM CA: trust it when calling the other services")
      ->envname("UPLIFT_TLS_CA");
  app.add_option("--redis-addr", f->redis_addr,
                 "redis-server: host:port, unix:/path, or its sentinels: "
                 "sentinel://host:port,host:port/master-name")
      ->envname("UPLIFT_REDIS_ADDR");
  app.add_option("--redis-wait-replicas", f->redis_wait_replicas,
                 "publish an event only once this many Redis replicas have it (WAIT); 0: the "
                 "master alone")
      ->envname("UPLIFT_REDIS_WAIT_REPLICAS")
      ->check(CLI::Range(0, 16))
      ->capture_default_str();
  app.add_option("--redis-user", f->redis_user, "this service's Redis ACL user")
      ->envname(own + "REDIS_USER")
      ->capture_default_str();
  app.add_option("--secrets-dir", f->secrets_dir,
                 "this service's secrets: redis.password, events.key, page-token.key, "
                 "service.token (upliftctl auth init)")
      ->envname(own + "SECRETS_DIR");
  app.add_option("--public-keys-dir", f->public_keys_dir,
                 "the deployment's public keys: tokens.pub, events-<service>.pub")
      ->envname("UPLIFT_PUBLIC_KEYS_DIR");
  app.add_option("--token-audience", f->token_audience,
                 "accept only bearer tokens issued for this audience")
      ->envname(own + "TOKEN_AUDIENCE")
      ->capture_default_str();
  app.add_option("--consumer-name", f->consumer_name,
                 "this replica's name in consumer groups and leases (default host-pid)")
      ->envname(own + "CONSUMER_NAME");
  app.add_option("--claim-idle", f->claim_idle,
                 "reclaim stream entries a dead consumer held this long")
      ->envname("UPLIFT_CLAIM_IDLE")
      ->capture_default_str();
  app.add_option("--max-deliveries", f->max_deliveries,
                 "attempts before a stream entry is dead-lettered")
      ->envname("UPLIFT_MAX_DELIVERIES")
      ->capture_default_str();
  app.add_option("--consume-batch", f->consume_batch,
                 "stream entries read at once and applied in one transaction (one disk flush)")
      ->envname("UPLIFT_CONSUME_BATCH")
      ->capture_default_str();
  app.add_option("--handler-threads", f->handler_threads,
                 "threads running RPC handlers: calls waiting for the disk or another service "
                 "at once")
      ->envname("UPLIFT_HANDLER_THREADS")
      ->capture_default_str();
  app.add_option("--redis-memory-alarm", f->redis_memory_alarm,
                 "log an alarm when Redis uses more memory than this")
      ->envname("UPLIFT_REDIS_MEMORY_ALARM")
      ->capture_default_str();
  app.add_option("--testing-clock-offset-file", f->testing_clock_offset_file,
                 "TESTS AND DRILLS ONLY: shift this service's clock by the seconds in this file");
  app.add_flag("--testing-rehearse-transactions", f->testing_rehearse_transactions,
               "TESTS ONLY (PostgreSQL): run each transaction's work twice, the first run undone, "
               "as a serialization conflict does");
}

bool IsLoopbackListen(const std::string& listen) {
  if (absl::StartsWith(listen, "unix:")) return true;
  const size_t colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) host = host.substr(1, host.size() - 2);
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::Status CheckServiceFlags(const ServiceFlags& f) {
  if (f.listen.empty()) {
    return absl::InvalidArgumentError("--listen is empty: give host:port to serve on");
  }
  for (absl::Status s :
       {RequiredFlag(f.redis_addr, "--redis-addr", "UPLIFT_REDIS_ADDR",
                     "the redis-server that carries events, e.g. 127.0.0.1:6379"),
        RequiredFlag(f.secrets_dir, "--secrets-dir",
                     (f.env_prefix.empty() ? "UPLIFT_<SVC>_" : f.env_prefix) + "SECRETS_DIR",
                     "this service's secrets directory, written by `upliftctl auth init`"),
        RequiredFlag(f.public_keys_dir, "--public-keys-dir", "UPLIFT_PUBLIC_KEYS_DIR",
                     "the public keys directory, written by `upliftctl auth init`"),
        RequiredFlag(f.data_dir, "--data-dir", "UPLIFT_DATA_DIR", "where the database lives")}) {
    if (!s.ok()) return s;
  }
  if (f.tls.cert.empty() != f.tls.key.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert and --tls-key (UPLIFT_TLS_CERT, UPLIFT_TLS_KEY) go together");
  }
  if (!f.tls.client_ca.empty() && f.tls.cert.empty()) {
    return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
  }
  if (f.tls.cert.empty() && !IsLoopbackListen(f.listen) && !f.allow_insecure_listen) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen ", f.listen, " is beyond loopback and TLS is off, so bearer tokens would "
        "cross the network in clear: set --tls-cert and --tls-key, or --allow-insecure-listen "
        "(UPLIFT_ALLOW_INSECURE_LISTEN) if a trusted network or proxy carries the traffic"));
  }
  if (f.max_deliveries < 1) return absl::InvalidArgumentError("--max-deliveries: at least 1");
  if (f.consume_batch < 1 || f.consume_batch > 1000) {
    return absl::InvalidArgumentError("--consume-batch: from 1 to 1000");
  }
  if (f.handler_threads < 1 || f.handler_threads > 256) {
    return absl::InvalidArgumentError("--handler-threads: from 1 to 256");
  }
  return absl::OkStatus();
}

absl::Status RequiredFlag(const std::string& value, const std::string& flag,
                          const std::string& env, const std::string& what) {
  if (!value.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(flag, " (or ", env, ") is required: ", what));
}

absl::StatusOr<absl::Duration> ParseDurationFlag(const char* flag, const std::string& value) {
  absl::Duration d;
  if (!absl::ParseDuration(value, &d) || d <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": ", QuoteInput(value), " is not a duration such as 30s, 5m or 24h"));
  }
  return d;
}

absl::StatusOr<int64_t> ParseSizeFlag(const char* flag, const std::string& value) {
  std::string text = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(value));
  int64_t unit = 1;
  for (const auto& [suffix, bytes] :
       {std::pair<const char*, int64_t>{"GB", int64_t{1} << 30}, {"MB", int64_t{1} << 20},
        {"KB", int64_t{1} << 10}, {"B", 1}}) {
    if (absl::EndsWith(text, suffix)) {
      text = text.substr(0, text.size() - std::string(suffix).size());
      unit = bytes;
      break;
    }
  }
  int64_t n = 0;
  if (!absl::SimpleAtoi(text, &n) || n <= 0 || n > (int64_t{1} << 50) / unit) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": ", QuoteInput(value), " is not a size such as 512MB or 2GB"));
  }
  return n * unit;
}

const Clock* ServiceClock(const std::string& service, const std::string& offset_file,
                          std::unique_ptr<Clock>* owned) {
  if (offset_file.empty()) return SystemClock::Get();
  spdlog::warn("{}: TEST CLOCK on, shifted by the seconds in {}", service, offset_file);
  *owned = std::make_unique<OffsetFileClock>(offset_file);
  return owned->get();
}

}  // namespace uplift

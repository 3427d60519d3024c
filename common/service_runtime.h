// The shared runtime of every service: what a main.cc used to wire by hand,
// once. It owns, in the order it sets them up:
//   flags (the same everywhere, service_flags.h), the log level, the clock,
//   the data directory (0700), the service's secrets and the deployment's
//   public keys, the database with the common and the service's migrations,
//   the page-token key, the authenticator (audience, revocations), Redis;
// and, once Serve is called, starts:
//   the gRPC host (TLS, health, reflection, logging), the outbox relay (for
//   a service that publishes), the revocation watcher, one consumer per
//   stream the service consumes (through its EventRouter), periodic work
//   (once per period across replicas sharing the database), housekeeping
//   (dead-letter trimming, purging processed event ids and idempotency keys,
//   the Redis memory alarm), the Prometheus metrics port (--metrics-listen),
//   and the service's own components;
// and on SIGTERM stops them in reverse order.
//
// A main.cc is then a short list of what the service adds:
//
//   ServiceRuntime rt("uplift-registry", "the enterprise registry", {RegistryMigrations()});
//   rt.app().add_option("--cache-entries", ...);
//   if (std::optional<int> exit = rt.Init(argc, argv)) return *exit;
//   RegistryService service(rt.db(), rt.clock(), ...);
//   RegistryGrpcService grpc(&service, &rt.auth());
//   return rt.Serve({&grpc});
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/revocation_list.h"
#include "common/client_channel.h"
#include "common/clock.h"
#include "common/event_router.h"
#include "common/event_signature.h"
#include "common/metrics/metrics.h"
#include "common/redis_client.h"
#include "common/service_flags.h"
#include "common/sql/store.h"

namespace uplift {

class ServiceRuntime {
 public:
  // `name` must be a service of the suite (suite.textproto).
  ServiceRuntime(std::string name, std::string summary, std::vector<MigrationSet> migrations);
  ~ServiceRuntime();

  // Add the service's own flags here before Init.
  CLI::App& app() { return app_; }

  // Parses the flags and sets up everything above Serve. Returns the exit
  // code to leave main with (help, bad flags, a failed set-up, logged), or
  // nullopt to go on.
  std::optional<int> Init(int argc, char** argv);

  const ServiceFlags& flags() const { return flags_; }
  const std::string& name() const { return name_; }
  // The service's database, on the engine --database-url names.
  sql::Store* db() { return db_.get(); }
  const Clock* clock() const { return clock_; }
  const Authenticator& auth() const { return *auth_; }
  // A Redis connection for the service's own commands (not for blocking reads).
  RedisClient* redis() { return redis_.get(); }
  // This service's SERVICE token, for calls no caller is behind ("" if the
  // suite says it calls no one).
  const std::string& service_token() const { return service_token_; }
  // "<host>-<pid>" or --consumer-name.
  const std::string& replica() const { return flags_.consumer_name; }
  // A channel to another service, with TLS as configured (`connection`:
  // see MakeChannel).
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(const std::string& address,
                                                         int connection = 0) const;
  // A required address flag of the service's own, checked at Init.
  void RequireAddress(std::string* address, const std::string& flag, const std::string& env,
                      const std::string& what);

  // The process's Prometheus metrics, served on --metrics-listen: the
  // runtime's own (calls, outbox, consumer groups, pool); a service adds
  // its gauges here before Serve.
  metrics::Registry& metrics() { return metrics_; }

  // The service's event handlers; every stream the suite says it consumes
  // is read into it.
  EventRouter& router() { return *router_; }
  const EventVerifier& event_verifier() const { return *event_verifier_; }

  // Runs `fn` every `interval` on one replica at a time (a lease named
  // after `name` in the database).
  void Every(const std::string& name, absl::Duration interval, std::function<void()> fn);
  // A component of the service's own: started after the server, stopped
  // (in reverse order) before it drains.
  void Add(std::function<void()> start, std::function<void()> stop);
  // Called with the bound port once the server listens, before the
  // components start.
  void OnServing(std::function<void(int port)> fn) { on_serving_ = std::move(fn); }

  // Serves `services` until SIGTERM or SIGINT, then stops everything in
  // reverse order. Returns main's exit code.
  int Serve(const std::vector<grpc::Service*>& services);

 private:
  absl::Status SetUp();
  void AddHousekeeping();

  struct Component {
    std::function<void()> start, stop;
  };
  struct Required {
    std::string* value;
    std::string flag, env, what;
  };

  const std::string name_;
  const std::vector<MigrationSet> migrations_;
  CLI::App app_;
  ServiceFlags flags_;
  std::vector<Required> required_;
  std::unique_ptr<Clock> owned_clock_;
  const Clock* clock_ = nullptr;
  std::unique_ptr<sql::Store> db_;
  RevocationList revocations_;
  std::unique_ptr<Authenticator> auth_;
  std::string redis_password_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<EventSigner> event_signer_;
  std::unique_ptr<EventVerifier> event_verifier_;
  std::unique_ptr<EventRouter> router_;
  std::string service_token_;
  std::vector<Component> components_;
  std::function<void(int)> on_serving_;
  std::vector<std::unique_ptr<RedisClient>> connections_;  // one per blocking reader
  metrics::Registry metrics_;
};

}  // namespace uplift

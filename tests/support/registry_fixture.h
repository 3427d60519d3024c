// A running registry for integration tests: a real redis-server and a real
// uplift-registry process on free ports, keys and tokens, a stub, seed data
// and a reader of the events stream.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "common/sql/store.h"
#include "common/stream_event.h"
#include "services/registry/test_codes.h"
#include "tests/support/redis_sentinels.h"
#include "tests/support/test_env.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift::testing {

namespace rv1 = uplift::registry::v1;

// One redis-server, or (for the HA fault suite) a master, its replica and
// three sentinels, which the services and the fixture's own clients ask
// for the master, outboxes waiting for the replica.
enum class RedisSetup { kOneServer, kSentinels };

class RegistryFixture {
 public:
  explicit RegistryFixture(RedisSetup redis_setup = RedisSetup::kOneServer);
  ~RegistryFixture();

  void StartRegistry();
  int StopRegistry();  // SIGTERM; returns the exit status
  void KillRegistry();
  // Replica `n` (1, 2, ...) of uplift-registry beside the first, on its
  // database; `port` 0 picks a free one (a restart passes the old one).
  // Returns its address.
  std::string StartRegistryReplica(int n, int port = 0);
  Process& registry_replica(int n) { return *registry_replicas_.at(n); }
  RedisServer& redis() { return *redis_; }  // the first master
  // kSentinels: the first master's replica.
  RedisServer& redis_replica() { return *redis_replica_; }
  // The operators' user at the master as it is now (asking the sentinels).
  RedisOptions RedisAdmin() const;
  // kSentinels: the port of the master the sentinels name now.
  int RedisMasterPort() const;
  TestKeys& keys() { return *keys_; }
  const TempDir& dir() const { return dir_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t registry_pid() const { return registry_->pid(); }
  std::string RegistryLog() const;
  // The flags every service of the suite takes here: listen on a free port
  // (written to `port_file`), its data in `data_dir` under the fixture's
  // directory, this Redis, its secrets and the public keys. With
  // UPLIFT_TEST_ENGINE=postgresql (ctest runs the integration suite so a
  // second time) each service's database is one of its own on the test
  // process's PostgreSQL server, the same one each time it restarts.
  std::vector<std::string> ServiceArgs(const std::string& service, const std::string& port_file,
                                       const std::string& data_dir) const;

  // Starts `bin`, the process `name` (its log <name>.log, its port file) of
  // `service` with ServiceArgs on `data_dir` plus `extra`, listening on
  // `port` (0: a free one). Returns its port.
  int LaunchService(const std::string& bin, const std::string& service, const std::string& name,
                    const std::string& data_dir, int port, const std::vector<std::string>& extra,
                    std::unique_ptr<Process>* process) const;

  // The database of the service keeping its data in `data_dir` (`file` on
  // SQLite), opened beside the service (tests read what it stored).
  std::unique_ptr<sql::Store> ServiceDatabase(const std::string& data_dir,
                                              const std::string& file) const;

  rv1::EnterpriseRegistry::Stub& stub() { return *stub_; }
  // A context with `token` and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token);
  std::string admin_token;

  // Units dept-kgx (DEPARTMENT), leader-equipment (CITY_LEADER), town-a and
  // town-b (TOWNSHIP), and cluster "equipment".
  void SeedBasics();
  // A registered enterprise with the n-th test code in `township`.
  rv1::Enterprise CreateEnterprise(int n, const std::string& township = "town-a");

  // Publishes `payload` on its stream as `service` would (signed with its
  // key), about `subject` at `version`; returns the event id. Retries until
  // Redis accepts it.
  std::string Publish(const std::string& service, const std::string& subject, int64_t version,
                      const google::protobuf::Message& payload);
  // Every entry on `stream`, oldest first.
  std::vector<StreamEvent> ReadStream(const std::string& stream);
  // Polls until `stream` holds at least `count` entries or `timeout` passes.
  std::vector<StreamEvent> WaitForEvents(const std::string& stream, size_t count,
                                         absl::Duration timeout = absl::Seconds(20));

 private:
  void StartRedisReplicaAndSentinels();

  TempDir dir_;
  mutable std::map<std::string, std::string> database_urls_;  // data_dir -> URL
  std::unique_ptr<TestKeys> keys_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<RedisServer> redis_replica_;
  std::unique_ptr<RedisSentinels> sentinels_;
  std::unique_ptr<Process> registry_;
  std::map<int, std::unique_ptr<Process>> registry_replicas_;
  int port_ = 0;
  std::unique_ptr<rv1::EnterpriseRegistry::Stub> stub_;
};

using uplift::registry::TestCreditCode;

}  // namespace uplift::testing

// Registry fixture: processes, stub, seed data, stream reader.
#include "tests/support/registry_fixture.h"

#include <filesystem>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/client_channel.h"
#include "common/event_signature.h"
#include "common/redis_acl.h"
#include "common/redis_client.h"
#include "common/suite_catalog.h"
#include "common/time_util.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_events.h"
#include "tests/support/test_store.h"

namespace uplift::testing {

RegistryFixture::RegistryFixture(RedisSetup redis_setup) {
  keys_ = std::make_unique<TestKeys>(dir_.File("auth"));
  admin_token = keys_->Token(uplift::auth::v1::ROLE_ADMIN, "", "admin");
  redis_ = std::make_unique<RedisServer>(dir_.File("redis"), keys_->redis_acl_file(),
                                         keys_->redis_admin_password());
  redis_->Start();
  if (redis_setup == RedisSetup::kSentinels) StartRedisReplicaAndSentinels();
  StartRegistry();
}

void RegistryFixture::StartRedisReplicaAndSentinels() {
  redis_replica_ = std::make_unique<RedisServer>(
      dir_.File("redis-replica"), keys_->redis_acl_file(), keys_->redis_admin_password());
  redis_replica_->ReplicaOf(redis_->port());
  redis_replica_->Start();
  // Synced before the services start: a master killed before its replica's
  // first sync takes everything with it, consumer groups included.
  if (!redis_replica_->WaitForMasterLink())
    throw std::runtime_error("the Redis replica never synced");
  sentinels_ = std::make_unique<RedisSentinels>(dir_.File("sentinels"), "uplift", redis_->port());
  sentinels_->AuthenticateAs(kRedisAdminUser, keys_->redis_admin_password());
  sentinels_->Start();
  sentinels_->WaitForReplicas(1);
}

RedisOptions RegistryFixture::RedisAdmin() const {
  RedisOptions options = redis_->AdminOptions();
  if (sentinels_ != nullptr) options.address = sentinels_->Address();
  return options;
}

int RegistryFixture::RedisMasterPort() const {
  return sentinels_ != nullptr ? sentinels_->MasterPort() : redis_->port();
}

RegistryFixture::~RegistryFixture() {
  for (auto& [n, replica] : registry_replicas_) replica->Kill();
  if (registry_ != nullptr) registry_->Kill();
}

void RegistryFixture::StartRegistry() {
  const std::string port_file = dir_.File("registry.port");
  std::filesystem::remove(port_file);
  registry_ = std::make_unique<Process>(
      UPLIFT_REGISTRY_BIN, ServiceArgs("uplift-registry", port_file, "registry-data"),
      dir_.File("registry.log"));
  registry_->Start();
  port_ = WaitForPortFile(port_file);
  stub_ = rv1::EnterpriseRegistry::NewStub(*MakeChannel(address(), {}));
}

int RegistryFixture::StopRegistry() {
  stub_.reset();  // close our connection so shutdown need not wait for it
  return registry_->Terminate();
}

void RegistryFixture::KillRegistry() { registry_->Kill(); }

std::string RegistryFixture::StartRegistryReplica(int n, int port) {
  const std::string name = absl::StrCat("registry-", n);
  return absl::StrCat("127.0.0.1:",
                      LaunchService(UPLIFT_REGISTRY_BIN, "uplift-registry", name, "registry-data",
                                    port, {"--consumer-name", name}, &registry_replicas_[n]));
}

int RegistryFixture::LaunchService(const std::string& bin, const std::string& service,
                                   const std::string& name, const std::string& data_dir, int port,
                                   const std::vector<std::string>& extra,
                                   std::unique_ptr<Process>* process) const {
  const std::string port_file = dir_.File(name + ".port");
  std::filesystem::remove(port_file);
  std::vector<std::string> args = ServiceArgs(service, port_file, data_dir);
  for (std::string& arg : args) {
    if (arg == "127.0.0.1:0") arg = absl::StrCat("127.0.0.1:", port);
  }
  args.insert(args.end(), extra.begin(), extra.end());
  *process = std::make_unique<Process>(bin, args, dir_.File(name + ".log"));
  (*process)->Start();
  return WaitForPortFile(port_file);
}

std::string RegistryFixture::RegistryLog() const { return registry_->Log(); }

std::vector<std::string> RegistryFixture::ServiceArgs(const std::string& service,
                                                      const std::string& port_file,
                                                      const std::string& data_dir) const {
  std::vector<std::string> args = {"--listen",          "127.0.0.1:0",
                                   "--port-file",       port_file,
                                   "--data-dir",        dir_.File(data_dir),
                                   "--redis-addr",      RedisAdmin().address,
                                   "--secrets-dir",     keys_->secrets_dir(service),
                                   "--public-keys-dir", keys_->public_keys_dir()};
  if (sentinels_ != nullptr) args.insert(args.end(), {"--redis-wait-replicas", "1"});
  if (TestEngine() == sql::Engine::kPostgres) {
    auto [it, made] = database_urls_.try_emplace(data_dir);
    if (made) it->second = NewDatabaseUrl();
    args.insert(args.end(), {"--database-url", it->second});
  }
  return args;
}

std::unique_ptr<sql::Store> RegistryFixture::ServiceDatabase(const std::string& data_dir,
                                                             const std::string& file) const {
  auto url = database_urls_.find(data_dir);
  absl::StatusOr<std::unique_ptr<sql::Store>> db = sql::OpenStore(
      url != database_urls_.end() ? url->second : "sqlite:" + dir_.File(data_dir + "/" + file), {});
  if (!db.ok()) throw std::runtime_error("open the service's database: " + db.status().ToString());
  return std::move(*db);
}

std::unique_ptr<grpc::ClientContext> RegistryFixture::Ctx(const std::string& token) {
  return MakeClientContext(token, absl::Seconds(10));
}

void RegistryFixture::SeedBasics() {
  auto unit = [&](const std::string& id, const std::string& name, rv1::UnitKind kind) {
    rv1::CreateUnitRequest req;
    req.mutable_unit()->set_unit_id(id);
    req.mutable_unit()->set_name(name);
    req.mutable_unit()->set_kind(kind);
    rv1::CreateUnitResponse resp;
    grpc::Status s = stub_->CreateUnit(Ctx(admin_token).get(), req, &resp);
    if (!s.ok()) throw std::runtime_error("seed unit: " + s.error_message());
  };
  unit("dept-kgx", "市科学技术和工业信息化局", rv1::UNIT_KIND_DEPARTMENT);
  unit("leader-equipment", "装备制造集群包联市领导", rv1::UNIT_KIND_CITY_LEADER);
  unit("town-a", "承安镇", rv1::UNIT_KIND_TOWNSHIP);
  unit("town-b", "东王镇", rv1::UNIT_KIND_TOWNSHIP);
  rv1::CreateClusterRequest req;
  req.mutable_cluster()->set_cluster_id("equipment");
  req.mutable_cluster()->set_name("装备制造产业集群");
  req.mutable_cluster()->set_liaison_leader_unit_id("leader-equipment");
  req.mutable_cluster()->set_lead_department_unit_id("dept-kgx");
  rv1::CreateClusterResponse resp;
  grpc::Status s = stub_->CreateCluster(Ctx(admin_token).get(), req, &resp);
  if (!s.ok()) throw std::runtime_error("seed cluster: " + s.error_message());
}

rv1::Enterprise RegistryFixture::CreateEnterprise(int n, const std::string& township) {
  rv1::CreateEnterpriseRequest req;
  rv1::Enterprise* e = req.mutable_enterprise();
  e->set_credit_code(TestCreditCode(n));
  e->set_name("新乐市测试企业" + std::to_string(n) + "有限公司");
  e->set_cluster_id("equipment");
  e->set_township_id(township);
  rv1::CreateEnterpriseResponse resp;
  grpc::Status s = stub_->CreateEnterprise(Ctx(admin_token).get(), req, &resp);
  if (!s.ok()) throw std::runtime_error("create enterprise: " + s.error_message());
  return resp.enterprise();
}

std::string RegistryFixture::Publish(const std::string& service, const std::string& subject,
                                     int64_t version, const google::protobuf::Message& payload) {
  absl::StatusOr<Ed25519PrivateKey> key =
      Ed25519PrivateKey::FromPemFile("events.key", keys_->secrets_dir(service) + "/events.key");
  if (!key.ok()) throw std::runtime_error(std::string(key.status().message()));
  const EventSigner signer(std::move(*key));
  const std::string stream = *StreamOfMessage(payload.GetDescriptor());
  StreamEvent ev = TestEvent(payload, service, subject, version);
  signer.Sign(stream, &ev);
  RedisClient client(RedisAdmin());
  for (;;) {
    if (client.Command(XAddCommand(stream, "*", ev)).ok()) return ev.event_id;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::vector<StreamEvent> RegistryFixture::ReadStream(const std::string& stream) {
  RedisClient client(RedisAdmin());
  std::vector<StreamEvent> events;
  absl::StatusOr<RedisReply> reply = client.Command({"XRANGE", stream, "-", "+"});
  if (!reply.ok()) return events;
  for (const RedisReply& entry : reply->elements) {
    absl::StatusOr<StreamEvent> e = ParseStreamEntry(entry);
    if (e.ok()) events.push_back(*e);
  }
  return events;
}

std::vector<StreamEvent> RegistryFixture::WaitForEvents(const std::string& stream, size_t count,
                                                        absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::vector<StreamEvent> events = ReadStream(stream);
  while (events.size() < count && absl::Now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    events = ReadStream(stream);
  }
  return events;
}

}  // namespace uplift::testing

// Test support implementation: fork/exec, ports, redis-server, keys.
#include "tests/support/test_env.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/token.h"
#include "common/deployment_secrets.h"
#include "common/ids.h"
#include "common/redis_acl.h"
#include "common/redis_client.h"
#include "common/secret_files.h"
#include "common/suite_catalog.h"

namespace uplift::testing {

Principal TestPrincipal(Role role, const std::string& unit_id, const std::string& subject) {
  Principal p;
  p.role = role;
  p.unit_id = unit_id;
  p.subject = subject;
  return p;
}


TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = absl::StrCat(base != nullptr ? base : "/tmp", "/uplift-test-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

Process::Process(std::string binary, std::vector<std::string> args, std::string log_file,
                 std::map<std::string, std::string> env)
    : binary_(std::move(binary)),
      args_(std::move(args)),
      log_file_(std::move(log_file)),
      env_(std::move(env)) {}

Process::~Process() {
  if (pid_ > 0) Kill();
}

void Process::Start() {
  // Everything the child needs is built before fork: a child of this
  // multi-threaded process may only make async-signal-safe calls until it
  // execs. Another thread may hold the allocator's lock at the moment of
  // fork (glibc's malloc takes care of that; the sanitizers' allocator
  // does not), and a child that allocated would wait on it for ever —
  // an ASan uplift-notify once "never listened" after a restart this way.
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    if (env_.count(entry.substr(0, entry.find('='))) == 0) environment.push_back(entry);
  }
  for (const auto& [k, v] : env_) environment.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (std::string& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> argv;
  argv.push_back(binary_.data());
  for (std::string& a : args_) argv.push_back(a.data());
  argv.push_back(nullptr);
  sigset_t none;
  sigemptyset(&none);

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int fd = open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    // Children must not inherit a blocked signal mask.
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(binary_.c_str(), argv.data(), envp.data());
    _exit(127);
  }
}

bool Process::Running() {
  if (pid_ <= 0) return false;
  int status;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int Process::Terminate(absl::Duration grace) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + grace;
  int status = 0;
  while (absl::Now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return 137;
}

int Process::Wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void Process::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string Process::Log() const {
  std::ifstream in(log_file_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RedisServer::RedisServer(const std::string& dir, std::string acl_file, std::string admin_password)
    : dir_(dir),
      acl_file_(std::move(acl_file)),
      admin_password_(std::move(admin_password)),
      port_(FreePort()) {
  std::filesystem::create_directories(dir_);
}

bool RedisServer::WaitForMasterLink(absl::Duration timeout) const {
  RedisClient client(AdminOptions());
  return WaitUntil(
      [&] {
        auto info = client.Command({"INFO", "replication"});
        return info.ok() && info->str.find("master_link_status:up") != std::string::npos;
      },
      timeout);
}

RedisOptions RedisServer::AdminOptions() const {
  RedisOptions o;
  o.address = address();
  if (!acl_file_.empty()) {
    o.user = kRedisAdminUser;
    o.password = admin_password_;
  }
  return o;
}

RedisServer::~RedisServer() {
  if (process_ != nullptr) process_->Kill();
}

void RedisServer::Start() {
  std::vector<std::string> args = {"--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir",
                                   dir_, "--appendonly", "yes", "--appendfsync", "always", "--save",
                                   "", "--daemonize", "no",
                                   // A replica's first sync at once, not after 5 s.
                                   "--repl-diskless-sync-delay", "0"};
  if (!acl_file_.empty()) {
    // Either server may be the other's replica after a failover: each
    // takes the operators' credentials to replicate with.
    args.insert(args.end(), {"--aclfile", acl_file_, "--protected-mode", "yes", "--masteruser",
                             kRedisAdminUser, "--masterauth", admin_password_});
  }
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  process_ = std::make_unique<Process>("/usr/bin/redis-server", args, dir_ + "/redis.log");
  process_->Start();
  RedisClient probe(AdminOptions());
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    absl::StatusOr<RedisReply> pong = probe.Command({"PING"});
    if (pong.ok()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("redis-server did not start: " + process_->Log());
}

void RedisServer::ReplicaOf(int master_port) {
  extra_args_.insert(extra_args_.end(), {"--replicaof", "127.0.0.1", std::to_string(master_port)});
}

void RedisServer::Stop() {
  if (process_ != nullptr) process_->Terminate();
}

void RedisServer::Kill() {
  if (process_ != nullptr) process_->Kill();
}

TestKeys::TestKeys(const std::string& dir) : dir_(dir) {
  const absl::StatusOr<std::vector<std::string>> made = Provision({dir, ""});
  if (!made.ok()) throw std::runtime_error(std::string(made.status().message()));
}

std::string TestKeys::public_key_file() const { return PublicKeysDir(dir_) + "/tokens.pub"; }
std::string TestKeys::private_key_file() const { return TokenKeyFile(dir_); }
std::string TestKeys::public_keys_dir() const { return PublicKeysDir(dir_); }
std::string TestKeys::secrets_dir(const std::string& service) const {
  return ServiceSecretsDir(dir_, service);
}
std::string TestKeys::redis_acl_file() const { return dir_ + "/redis/users.acl"; }
std::string TestKeys::redis_admin_password() const {
  absl::StatusOr<std::string> p = ReadSecretFile("redis password", dir_ + "/redis/admin.password");
  if (!p.ok()) throw std::runtime_error(std::string(p.status().message()));
  return *p;
}

std::string TestKeys::Token(Role role, const std::string& unit_id, const std::string& subject,
                            absl::Duration ttl, std::vector<std::string> audiences) {
  absl::StatusOr<TokenSigner> signer = TokenSigner::FromPemFile(private_key_file());
  if (!signer.ok()) throw std::runtime_error(std::string(signer.status().message()));
  if (audiences.empty()) {
    for (const auto& s : SuiteTopology().services()) audiences.push_back(s.name());
  }
  TokenClaims claims;
  claims.set_token_id(RandomHex(8));
  claims.set_subject(subject);
  claims.set_role(role);
  claims.set_unit_id(unit_id);
  claims.set_issued_at_unix(absl::ToUnixSeconds(absl::Now() - (ttl < absl::ZeroDuration() ? absl::Hours(1) : absl::ZeroDuration())));
  claims.set_expires_at_unix(absl::ToUnixSeconds(absl::Now() + ttl));
  for (const std::string& a : audiences) claims.add_audiences(a);
  return signer->Mint(claims);
}

int WaitForPortFile(const std::string& path, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("no port in " + path);
}

int RunCommand(const std::string& binary, const std::vector<std::string>& args,
               std::string* output, const std::map<std::string, std::string>& env) {
  TempDir dir;
  Process p(binary, args, dir.File("out.log"), env);
  p.Start();
  const int status = p.Wait();
  if (output != nullptr) *output = p.Log();
  return status;
}

bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return done();
}

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace uplift::testing

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
#include "common/ids.h"
#include "common/redis_client.h"

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
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int fd = open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    // Children must not inherit a blocked signal mask.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const auto& [k, v] : env_) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary_.c_str()));
    for (std::string& a : args_) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary_.c_str(), argv.data());
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

RedisServer::RedisServer(const std::string& dir) : dir_(dir), port_(FreePort()) {
  std::filesystem::create_directories(dir_);
}

RedisServer::~RedisServer() {
  if (process_ != nullptr) process_->Kill();
}

void RedisServer::Start() {
  process_ = std::make_unique<Process>(
      "/usr/bin/redis-server",
      std::vector<std::string>{"--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir",
                               dir_, "--appendonly", "yes", "--appendfsync", "always",
                               "--save", "", "--daemonize", "no"},
      dir_ + "/redis.log");
  process_->Start();
  RedisClient probe({address()});
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    absl::StatusOr<RedisReply> pong = probe.Command({"PING"});
    if (pong.ok()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("redis-server did not start: " + process_->Log());
}

void RedisServer::Stop() {
  if (process_ != nullptr) process_->Terminate();
}

void RedisServer::Kill() {
  if (process_ != nullptr) process_->Kill();
}

TestKeys::TestKeys(const std::string& dir) {
  const absl::Status made = GenerateSigningKeyPair(dir);
  if (!made.ok()) throw std::runtime_error(std::string(made.message()));
  public_key_ = dir + "/signing.pub";
  private_key_ = dir + "/signing.key";
}

std::string TestKeys::Token(Role role, const std::string& unit_id, const std::string& subject,
                            absl::Duration ttl) {
  absl::StatusOr<TokenSigner> signer = TokenSigner::FromPemFile(private_key_);
  if (!signer.ok()) throw std::runtime_error(std::string(signer.status().message()));
  TokenClaims claims;
  claims.set_token_id(RandomHex(8));
  claims.set_subject(subject);
  claims.set_role(role);
  claims.set_unit_id(unit_id);
  claims.set_issued_at_unix(absl::ToUnixSeconds(absl::Now()));
  claims.set_expires_at_unix(absl::ToUnixSeconds(absl::Now() + ttl));
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

}  // namespace uplift::testing

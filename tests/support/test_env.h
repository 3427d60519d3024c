// Test support: temporary directories, free ports, child processes, a real
// redis-server, and signing keys with tokens for every role. Used by unit
// tests that need real parts and by the integration tests.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/redis_client.h"

namespace uplift::testing {

// A principal as a verified token gives it, for unit tests of services.
Principal TestPrincipal(Role role, const std::string& unit_id, const std::string& subject);

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that nothing listens on right now.
int FreePort();

// A child process with its output in a log file.
class Process {
 public:
  Process(std::string binary, std::vector<std::string> args, std::string log_file,
          std::map<std::string, std::string> env = {});
  ~Process();  // kills it if still running

  void Start();
  // SIGTERM, then waits (SIGKILL after `grace`). Returns the exit status.
  int Terminate(absl::Duration grace = absl::Seconds(10));
  void Kill();  // SIGKILL and reap
  int Wait();   // blocks until it exits; its exit status
  bool Running();
  pid_t pid() const { return pid_; }
  std::string Log() const;

 private:
  std::string binary_;
  std::vector<std::string> args_;
  std::string log_file_;
  std::map<std::string, std::string> env_;
  pid_t pid_ = -1;
};

// redis-server on a free port with its data (AOF on) in its own directory;
// with `acl_file`, the deployment's ACL (default user off) and
// `admin_password` for the operators' user.
class RedisServer {
 public:
  explicit RedisServer(const std::string& dir, std::string acl_file = "",
                       std::string admin_password = "");
  ~RedisServer();
  // Starts as a replica of the redis-server on `master_port` (before Start).
  void ReplicaOf(int master_port);
  void Start();    // waits until it answers PING
  void Stop();     // SIGTERM (clean shutdown, AOF flushed)
  void Kill();     // SIGKILL
  int port() const { return port_; }
  pid_t pid() const { return process_->pid(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // Connection options of the operators' user (or the default user).
  RedisOptions AdminOptions() const;
  // A replica: waits until its link to its master is up (the first sync
  // done); false after `timeout`.
  bool WaitForMasterLink(absl::Duration timeout = absl::Seconds(30)) const;

 private:
  std::string dir_;
  std::string acl_file_;
  std::string admin_password_;
  int port_;
  std::vector<std::string> extra_args_;
  std::unique_ptr<Process> process_;
};

// A deployment's secrets in `dir`, made by the same code as `upliftctl auth
// init` (common/deployment_secrets.h), and tokens minted with its key.
class TestKeys {
 public:
  explicit TestKeys(const std::string& dir);
  const std::string& dir() const { return dir_; }
  std::string public_key_file() const;
  std::string private_key_file() const;
  std::string public_keys_dir() const;
  std::string secrets_dir(const std::string& service) const;
  std::string redis_acl_file() const;
  std::string redis_admin_password() const;
  // A token for every service (or `audiences`); a negative `ttl` makes an
  // expired one.
  std::string Token(Role role, const std::string& unit_id = "",
                    const std::string& subject = "test", absl::Duration ttl = absl::Hours(1),
                    std::vector<std::string> audiences = {});

 private:
  std::string dir_;
};

// Polls `done` every 100 ms until it holds or `timeout` passes; its last answer.
bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(120));

// The whole file, "" if it cannot be read.
std::string ReadTextFile(const std::string& path);

// Waits until `path` holds a port number (services write --port-file).
int WaitForPortFile(const std::string& path, absl::Duration timeout = absl::Seconds(20));

// Runs `binary args...`, returns its exit status and its stdout+stderr.
int RunCommand(const std::string& binary, const std::vector<std::string>& args,
               std::string* output, const std::map<std::string, std::string>& env = {});

}  // namespace uplift::testing

// PostgresServer: initdb, postgres and a libpq probe, run as an
// unprivileged user through setpriv when the tests are root.
#include "tests/support/postgres_server.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/ids.h"

namespace uplift::testing {
namespace {

// The account the server runs as when we are root: Debian's postgres user
// where the package made one, else nobody.
const passwd* ServerAccount() {
  if (geteuid() != 0) return nullptr;
  const passwd* account = getpwnam("postgres");
  return account != nullptr ? account : getpwnam("nobody");
}

// `binary args...` as the server's account, stopped (SIGINT: a fast
// shutdown) when the test process dies, so no server outlives its test.
std::pair<std::string, std::vector<std::string>> AsServerAccount(const std::string& binary,
                                                                 std::vector<std::string> args) {
  std::vector<std::string> wrapped = {"--pdeathsig=INT"};
  if (const passwd* account = ServerAccount()) {
    wrapped.insert(wrapped.end(), {absl::StrCat("--reuid=", account->pw_uid),
                                   absl::StrCat("--regid=", account->pw_gid), "--clear-groups"});
  }
  wrapped.push_back(binary);
  wrapped.insert(wrapped.end(), args.begin(), args.end());
  return {"/usr/bin/setpriv", std::move(wrapped)};
}

void ChownTree(const std::string& path, const passwd* account) {
  if (account == nullptr) return;
  if (chown(path.c_str(), account->pw_uid, account->pw_gid) != 0) {
    throw std::runtime_error("cannot chown " + path);
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
    (void)chown(entry.path().c_str(), account->pw_uid, account->pw_gid);
  }
}

}  // namespace

std::string PostgresServer::BinDir() {
  std::string best;
  int best_version = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && std::filesystem::exists(entry.path() / "bin" / "postgres")) {
      best_version = version;
      best = (entry.path() / "bin").string();
    }
  }
  if (best.empty()) {
    throw std::runtime_error(
        "PostgreSQL's server binaries are not installed (scripts/install-deps)");
  }
  return best;
}

PostgresServer::PostgresServer() : password_(RandomHex(16)), port_(FreePort()) {
  const char* base = std::getenv("TMPDIR");
  std::string templ = absl::StrCat(base != nullptr ? base : "/tmp", "/uplift-pg-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = templ;
  {
    std::ofstream pw(dir_ + "/password");
    pw << password_ << "\n";
  }
  ChownTree(dir_, ServerAccount());
  auto [binary, args] = AsServerAccount(
      BinDir() + "/initdb", {"-D", dir_ + "/data", "-U", "uplift", "--pwfile", dir_ + "/password",
                             "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"});
  std::string output;
  if (RunCommand(binary, args, &output) != 0) {
    throw std::runtime_error("initdb failed: " + output);
  }
}

PostgresServer::~PostgresServer() {
  try {
    Stop();
  } catch (...) {
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PostgresServer::Url(const std::string& database) const {
  return absl::StrCat("postgresql://uplift:", password_, "@127.0.0.1:", port_, "/", database);
}

void PostgresServer::Start() {
  auto [binary, args] =
      AsServerAccount(BinDir() + "/postgres",
                      {"-D", dir_ + "/data", "-p", std::to_string(port_), "-c",
                       "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir_, "-c",
                       "max_connections=200", "-c", "shared_buffers=32MB"});
  process_ = std::make_unique<Process>(binary, args, dir_ + "/postgres.log");
  process_->Start();
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    if (PQping(Url().c_str()) == PQPING_OK) return;
    if (!process_->Running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("postgres did not start: " + Log());
}

void PostgresServer::Stop() {
  if (process_ == nullptr || !process_->Running()) return;
  ::kill(process_->pid(), SIGINT);  // fast shutdown; SIGTERM would wait for every client
  process_->Wait();
}

void PostgresServer::CreateDatabase(const std::string& name) {
  PGconn* conn = PQconnectdb(Url().c_str());
  PGresult* result = PQexec(conn, ("CREATE DATABASE \"" + name + "\"").c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string error = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("CREATE DATABASE " + name + ": " + error);
}

std::string PostgresServer::Log() const { return ReadTextFile(dir_ + "/postgres.log"); }

PostgresServer& SharedPostgresServer() {
  static PostgresServer server;
  static const bool started = (server.Start(), true);
  (void)started;
  return server;
}

std::string NewDatabaseUrl() {
  const std::string name = "t_" + RandomHex(6);
  SharedPostgresServer().CreateDatabase(name);
  return SharedPostgresServer().Url(name);
}

}  // namespace uplift::testing

// RedisSentinels: a config file each (Sentinel rewrites it), one process each.
#include "tests/support/redis_sentinels.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace uplift::testing {

RedisSentinels::RedisSentinels(const std::string& dir, const std::string& master_name,
                               int master_port, int count)
    : dir_(dir), master_name_(master_name), master_port_(master_port) {
  for (int i = 0; i < count; ++i) ports_.push_back(FreePort());
}

void RedisSentinels::AuthenticateAs(const std::string& user, const std::string& password) {
  user_ = user;
  password_ = password;
}

void RedisSentinels::Start() {
  const int quorum = static_cast<int>(ports_.size()) / 2 + 1;
  for (size_t i = 0; i < ports_.size(); ++i) {
    const std::string dir = absl::StrCat(dir_, "/sentinel-", i);
    std::filesystem::create_directories(dir);
    const std::string conf = dir + "/sentinel.conf";
    std::ofstream(conf) << "port " << ports_[i] << "\nbind 127.0.0.1\ndir " << dir
                        << "\nsentinel monitor " << master_name_ << " 127.0.0.1 " << master_port_
                        << " " << quorum << "\nsentinel down-after-milliseconds " << master_name_
                        << " 1000\nsentinel failover-timeout " << master_name_
                        << " 5000\nsentinel parallel-syncs " << master_name_ << " 1\n";
    if (!user_.empty()) {
      std::ofstream(conf, std::ios::app)
          << "sentinel auth-user " << master_name_ << " " << user_ << "\nsentinel auth-pass "
          << master_name_ << " " << password_ << "\n";
    }
    processes_.push_back(std::make_unique<Process>("/usr/bin/redis-server",
                                                   std::vector<std::string>{conf, "--sentinel"},
                                                   dir + "/sentinel.log"));
    processes_.back()->Start();
  }
  const bool known = WaitUntil(
      [&] {
        for (int port : ports_) {
          RedisClient sentinel({absl::StrCat("127.0.0.1:", port)});
          auto reply = sentinel.Command({"SENTINEL", "get-master-addr-by-name", master_name_});
          if (!reply.ok() || reply->elements.size() != 2) return false;
        }
        return true;
      },
      absl::Seconds(20));
  if (!known) throw std::runtime_error("the sentinels did not start: " + processes_[0]->Log());
}

void RedisSentinels::WaitForReplicas(int count) {
  const bool known = WaitUntil(
      [&] {
        for (int port : ports_) {
          RedisClient sentinel({absl::StrCat("127.0.0.1:", port)});
          auto reply = sentinel.Command({"SENTINEL", "REPLICAS", master_name_});
          if (!reply.ok() || static_cast<int>(reply->elements.size()) < count) return false;
        }
        return true;
      },
      absl::Seconds(30));
  if (!known) throw std::runtime_error("the sentinels did not learn the replicas");
}

std::string RedisSentinels::Address() const {
  std::vector<std::string> hosts;
  for (int port : ports_) hosts.push_back(absl::StrCat("127.0.0.1:", port));
  return absl::StrCat("sentinel://", absl::StrJoin(hosts, ","), "/", master_name_);
}

int RedisSentinels::MasterPort() const {
  RedisClient sentinel({absl::StrCat("127.0.0.1:", ports_[0])});
  auto reply = sentinel.Command({"SENTINEL", "get-master-addr-by-name", master_name_});
  if (!reply.ok() || reply->elements.size() != 2) return 0;
  return std::atoi(reply->elements[1].str.c_str());
}

}  // namespace uplift::testing

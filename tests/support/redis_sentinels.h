// Real Redis Sentinel for tests: `count` sentinels (redis-server in
// sentinel mode) watching one master, quorum a majority, quick to call it
// down (1 s) so a failover takes seconds.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/test_env.h"

namespace uplift::testing {

class RedisSentinels {
 public:
  // Sentinels in subdirectories of `dir`, watching 127.0.0.1:master_port
  // as `master_name`.
  RedisSentinels(const std::string& dir, const std::string& master_name, int master_port,
                 int count = 3);
  // The user the sentinels sign in to the servers as (an ACL'd Redis);
  // before Start.
  void AuthenticateAs(const std::string& user, const std::string& password);
  void Start();  // waits until every sentinel knows the master
  // Waits until every sentinel knows `count` replicas of the master (they
  // learn them from the master's INFO, within seconds).
  void WaitForReplicas(int count);
  // sentinel://127.0.0.1:p1,127.0.0.1:p2,.../master_name
  std::string Address() const;
  // The master's port as the first sentinel tells it now.
  int MasterPort() const;

 private:
  std::string dir_;
  std::string master_name_;
  int master_port_;
  std::string user_, password_;
  std::vector<int> ports_;
  std::vector<std::unique_ptr<Process>> processes_;
};

}  // namespace uplift::testing

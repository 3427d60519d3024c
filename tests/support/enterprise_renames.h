// Registry changes for the HA fault suite: callers rename every enterprise
// a few times over a channel that goes round robin over the registry's
// replicas while faults strike, and the check that uplift-indicators holds
// each enterprise's name as the registry has it at the end (the last
// acknowledged rename, or a later one whose call failed after committing).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "common/sql/store.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift::testing {

class EnterpriseRenames {
 public:
  // Enterprises TestCreditCode(0 .. enterprises-1), each renamed `rounds` times.
  EnterpriseRenames(int enterprises, int rounds) : enterprises_(enterprises), rounds_(rounds) {}
  ~EnterpriseRenames() { Join(); }

  // Starts renaming from `callers` threads as `token` (an ADMIN's).
  void Start(std::shared_ptr<grpc::Channel> registry, const std::string& token, int callers);
  void Join();

  // The enterprises uplift-indicators (its database `indicators`) does not
  // yet hold as the registry has them, or that the registry holds older
  // than their last acknowledged rename; empty when every change is in.
  std::vector<std::string> NotYetIn(registry::v1::EnterpriseRegistry::Stub& registry,
                                    sql::Store& indicators);

  int acknowledged() const;
  int failed() const;

 private:
  // "新乐市第<n>机械有限公司（第<round>次更名）"; RoundOf reads it back (0: never renamed).
  static std::string NameOf(int enterprise, int round);
  static int RoundOf(const std::string& name);
  void RenameAll(registry::v1::EnterpriseRegistry::Stub& stub, int caller, int callers);

  const int enterprises_;
  const int rounds_;
  std::string token_;
  std::vector<std::thread> callers_;
  mutable std::mutex mu_;
  std::map<int, int> last_acknowledged_;  // enterprise -> round
  int acknowledged_ = 0;
  int failed_ = 0;
};

}  // namespace uplift::testing
